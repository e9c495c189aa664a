// CheckTransactionStateRequestHeader (CHECK_TRANSACTION_STATE 39, broker → producer, oneway).
//
//   key                   Java type  required
//   tranStateTableOffset  Long       yes   queue offset of the re-appended half message
//   commitLogOffset       Long       yes   its commit-log offset
//   msgId                 String     no    UNIQ_KEY
//   transactionId         String     no    UNIQ_KEY again (AbstractTransactionalMessageCheckListener)
//   offsetMsgId           String     no    offsetMsgId of the re-appended half message
import type { ExtFields } from '../remoting-command';
import { toExtFields } from './header-reader';

export interface CheckTransactionStateRequestHeader {
  tranStateTableOffset: number;
  commitLogOffset: number;
  msgId: string | undefined;
  transactionId: string | undefined;
  offsetMsgId: string | undefined;
}

export function encodeCheckTransactionStateRequestHeader(header: CheckTransactionStateRequestHeader): ExtFields {
  return toExtFields(header);
}
