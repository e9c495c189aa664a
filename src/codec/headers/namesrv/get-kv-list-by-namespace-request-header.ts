// GET_KVLIST_BY_NAMESPACE (219) request header, client/mqadmin → name server. The answer's body is
// a KVTable; an unknown namespace is QUERY_NOT_FOUND.
// Mirrors org.apache.rocketmq.common.protocol.header.namesrv.GetKVListByNamespaceRequestHeader.
//
//   extFields = namespace:String NN
import type { ExtFields } from '../../remoting-command';
import { HeaderReader, toExtFields } from '../header-reader';

export interface GetKVListByNamespaceRequestHeader {
  namespace: string;
}

export function decodeGetKVListByNamespaceRequestHeader(
  extFields: ExtFields | undefined,
): GetKVListByNamespaceRequestHeader {
  return { namespace: new HeaderReader(extFields, 'GetKVListByNamespaceRequestHeader').string('namespace') };
}

export function encodeGetKVListByNamespaceRequestHeader(header: GetKVListByNamespaceRequestHeader): ExtFields {
  return toExtFields(header);
}
