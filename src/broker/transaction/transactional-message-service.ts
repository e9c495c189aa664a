// TransactionalMessageServiceImpl.check (4.7.1): one pass over every half queue.
//
// For a half queue, the pass starts at CID_RMQ_SYS_TRANS's offset on it and reads the op queue
// (same queue id) from that group's op offset: op records ("d", body = half queue offset) name
// half messages that were committed or rolled back. Walking the half queue in order, a message
//   * already resolved by an op record is passed over;
//   * checked transactionCheckMax times already, or older than fileReservedTime, is discarded
//     (listener.resolveDiscardMsg: moved to TRANS_CHECK_MAX_TIME_TOPIC);
//   * stored after the pass began ends the pass (it is one this pass appended itself);
//   * younger than its immunity (transactionTimeOut, or CHECK_IMMUNITY_TIME_IN_SECONDS) ends the
//     pass; with an explicit immunity it is instead appended again carrying
//     TRAN_PREPARED_QUEUE_OFFSET, unless an op record already resolved that original offset;
//   * otherwise, once every op record has been read without finding it, gets its
//     TRANSACTION_CHECK_TIMES counted up, is appended again to the half queue, and the producer
//     group is asked about the appended copy (listener.resolveHalfMsg → CHECK_TRANSACTION_STATE).
// The pass then stores the new half offset, and the op offset moved over every op record that is
// done with. One queue's pass is bounded by MAX_PROCESS_TIME_LIMIT_MS, as in Java.
import {
  decodeMessageProperties,
  encodeMessageProperties,
  MessageConst,
  type MessageProperties,
} from '../../codec/message/message-properties';
import type { MessageRecord } from '../../codec/message/message-record';
import type { AppendedAt, PullResult, TransactionalMessageBridge } from './transactional-message-bridge';
import { HALF_TOPIC, OP_TOPIC, parseLongOr, REMOVE_TAG, renewedHalfMessage } from './transactional-message-util';

/** Java MAX_PROCESS_TIME_LIMIT: one queue's pass stops after 60 s. */
export const MAX_PROCESS_TIME_LIMIT_MS = 60_000;
/** Java MAX_RETRY_COUNT_WHEN_HALF_NULL. */
const MAX_RETRY_COUNT_WHEN_HALF_NULL = 1;
/** Op records read per store call (Java pulls 32). */
const OP_BATCH = 32;

export interface TransactionCheckListener {
  /** Asks a producer of the message's PGROUP about the re-appended copy at `renewed`. */
  resolveHalfMsg(half: MessageRecord, properties: MessageProperties, renewed: AppendedAt): void;
  /** Gives up on a half message (TRANS_CHECK_MAX_TIME_TOPIC). */
  resolveDiscardMsg(half: MessageRecord, properties: MessageProperties): Promise<void>;
}

export interface CheckLimits {
  transactionTimeoutMs: number;
  transactionCheckMax: number;
  fileReservedTimeMs: number;
  /** Ends the pass early (broker shutdown). */
  shouldStop?: () => boolean;
}

/** The state of one queue's pass (Java's local variables of check()). */
class QueuePass {
  readonly startMs = Date.now();
  /** Half queue offset → op queue offset of the op record that resolved it. */
  readonly removeMap = new Map<number, number>();
  /** Op queue offsets that need no further look. */
  readonly doneOpOffsets: number[] = [];
  ops: PullResult = { status: 'NO_NEW_MSG', nextBeginOffset: 0, records: undefined };

  constructor(
    readonly queueId: number,
    readonly halfOffset: number,
    readonly opOffset: number,
  ) {}
}

export class TransactionalMessageService {
  constructor(
    readonly bridge: TransactionalMessageBridge,
    private readonly log: (message: string) => void,
  ) {}

  async check(limits: CheckLimits, listener: TransactionCheckListener): Promise<void> {
    for (const queueId of this.bridge.halfQueueIds()) {
      try {
        await this.checkQueue(queueId, limits, listener);
      } catch (error) {
        this.log(`transaction check of half queue ${queueId} failed: ${(error as Error).stack}`);
      }
    }
  }

  private async checkQueue(queueId: number, limits: CheckLimits, listener: TransactionCheckListener): Promise<void> {
    const pass = new QueuePass(
      queueId,
      this.bridge.fetchConsumeOffset(HALF_TOPIC, queueId),
      this.bridge.fetchConsumeOffset(OP_TOPIC, queueId),
    );
    if (pass.halfOffset < 0 || pass.opOffset < 0) return;
    this.fillOpRemoveMap(pass, pass.opOffset);
    const newOffset = await this.walkHalfQueue(pass, limits, listener);
    if (newOffset !== pass.halfOffset) this.bridge.updateConsumeOffset(HALF_TOPIC, queueId, newOffset);
    const newOpOffset = calculateOpOffset(pass.doneOpOffsets, pass.opOffset);
    if (newOpOffset !== pass.opOffset) this.bridge.updateConsumeOffset(OP_TOPIC, queueId, newOpOffset);
  }

  /** Walks the half queue from the pass's offset; returns the new half offset. */
  private async walkHalfQueue(
    pass: QueuePass,
    limits: CheckLimits,
    listener: TransactionCheckListener,
  ): Promise<number> {
    let nullCount = 1;
    let newOffset = pass.halfOffset;
    let offset = pass.halfOffset;
    while (Date.now() - pass.startMs <= MAX_PROCESS_TIME_LIMIT_MS && limits.shouldStop?.() !== true) {
      const resolvedBy = pass.removeMap.get(offset);
      if (resolvedBy !== undefined) {
        pass.removeMap.delete(offset);
        pass.doneOpOffsets.push(resolvedBy);
      } else {
        const got = this.bridge.getHalfMessages(pass.queueId, offset, 1);
        const half = got.records?.[0];
        if (half === undefined) {
          if (nullCount++ > MAX_RETRY_COUNT_WHEN_HALF_NULL || got.status === 'NO_NEW_MSG') break;
          offset = got.nextBeginOffset;
          newOffset = offset;
          continue;
        }
        const step = await this.visitHalf(pass, half, limits, listener);
        if (step === 'stop') break;
        if (step === 'again') continue;
      }
      newOffset = offset + 1;
      offset++;
    }
    return newOffset;
  }

  /** One unresolved half message: 'next' to move on, 'again' to look at it again, 'stop'. */
  private async visitHalf(
    pass: QueuePass,
    half: MessageRecord,
    limits: CheckLimits,
    listener: TransactionCheckListener,
  ): Promise<'next' | 'again' | 'stop'> {
    const properties = decodeMessageProperties(half.propertiesString);
    if (
      needDiscard(properties, limits.transactionCheckMax) ||
      Date.now() - half.bornTimestampMs > limits.fileReservedTimeMs
    ) {
      await listener.resolveDiscardMsg(half, properties);
      return 'next';
    }
    if (half.storeTimestampMs >= pass.startMs) return 'stop';
    const ageMs = Date.now() - half.bornTimestampMs;
    let immunityMs = limits.transactionTimeoutMs;
    const immunityText = properties.get(MessageConst.PROPERTY_CHECK_IMMUNITY_TIME_IN_SECONDS);
    if (immunityText !== undefined) {
      const seconds = parseLongOr(immunityText);
      immunityMs = seconds === -1 ? limits.transactionTimeoutMs : seconds * 1000;
      if (ageMs < immunityMs && (await this.checkPrepareQueueOffset(pass, half, properties))) return 'next';
    } else if (ageMs >= 0 && ageMs < immunityMs) {
      return 'stop';
    }
    const lastOp = pass.ops.records?.[pass.ops.records.length - 1];
    const needCheck =
      (pass.ops.records === undefined && ageMs > immunityMs) ||
      (lastOp !== undefined && lastOp.bornTimestampMs - pass.startMs > limits.transactionTimeoutMs) ||
      ageMs <= -1;
    if (!needCheck) {
      this.fillOpRemoveMap(pass, pass.ops.nextBeginOffset);
      return 'again';
    }
    const renewed = await this.bridge.putMessage(renewedHalfMessage(half, encodeMessageProperties(properties)));
    if (renewed === null) {
      // Java retries the same offset at once; with a failing store that spins, so end the pass.
      this.log(`transaction check: re-appending half message ${half.physicalOffset} failed`);
      return 'stop';
    }
    listener.resolveHalfMsg(half, properties, renewed);
    return 'next';
  }

  /**
   * Reads up to 32 op records from `opOffset`: those naming a half offset below the pass's start
   * are done with; the others go into removeMap.
   */
  private fillOpRemoveMap(pass: QueuePass, opOffset: number): void {
    const result = this.bridge.getOpMessages(pass.queueId, opOffset, OP_BATCH);
    pass.ops = result;
    if (result.status === 'OFFSET_ILLEGAL' || result.status === 'NO_MATCHED_MSG') {
      this.bridge.updateConsumeOffset(OP_TOPIC, pass.queueId, result.nextBeginOffset);
      return;
    }
    for (const op of result.records ?? []) {
      const halfOffset = parseLongOr(op.body.toString('utf8'));
      const tags = decodeMessageProperties(op.propertiesString).get(MessageConst.PROPERTY_TAGS);
      if (tags !== REMOVE_TAG) {
        this.log(`transaction check: op record ${op.physicalOffset} has tags ${tags}`);
      } else if (halfOffset < pass.halfOffset) {
        pass.doneOpOffsets.push(op.queueOffset);
      } else {
        pass.removeMap.set(halfOffset, op.queueOffset);
      }
    }
  }

  /** Java checkPrepareQueueOffset: true when the message needs no check in this pass. */
  private async checkPrepareQueueOffset(
    pass: QueuePass,
    half: MessageRecord,
    properties: MessageProperties,
  ): Promise<boolean> {
    const text = properties.get(MessageConst.PROPERTY_TRANSACTION_PREPARED_QUEUE_OFFSET);
    if (text !== undefined) {
      const preparedOffset = parseLongOr(text);
      if (preparedOffset === -1) return false;
      const resolvedBy = pass.removeMap.get(preparedOffset);
      if (resolvedBy !== undefined) {
        pass.removeMap.delete(preparedOffset);
        pass.doneOpOffsets.push(resolvedBy);
        return true;
      }
    }
    // putImmunityMsgBackToHalfQueue: remember the first offset the message had.
    properties.set(MessageConst.PROPERTY_TRANSACTION_PREPARED_QUEUE_OFFSET, text ?? String(half.queueOffset));
    return (await this.bridge.putMessage(renewedHalfMessage(half, encodeMessageProperties(properties)))) !== null;
  }
}

/**
 * Java needDiscard: true once TRANSACTION_CHECK_TIMES reached `checkMax`; otherwise counts it up in
 * `properties` (1 on the first check).
 */
export function needDiscard(properties: MessageProperties, checkMax: number): boolean {
  const text = properties.get(MessageConst.PROPERTY_TRANSACTION_CHECK_TIMES);
  let checkTimes = 1;
  if (text !== undefined) {
    checkTimes = parseLongOr(text);
    if (checkTimes >= checkMax) return true;
    checkTimes++;
  }
  properties.set(MessageConst.PROPERTY_TRANSACTION_CHECK_TIMES, String(checkTimes));
  return false;
}

/** Java calculateOpOffset: moves over the contiguous run of done op offsets. */
export function calculateOpOffset(doneOpOffsets: number[], oldOffset: number): number {
  const sorted = [...doneOpOffsets].sort((a, b) => a - b);
  let offset = oldOffset;
  for (const done of sorted) {
    if (done !== offset) break;
    offset++;
  }
  return offset;
}
