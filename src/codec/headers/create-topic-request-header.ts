// CreateTopicRequestHeader (UPDATE_AND_CREATE_TOPIC 17).
//
//   topic String NN, defaultTopic String NN, readQueueNums Integer NN, writeQueueNums Integer NN,
//   perm Integer NN, topicFilterType String NN (SINGLE_TAG | MULTI_TAG), topicSysFlag Integer,
//   order Boolean NN
import type { ExtFields } from '../remoting-command';
import { HeaderFieldError, HeaderReader } from './header-reader';

export interface CreateTopicRequestHeader {
  topic: string;
  defaultTopic: string;
  readQueueNums: number;
  writeQueueNums: number;
  perm: number;
  topicFilterType: 'SINGLE_TAG' | 'MULTI_TAG';
  topicSysFlag: number;
  order: boolean;
}

export function decodeCreateTopicRequestHeader(extFields: ExtFields | undefined): CreateTopicRequestHeader {
  const reader = new HeaderReader(extFields, 'CreateTopicRequestHeader');
  const topicFilterType = reader.string('topicFilterType');
  if (topicFilterType !== 'SINGLE_TAG' && topicFilterType !== 'MULTI_TAG') {
    throw new HeaderFieldError(
      'CreateTopicRequestHeader',
      'topicFilterType',
      `is not SINGLE_TAG or MULTI_TAG: ${topicFilterType}`,
    );
  }
  return {
    topic: reader.string('topic'),
    defaultTopic: reader.string('defaultTopic'),
    readQueueNums: reader.int('readQueueNums'),
    writeQueueNums: reader.int('writeQueueNums'),
    perm: reader.int('perm'),
    topicFilterType,
    topicSysFlag: reader.optionalInt('topicSysFlag') ?? 0,
    order: reader.bool('order'),
  };
}
