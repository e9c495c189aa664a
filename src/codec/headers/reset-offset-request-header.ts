// ResetOffsetRequestHeader: INVOKE_BROKER_TO_RESET_OFFSET (222, mqadmin → broker) and
// RESET_CONSUMER_CLIENT_OFFSET (220, broker → client, oneway).
//
//   topic String NN, group String NN, timestamp long NN (-1 = the max offset), isForce boolean NN
//
// The wire key really is "isForce": Java's field is named isForce, not force.
import type { ExtFields } from '../remoting-command';
import { HeaderReader } from './header-reader';

export interface ResetOffsetRequestHeader {
  topic: string;
  group: string;
  timestamp: number;
  isForce: boolean;
}

export function decodeResetOffsetRequestHeader(extFields: ExtFields | undefined): ResetOffsetRequestHeader {
  const reader = new HeaderReader(extFields, 'ResetOffsetRequestHeader');
  const topic = reader.string('topic');
  const group = reader.string('group');
  const timestamp = reader.long('timestamp');
  reader.string('isForce');
  return { topic, group, timestamp, isForce: reader.bool('isForce') };
}

/** As Java writes it: every field, the primitive boolean included. */
export function encodeResetOffsetRequestHeader(header: ResetOffsetRequestHeader): ExtFields {
  return {
    topic: header.topic,
    group: header.group,
    timestamp: String(header.timestamp),
    isForce: String(header.isForce),
  };
}
