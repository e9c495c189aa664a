// DELETE_TOPIC_IN_NAMESRV (216) request header, mqadmin deleteTopic → every name server.
// Mirrors org.apache.rocketmq.common.protocol.header.namesrv.DeleteTopicInNamesrvRequestHeader.
//
//   extFields = topic:String NN
import type { ExtFields } from '../../remoting-command';
import { HeaderReader, toExtFields } from '../header-reader';

export interface DeleteTopicInNamesrvRequestHeader {
  topic: string;
}

export function decodeDeleteTopicInNamesrvRequestHeader(
  extFields: ExtFields | undefined,
): DeleteTopicInNamesrvRequestHeader {
  return { topic: new HeaderReader(extFields, 'DeleteTopicInNamesrvRequestHeader').string('topic') };
}

export function encodeDeleteTopicInNamesrvRequestHeader(header: DeleteTopicInNamesrvRequestHeader): ExtFields {
  return toExtFields(header);
}
