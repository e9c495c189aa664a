// DELETE_KV_CONFIG (102) request header, mqadmin → every name server.
// Mirrors org.apache.rocketmq.common.protocol.header.namesrv.DeleteKVConfigRequestHeader.
//
//   extFields = namespace:String NN  key:String NN
import type { ExtFields } from '../../remoting-command';
import { HeaderReader, toExtFields } from '../header-reader';

export interface DeleteKVConfigRequestHeader {
  namespace: string;
  key: string;
}

export function decodeDeleteKVConfigRequestHeader(extFields: ExtFields | undefined): DeleteKVConfigRequestHeader {
  const reader = new HeaderReader(extFields, 'DeleteKVConfigRequestHeader');
  return { namespace: reader.string('namespace'), key: reader.string('key') };
}

export function encodeDeleteKVConfigRequestHeader(header: DeleteKVConfigRequestHeader): ExtFields {
  return toExtFields(header);
}
