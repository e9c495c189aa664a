// QUERY_DATA_VERSION (322) request header, broker → name server before a periodic register
// (only when the broker runs with forceRegister=false). The body is the broker's DataVersion JSON.
// Mirrors org.apache.rocketmq.common.protocol.header.namesrv.QueryDataVersionRequestHeader.
//
//   extFields = brokerName:String NN  brokerAddr:String NN  clusterName:String NN  brokerId:Long NN
import type { ExtFields } from '../../remoting-command';
import { HeaderReader, toExtFields } from '../header-reader';

export interface QueryDataVersionRequestHeader {
  brokerName: string;
  brokerAddr: string;
  clusterName: string;
  brokerId: number;
}

export function decodeQueryDataVersionRequestHeader(extFields: ExtFields | undefined): QueryDataVersionRequestHeader {
  const reader = new HeaderReader(extFields, 'QueryDataVersionRequestHeader');
  return {
    brokerName: reader.string('brokerName'),
    brokerAddr: reader.string('brokerAddr'),
    clusterName: reader.string('clusterName'),
    brokerId: reader.long('brokerId'),
  };
}

export function encodeQueryDataVersionRequestHeader(header: QueryDataVersionRequestHeader): ExtFields {
  return toExtFields(header);
}
