// WIPE_WRITE_PERM_OF_BROKER (205) request header, mqadmin wipeWritePerm → name server.
// Mirrors org.apache.rocketmq.common.protocol.header.namesrv.WipeWritePermOfBrokerRequestHeader.
//
//   extFields = brokerName:String NN
import type { ExtFields } from '../../remoting-command';
import { HeaderReader, toExtFields } from '../header-reader';

export interface WipeWritePermOfBrokerRequestHeader {
  brokerName: string;
}

export function decodeWipeWritePermOfBrokerRequestHeader(
  extFields: ExtFields | undefined,
): WipeWritePermOfBrokerRequestHeader {
  return { brokerName: new HeaderReader(extFields, 'WipeWritePermOfBrokerRequestHeader').string('brokerName') };
}

export function encodeWipeWritePermOfBrokerRequestHeader(header: WipeWritePermOfBrokerRequestHeader): ExtFields {
  return toExtFields(header);
}
