// GET_ROUTEINFO_BY_TOPIC (105) request header, client/mqadmin → name server.
// Mirrors org.apache.rocketmq.common.protocol.header.namesrv.GetRouteInfoRequestHeader.
//
//   extFields = topic:String NN
import type { ExtFields } from '../../remoting-command';
import { HeaderReader, toExtFields } from '../header-reader';

export interface GetRouteInfoRequestHeader {
  topic: string;
}

export function decodeGetRouteInfoRequestHeader(extFields: ExtFields | undefined): GetRouteInfoRequestHeader {
  return { topic: new HeaderReader(extFields, 'GetRouteInfoRequestHeader').string('topic') };
}

export function encodeGetRouteInfoRequestHeader(header: GetRouteInfoRequestHeader): ExtFields {
  return toExtFields(header);
}
