// GET_TOPICS_BY_CLUSTER (224) request header, mqadmin → name server.
// Mirrors org.apache.rocketmq.common.protocol.header.GetTopicsByClusterRequestHeader (the Java
// class sits outside the namesrv package, but only the name server serves this code).
//
//   extFields = cluster:String NN
import type { ExtFields } from '../../remoting-command';
import { HeaderReader, toExtFields } from '../header-reader';

export interface GetTopicsByClusterRequestHeader {
  cluster: string;
}

export function decodeGetTopicsByClusterRequestHeader(
  extFields: ExtFields | undefined,
): GetTopicsByClusterRequestHeader {
  return { cluster: new HeaderReader(extFields, 'GetTopicsByClusterRequestHeader').string('cluster') };
}

export function encodeGetTopicsByClusterRequestHeader(header: GetTopicsByClusterRequestHeader): ExtFields {
  return toExtFields(header);
}
