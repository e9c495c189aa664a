// Request headers of the broker's admin codes (AdminBrokerProcessor), as mqadmin and
// DefaultMQAdminExt 4.7.1 write them. NN = @CFNotNull (missing → HeaderFieldError); a primitive
// field Java leaves at its default when absent (0, false) does the same here.
//
//   GetTopicStatsInfoRequestHeader          (202) topic String NN
//   GetConsumerConnectionListRequestHeader  (203) consumerGroup String NN
//   GetProducerConnectionListRequestHeader  (204) producerGroup String NN
//   GetConsumeStatsRequestHeader            (208) consumerGroup String NN, topic String
//   DeleteTopicRequestHeader                (215) topic String NN
//   QueryTopicConsumeByWhoRequestHeader     (300) topic String NN
//   QueryConsumeTimeSpanRequestHeader       (303) topic String NN, group String NN
//   QueryCorrectionOffsetHeader             (308) filterGroups String, compareGroup String NN,
//                                                 topic String NN
//   CloneGroupOffsetRequestHeader           (314) srcGroup String NN, destGroup String NN,
//                                                 topic String, offline boolean
//   ViewBrokerStatsDataRequestHeader        (315) statsName String NN, statsKey String NN
//   GetConsumeStatsInBrokerHeader           (317) isOrder boolean NN (the wire key is "isOrder")
//   QueryConsumeQueueRequestHeader          (321) topic String, queueId int, index long, count int,
//                                                 consumerGroup String
import type { ExtFields } from '../remoting-command';
import { HeaderReader } from './header-reader';

/** The one-field headers: `field` of `headerName`, required. */
export function decodeRequiredField(extFields: ExtFields | undefined, headerName: string, field: string): string {
  return new HeaderReader(extFields, headerName).string(field);
}

export function decodeGetConsumeStatsRequestHeader(extFields: ExtFields | undefined) {
  const reader = new HeaderReader(extFields, 'GetConsumeStatsRequestHeader');
  return { consumerGroup: reader.string('consumerGroup'), topic: reader.optionalString('topic') };
}

export function decodeQueryConsumeTimeSpanRequestHeader(extFields: ExtFields | undefined) {
  const reader = new HeaderReader(extFields, 'QueryConsumeTimeSpanRequestHeader');
  return { topic: reader.string('topic'), group: reader.string('group') };
}

export function decodeQueryCorrectionOffsetHeader(extFields: ExtFields | undefined) {
  const reader = new HeaderReader(extFields, 'QueryCorrectionOffsetHeader');
  return {
    filterGroups: reader.optionalString('filterGroups'),
    compareGroup: reader.string('compareGroup'),
    topic: reader.string('topic'),
  };
}

export function decodeCloneGroupOffsetRequestHeader(extFields: ExtFields | undefined) {
  const reader = new HeaderReader(extFields, 'CloneGroupOffsetRequestHeader');
  return {
    srcGroup: reader.string('srcGroup'),
    destGroup: reader.string('destGroup'),
    topic: reader.optionalString('topic'),
    offline: reader.bool('offline'),
  };
}

export function decodeViewBrokerStatsDataRequestHeader(extFields: ExtFields | undefined) {
  const reader = new HeaderReader(extFields, 'ViewBrokerStatsDataRequestHeader');
  return { statsName: reader.string('statsName'), statsKey: reader.string('statsKey') };
}

export function decodeGetConsumeStatsInBrokerHeader(extFields: ExtFields | undefined) {
  const reader = new HeaderReader(extFields, 'GetConsumeStatsInBrokerHeader');
  reader.string('isOrder');
  return { isOrder: reader.bool('isOrder') };
}

export function decodeQueryConsumeQueueRequestHeader(extFields: ExtFields | undefined) {
  const reader = new HeaderReader(extFields, 'QueryConsumeQueueRequestHeader');
  return {
    topic: reader.optionalString('topic') ?? '',
    queueId: reader.optionalInt('queueId') ?? 0,
    index: reader.optionalLong('index') ?? 0,
    count: reader.optionalInt('count') ?? 0,
    consumerGroup: reader.optionalString('consumerGroup'),
  };
}
