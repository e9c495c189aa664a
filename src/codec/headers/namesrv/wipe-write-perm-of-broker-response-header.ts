// WIPE_WRITE_PERM_OF_BROKER (205) response header.
// Mirrors org.apache.rocketmq.common.protocol.header.namesrv.WipeWritePermOfBrokerResponseHeader.
//
//   extFields = wipeTopicCount:Integer NN (queue datas of that broker whose write bit was cleared)
import type { ExtFields } from '../../remoting-command';
import { HeaderReader, toExtFields } from '../header-reader';

export interface WipeWritePermOfBrokerResponseHeader {
  wipeTopicCount: number;
}

export function decodeWipeWritePermOfBrokerResponseHeader(
  extFields: ExtFields | undefined,
): WipeWritePermOfBrokerResponseHeader {
  return { wipeTopicCount: new HeaderReader(extFields, 'WipeWritePermOfBrokerResponseHeader').int('wipeTopicCount') };
}

export function encodeWipeWritePermOfBrokerResponseHeader(header: WipeWritePermOfBrokerResponseHeader): ExtFields {
  return toExtFields(header);
}
