// GET_KV_CONFIG (101) response header (SUCCESS only; QUERY_NOT_FOUND carries no value).
// Mirrors org.apache.rocketmq.common.protocol.header.namesrv.GetKVConfigResponseHeader.
//
//   extFields = value:String (nullable)
import type { ExtFields } from '../../remoting-command';
import { HeaderReader, toExtFields } from '../header-reader';

export interface GetKVConfigResponseHeader {
  value?: string;
}

export function decodeGetKVConfigResponseHeader(extFields: ExtFields | undefined): GetKVConfigResponseHeader {
  return { value: new HeaderReader(extFields, 'GetKVConfigResponseHeader').optionalString('value') };
}

export function encodeGetKVConfigResponseHeader(header: GetKVConfigResponseHeader): ExtFields {
  return toExtFields(header);
}
