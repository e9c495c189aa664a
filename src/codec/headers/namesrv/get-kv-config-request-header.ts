// GET_KV_CONFIG (101) request header, client/mqadmin → name server.
// Mirrors org.apache.rocketmq.common.protocol.header.namesrv.GetKVConfigRequestHeader.
//
//   extFields = namespace:String NN  key:String NN
import type { ExtFields } from '../../remoting-command';
import { HeaderReader, toExtFields } from '../header-reader';

export interface GetKVConfigRequestHeader {
  namespace: string;
  key: string;
}

export function decodeGetKVConfigRequestHeader(extFields: ExtFields | undefined): GetKVConfigRequestHeader {
  const reader = new HeaderReader(extFields, 'GetKVConfigRequestHeader');
  return { namespace: reader.string('namespace'), key: reader.string('key') };
}

export function encodeGetKVConfigRequestHeader(header: GetKVConfigRequestHeader): ExtFields {
  return toExtFields(header);
}
