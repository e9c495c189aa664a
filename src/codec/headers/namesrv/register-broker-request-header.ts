// REGISTER_BROKER (103) request header, broker → every name server.
// Mirrors org.apache.rocketmq.common.protocol.header.namesrv.RegisterBrokerRequestHeader.
//
//   extFields = brokerName:String NN   brokerAddr:String NN ("brokerIP1:listenPort")
//               clusterName:String NN  haServerAddr:String NN ("brokerIP2:haListenPort")
//               brokerId:Long NN (0 = master)
//               compressed:boolean (absent = false; true = zlib body, see register-broker-body.ts)
//               bodyCrc32:Integer (absent or 0 = not checked; else CRC32(body) & 0x7FFFFFFF)
import type { ExtFields } from '../../remoting-command';
import { HeaderReader, toExtFields } from '../header-reader';

export interface RegisterBrokerRequestHeader {
  brokerName: string;
  brokerAddr: string;
  clusterName: string;
  haServerAddr: string;
  brokerId: number;
  compressed: boolean;
  bodyCrc32: number;
}

export function decodeRegisterBrokerRequestHeader(extFields: ExtFields | undefined): RegisterBrokerRequestHeader {
  const reader = new HeaderReader(extFields, 'RegisterBrokerRequestHeader');
  return {
    brokerName: reader.string('brokerName'),
    brokerAddr: reader.string('brokerAddr'),
    clusterName: reader.string('clusterName'),
    haServerAddr: reader.string('haServerAddr'),
    brokerId: reader.long('brokerId'),
    compressed: reader.bool('compressed'),
    bodyCrc32: reader.optionalInt('bodyCrc32') ?? 0,
  };
}

export function encodeRegisterBrokerRequestHeader(header: RegisterBrokerRequestHeader): ExtFields {
  return toExtFields(header);
}
