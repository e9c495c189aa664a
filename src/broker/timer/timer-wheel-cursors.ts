// Where the timer wheel is in each of its queues:
//   read offset   the next entry to look at (in memory);
//   low water     the first entry not yet delivered or rolled (persisted, TimerWheelOffsets);
//   pending       level-0 entries loaded into the in-memory index and not yet delivered — delivery
//                 goes by time, not by offset, so the low water moves over a prefix of them only;
//   stopped at    the horizon at which reading stopped at an entry due later than it.
import { decodeMessageRecord, type MessageRecord } from '../../codec/message/message-record';
import type { DefaultMessageStore } from '../../store/message-store';
import { TIMER_TOPIC } from './timer-wheel-layout';
import { TimerWheelOffsets } from './timer-wheel-offsets';

const TIMER_GROUP = 'TIMER_WHEEL_CONSUMER';
const READ_BATCH = 32;

export class TimerWheelCursors {
  readonly offsets: TimerWheelOffsets;
  readonly stoppedAt = new Map<number, number>();
  private readonly readOffsets = new Map<number, number>();
  private readonly pending = new Map<number, Set<number>>();

  constructor(
    configFilePath: string,
    private readonly store: DefaultMessageStore,
  ) {
    this.offsets = new TimerWheelOffsets(configFilePath);
  }

  readOffset(queueId: number): number {
    return (
      this.readOffsets.get(queueId) ?? this.offsets.get(queueId) ?? this.store.getMinOffsetInQueue(TIMER_TOPIC, queueId)
    );
  }

  hasPending(queueId: number): boolean {
    return this.pending.has(queueId);
  }

  /**
   * The records of a queue from its read offset, in order, until the caller stops; the caller
   * reports what it took (loaded / consumed). Moves past holes (offsets below the queue's
   * minimum, after retention removed the start of the queue).
   */
  *records(queueId: number): Generator<MessageRecord> {
    let offset = this.readOffset(queueId);
    for (;;) {
      const result = this.store.getMessage(TIMER_GROUP, TIMER_TOPIC, queueId, offset, READ_BATCH);
      if (result.messageBuffers.length === 0) {
        if (result.nextBeginOffset === offset || this.pending.has(queueId)) return;
        offset = result.nextBeginOffset;
        this.consumedBefore(queueId, offset);
        continue;
      }
      for (const buffer of result.messageBuffers) {
        const record = decodeMessageRecord(buffer, 0).record;
        yield record;
        offset = record.queueOffset + 1;
      }
    }
  }

  /** A level-0 entry went into the in-memory index. */
  loaded(queueId: number, queueOffset: number): void {
    let pending = this.pending.get(queueId);
    if (pending === undefined) {
      pending = new Set();
      this.pending.set(queueId, pending);
    }
    pending.add(queueOffset);
    this.readOffsets.set(queueId, queueOffset + 1);
  }

  /** A loaded entry was delivered: the low water moves over the delivered prefix. */
  delivered(queueId: number, queueOffset: number): void {
    const pending = this.pending.get(queueId);
    pending?.delete(queueOffset);
    const readOffset = this.readOffset(queueId);
    let lowWater = this.offsets.get(queueId) ?? this.store.getMinOffsetInQueue(TIMER_TOPIC, queueId);
    while (lowWater < readOffset && !pending?.has(lowWater)) lowWater++;
    this.offsets.set(queueId, lowWater);
    if (pending?.size === 0) this.pending.delete(queueId);
  }

  /** Everything before `queueOffset` is done with (rolled, refreshed, or gone). */
  consumedBefore(queueId: number, queueOffset: number): void {
    this.readOffsets.set(queueId, queueOffset);
    this.offsets.set(queueId, queueOffset);
  }
}
