// Offset headers of ConsumerManageProcessor and AdminBrokerProcessor.
//
//   QueryConsumerOffsetRequestHeader   consumerGroup String NN, topic String NN, queueId Integer NN
//   QueryConsumerOffsetResponseHeader  offset Long NN
//   UpdateConsumerOffsetRequestHeader  consumerGroup String NN, topic String NN, queueId Integer NN,
//                                      commitOffset Long NN
//   GetMaxOffset/GetMinOffset/GetEarliestMsgStoretime RequestHeader  topic String NN, queueId Integer NN
//   SearchOffsetRequestHeader          topic String NN, queueId Integer NN, timestamp Long NN
//   GetConsumerListByGroupRequestHeader consumerGroup String NN
//   UnregisterClientRequestHeader      clientID String NN, producerGroup String, consumerGroup String
import type { ExtFields } from '../remoting-command';
import { HeaderReader } from './header-reader';

export interface QueueHeader {
  topic: string;
  queueId: number;
}

export function decodeQueueHeader(extFields: ExtFields | undefined, headerName: string): QueueHeader {
  const reader = new HeaderReader(extFields, headerName);
  return { topic: reader.string('topic'), queueId: reader.int('queueId') };
}

export function decodeQueryConsumerOffsetHeader(extFields: ExtFields | undefined) {
  const reader = new HeaderReader(extFields, 'QueryConsumerOffsetRequestHeader');
  return {
    consumerGroup: reader.string('consumerGroup'),
    topic: reader.string('topic'),
    queueId: reader.int('queueId'),
  };
}

export function decodeUpdateConsumerOffsetHeader(extFields: ExtFields | undefined) {
  const reader = new HeaderReader(extFields, 'UpdateConsumerOffsetRequestHeader');
  return {
    consumerGroup: reader.string('consumerGroup'),
    topic: reader.string('topic'),
    queueId: reader.int('queueId'),
    commitOffset: reader.long('commitOffset'),
  };
}

export function decodeSearchOffsetHeader(extFields: ExtFields | undefined) {
  const reader = new HeaderReader(extFields, 'SearchOffsetRequestHeader');
  return { topic: reader.string('topic'), queueId: reader.int('queueId'), timestamp: reader.long('timestamp') };
}

export function decodeGetConsumerListByGroupHeader(extFields: ExtFields | undefined) {
  return { consumerGroup: new HeaderReader(extFields, 'GetConsumerListByGroupRequestHeader').string('consumerGroup') };
}

export function decodeUnregisterClientHeader(extFields: ExtFields | undefined) {
  const reader = new HeaderReader(extFields, 'UnregisterClientRequestHeader');
  return {
    clientID: reader.string('clientID'),
    producerGroup: reader.optionalString('producerGroup'),
    consumerGroup: reader.optionalString('consumerGroup'),
  };
}
