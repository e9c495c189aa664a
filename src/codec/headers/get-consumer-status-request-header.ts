// GetConsumerStatusRequestHeader: INVOKE_BROKER_TO_GET_CONSUMER_STATUS (223, mqadmin → broker) and
// GET_CONSUMER_STATUS_FROM_CLIENT (221, broker → client, sync 5 s).
//
//   topic String NN, group String NN, clientAddr String (a clientId; blank = every client)
import type { ExtFields } from '../remoting-command';
import { HeaderReader } from './header-reader';

export interface GetConsumerStatusRequestHeader {
  topic: string;
  group: string;
  clientAddr: string | undefined;
}

export function decodeGetConsumerStatusRequestHeader(extFields: ExtFields | undefined): GetConsumerStatusRequestHeader {
  const reader = new HeaderReader(extFields, 'GetConsumerStatusRequestHeader');
  return {
    topic: reader.string('topic'),
    group: reader.string('group'),
    clientAddr: reader.optionalString('clientAddr'),
  };
}

export function encodeGetConsumerStatusRequestHeader(header: GetConsumerStatusRequestHeader): ExtFields {
  const extFields: ExtFields = { topic: header.topic, group: header.group };
  if (header.clientAddr !== undefined) extFields.clientAddr = header.clientAddr;
  return extFields;
}
