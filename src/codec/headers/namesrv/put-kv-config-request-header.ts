// PUT_KV_CONFIG (100) request header, client/mqadmin → every name server
// (updateTopic -o / updateOrderConf write namespace ORDER_TOPIC_CONFIG).
// Mirrors org.apache.rocketmq.common.protocol.header.namesrv.PutKVConfigRequestHeader.
//
//   extFields = namespace:String NN  key:String NN  value:String NN
import type { ExtFields } from '../../remoting-command';
import { HeaderReader, toExtFields } from '../header-reader';

export interface PutKVConfigRequestHeader {
  namespace: string;
  key: string;
  value: string;
}

export function decodePutKVConfigRequestHeader(extFields: ExtFields | undefined): PutKVConfigRequestHeader {
  const reader = new HeaderReader(extFields, 'PutKVConfigRequestHeader');
  return { namespace: reader.string('namespace'), key: reader.string('key'), value: reader.string('value') };
}

export function encodePutKVConfigRequestHeader(header: PutKVConfigRequestHeader): ExtFields {
  return toExtFields(header);
}
