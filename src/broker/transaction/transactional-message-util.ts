// The records the transaction machinery writes (Java TransactionalMessageBridge,
// EndTransactionProcessor.endMessageTransaction, DefaultTransactionalMessageCheckListener):
//
//   half      the producer's message with REAL_TOPIC / REAL_QID added and the transaction bits of
//             SYSFLAG reset to NOT, in RMQ_SYS_TRANS_HALF_TOPIC queue 0 (so no consumer sees it)
//   op        RMQ_SYS_TRANS_OP_HALF_TOPIC, same queue as the half message, TAGS "d", body = the half
//             message's queue offset in decimal: "this half message is resolved"
//   commit    the real message: REAL_TOPIC / REAL_QID as topic and queue, transaction bits COMMIT,
//             PREPAREDTRANSACTIONOFFSET = the half message's commit-log offset
//   renewed   a half message appended again by the check loop (TRANSACTION_CHECK_TIMES counted up)
//   discard   a half message checked transactionCheckMax times, parked in TRANS_CHECK_MAX_TIME_TOPIC
//
// Java 4.7.1 quirks kept on purpose, because a Java client could see them:
//   * the committed record keeps the half message's PROPERTIES verbatim (REAL_TOPIC, REAL_QID,
//     TRAN_MSG and PGROUP included): Java clears them from the property map only after it has
//     already encoded the string it stores;
//   * a renewed half message has FLAG 0 and RECONSUMETIMES 0 (renewHalfMessageInner copies neither);
//   * the op record's properties are "WAIT=true, TAGS=d" in HashMap order, without a UNIQ_KEY.
import type { HostAddress } from '../../codec/message/host-address';
import type { MessageRecord } from '../../codec/message/message-record';
import { MessageConst } from '../../codec/message/message-properties';
import { putMessageProperty } from '../../codec/message/put-message-property';
import { MessageSysFlag, resetTransactionValue } from '../../codec/message/message-sys-flag';
import type { MessageToStore } from '../../store/dispatch-request';
import { messageFromRecord } from '../message-from-record';
import { tagsCodeOf } from '../tags-code';
import { TopicValidator } from '../topic-validator';

/** MixAll.CID_SYS_RMQ_TRANS: the group whose offsets record the check loop's progress. */
export const CID_RMQ_SYS_TRANS = 'CID_RMQ_SYS_TRANS';
/** TransactionalMessageUtil.REMOVETAG. */
export const REMOVE_TAG = 'd';
export const HALF_TOPIC = TopicValidator.RMQ_SYS_TRANS_HALF_TOPIC;
export const OP_TOPIC = TopicValidator.RMQ_SYS_TRANS_OP_HALF_TOPIC;

const OP_PROPERTIES = `${MessageConst.PROPERTY_WAIT_STORE_MSG_OK}\u0001true\u0002${MessageConst.PROPERTY_TAGS}\u0001${REMOVE_TAG}\u0002`;

/** TransactionalMessageBridge.parseHalfMessageInner. */
export function toHalfMessage(message: MessageToStore): MessageToStore {
  let propertiesString = putMessageProperty(message.propertiesString, MessageConst.PROPERTY_REAL_TOPIC, message.topic);
  propertiesString = putMessageProperty(propertiesString, MessageConst.PROPERTY_REAL_QUEUE_ID, String(message.queueId));
  return {
    ...message,
    topic: HALF_TOPIC,
    queueId: 0,
    propertiesString,
    sysFlag: resetTransactionValue(message.sysFlag, MessageSysFlag.TRANSACTION_NOT_TYPE),
  };
}

/** The op record that marks the half message at `halfQueueOffset` of `queueId` as resolved. */
export function opMessage(
  halfQueueId: number,
  halfQueueOffset: number,
  storeHost: HostAddress,
  nowMs: number,
): MessageToStore {
  return {
    topic: OP_TOPIC,
    queueId: halfQueueId,
    flag: 0,
    body: Buffer.from(String(halfQueueOffset), 'utf8'),
    propertiesString: OP_PROPERTIES,
    tagsCode: tagsCodeOf(OP_PROPERTIES),
    sysFlag: 0,
    bornTimestampMs: nowMs,
    bornHost: storeHost,
    storeHost,
    reconsumeTimes: 0,
    preparedTransactionOffset: 0,
  };
}

/** EndTransactionProcessor.endMessageTransaction: the real message of a committed half message. */
export function committedMessage(half: MessageRecord, realTopic: string, realQueueId: number): MessageToStore {
  return messageFromRecord(half, {
    topic: realTopic,
    queueId: realQueueId,
    propertiesString: half.propertiesString,
    sysFlag: resetTransactionValue(half.sysFlag, MessageSysFlag.TRANSACTION_COMMIT_TYPE),
    preparedTransactionOffset: half.physicalOffset,
  });
}

/** TransactionalMessageBridge.renewHalfMessageInner, with the check loop's updated properties. */
export function renewedHalfMessage(half: MessageRecord, propertiesString: string): MessageToStore {
  return messageFromRecord(half, {
    topic: half.topic,
    queueId: half.queueId,
    propertiesString,
    flag: 0,
    reconsumeTimes: 0,
    preparedTransactionOffset: 0,
  });
}

/** DefaultTransactionalMessageCheckListener.toMessageExtBrokerInner. */
export function discardedMessage(half: MessageRecord, propertiesString: string): MessageToStore {
  return messageFromRecord(half, {
    topic: TopicValidator.TRANS_CHECK_MAX_TIME_TOPIC,
    queueId: 0,
    propertiesString,
    preparedTransactionOffset: 0,
  });
}

/** Java getLong / getInt of TransactionalMessageServiceImpl: -1 for text that does not parse. */
export function parseLongOr(text: string | undefined, fallback = -1): number {
  if (text === undefined || !/^[+-]?\d+$/.test(text.trim())) return fallback;
  const value = Number(text.trim());
  return Number.isSafeInteger(value) ? value : fallback;
}
