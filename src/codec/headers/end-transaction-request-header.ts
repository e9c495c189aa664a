// EndTransactionRequestHeader (END_TRANSACTION 37, always oneway from the 4.7.1 client).
//
//   key                   Java type  required
//   producerGroup         String     yes
//   tranStateTableOffset  Long       yes   half message's offset in RMQ_SYS_TRANS_HALF_TOPIC
//   commitLogOffset       Long       yes   half message's commit-log offset (from its offsetMsgId)
//   commitOrRollback      Integer    yes   0 NOT (unknown), 8 COMMIT, 12 ROLLBACK; checkFields
//                                          refuses anything else
//   fromTransactionCheck  Boolean    no    true when answering CHECK_TRANSACTION_STATE
//   msgId                 String     yes   UNIQ_KEY of the message
//   transactionId         String     no
import type { ExtFields } from '../remoting-command';
import { HeaderFieldError, HeaderReader } from './header-reader';

export interface EndTransactionRequestHeader {
  producerGroup: string;
  tranStateTableOffset: number;
  commitLogOffset: number;
  commitOrRollback: number;
  fromTransactionCheck: boolean;
  msgId: string;
  transactionId: string | undefined;
}

const HEADER = 'EndTransactionRequestHeader';
/** MessageSysFlag TRANSACTION_NOT_TYPE, TRANSACTION_COMMIT_TYPE, TRANSACTION_ROLLBACK_TYPE. */
const ALLOWED_STATES = [0x0, 0x8, 0xc];

export function decodeEndTransactionRequestHeader(extFields: ExtFields | undefined): EndTransactionRequestHeader {
  const reader = new HeaderReader(extFields, HEADER);
  const header = {
    producerGroup: reader.string('producerGroup'),
    tranStateTableOffset: reader.long('tranStateTableOffset'),
    commitLogOffset: reader.long('commitLogOffset'),
    commitOrRollback: reader.int('commitOrRollback'),
    fromTransactionCheck: reader.bool('fromTransactionCheck'),
    msgId: reader.string('msgId'),
    transactionId: reader.optionalString('transactionId'),
  };
  if (!ALLOWED_STATES.includes(header.commitOrRollback)) {
    throw new HeaderFieldError(HEADER, 'commitOrRollback', 'is wrong (commitOrRollback field wrong)');
  }
  return header;
}
