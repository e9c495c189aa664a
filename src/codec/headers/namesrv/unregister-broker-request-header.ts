// UNREGISTER_BROKER (104) request header, broker → every name server at shutdown.
// Mirrors org.apache.rocketmq.common.protocol.header.namesrv.UnRegisterBrokerRequestHeader.
//
//   extFields = brokerName:String NN  brokerAddr:String NN  clusterName:String NN  brokerId:Long NN
import type { ExtFields } from '../../remoting-command';
import { HeaderReader, toExtFields } from '../header-reader';

export interface UnRegisterBrokerRequestHeader {
  brokerName: string;
  brokerAddr: string;
  clusterName: string;
  brokerId: number;
}

export function decodeUnRegisterBrokerRequestHeader(extFields: ExtFields | undefined): UnRegisterBrokerRequestHeader {
  const reader = new HeaderReader(extFields, 'UnRegisterBrokerRequestHeader');
  return {
    brokerName: reader.string('brokerName'),
    brokerAddr: reader.string('brokerAddr'),
    clusterName: reader.string('clusterName'),
    brokerId: reader.long('brokerId'),
  };
}

export function encodeUnRegisterBrokerRequestHeader(header: UnRegisterBrokerRequestHeader): ExtFields {
  return toExtFields(header);
}
