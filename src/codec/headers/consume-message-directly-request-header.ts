// ConsumeMessageDirectlyResultRequestHeader: CONSUME_MESSAGE_DIRECTLY (309), mqadmin → broker →
// client.
//
//   consumerGroup String NN, clientId String, msgId String (an offsetMsgId), brokerName String
//
// The broker adds brokerName and the stored record (found through msgId) as the body; the other
// extFields go on to the client unchanged.
import type { ExtFields } from '../remoting-command';
import { HeaderReader } from './header-reader';

export interface ConsumeMessageDirectlyRequestHeader {
  consumerGroup: string;
  clientId: string | undefined;
  msgId: string | undefined;
  brokerName: string | undefined;
}

export function decodeConsumeMessageDirectlyRequestHeader(
  extFields: ExtFields | undefined,
): ConsumeMessageDirectlyRequestHeader {
  const reader = new HeaderReader(extFields, 'ConsumeMessageDirectlyResultRequestHeader');
  return {
    consumerGroup: reader.string('consumerGroup'),
    clientId: reader.optionalString('clientId'),
    msgId: reader.optionalString('msgId'),
    brokerName: reader.optionalString('brokerName'),
  };
}
