// REGISTER_BROKER (103) response header, name server → broker.
// Mirrors org.apache.rocketmq.common.protocol.header.namesrv.RegisterBrokerResponseHeader.
//
//   extFields = haServerAddr:String (nullable)  masterAddr:String (nullable)
// Both are absent for a master. For a slave they come from the master of the same brokerName
// when that master is registered and alive. Java always writes the map, so a master gets `{}`.
import type { ExtFields } from '../../remoting-command';
import { HeaderReader, toExtFields } from '../header-reader';

export interface RegisterBrokerResponseHeader {
  haServerAddr?: string;
  masterAddr?: string;
}

export function decodeRegisterBrokerResponseHeader(extFields: ExtFields | undefined): RegisterBrokerResponseHeader {
  const reader = new HeaderReader(extFields, 'RegisterBrokerResponseHeader');
  return { haServerAddr: reader.optionalString('haServerAddr'), masterAddr: reader.optionalString('masterAddr') };
}

export function encodeRegisterBrokerResponseHeader(header: RegisterBrokerResponseHeader): ExtFields {
  return toExtFields(header);
}
