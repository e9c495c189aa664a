// TimerMessageService: delivers the messages parked in the timer wheel (rmq_sys_wheel_timer, see
// timer-wheel-layout.ts) at their millisecond. Parked messages stay on disk (commit log + one
// consume queue per slot); memory holds only
//   * per queue: the persisted low-water offset and an in-memory read offset,
//   * the in-memory index (TimerHeap) of the level-0 slots that have begun — the messages due
//     in the next second or so, at most MAX_LOADED_ENTRIES,
// and one setTimeout for the whole wheel (the next due entry or the next slot to begin).
//
// All work runs in one serialized pump: mark the slots that began, process "dirty" slots (new
// arrivals, begun slots: level 0 loads entries into the index, levels ≥ 1 roll entries down),
// deliver what is due, refresh old parked records, persist offsets. At start every slot is
// dirty, which delivers whatever fell due while the broker was down.
//
// Refresh: a record parked longer than min(24 h, fileReservedTime / 3) is appended again (to its
// slot or a finer one), so the commit log's retention never deletes a pending timer message.
import { decodeMessageRecord, type MessageRecord } from '../../codec/message/message-record';
import type { DefaultMessageStore } from '../../store/message-store';
import type { MessageToStore } from '../../store/dispatch-request';
import { PutMessageStatus } from '../../store/put-message-status';
import { TimerHeap, type TimerEntry } from './timer-heap';
import { deliveredMessage, parkedDeliverMs, reparkedMessage, TIMER_IMMEDIATE_MS } from './timer-message';
import {
  nextSlotBegin,
  placeTimer,
  slotHorizonMs,
  slotOfQueue,
  TIMER_LEVELS,
  TIMER_QUEUE_COUNT,
  TIMER_TOPIC,
} from './timer-wheel-layout';
import { TimerWheelCursors } from './timer-wheel-cursors';

/** Bound of the in-memory index; a level-0 slot beyond it is read further as it drains. */
export const MAX_LOADED_ENTRIES = 50_000;
const PERSIST_INTERVAL_MS = 5000;
const RETRY_AFTER_FAILURE_MS = 1000;
const REFRESH_INTERVAL_MS = 3_600_000;
const FIRST_REFRESH_AFTER_MS = 60_000;
/** Deliveries or rolls between two looks at the due entries / yields to I/O. */
const YIELD_EVERY = 64;
const HOUR_MS = 3_600_000;

/** How processing a slot ended: all read, stopped at a later entry, or to be retried. */
type SlotOutcome = 'done' | 'stopped' | 'incomplete';

const STORED = new Set<PutMessageStatus>([
  PutMessageStatus.PUT_OK,
  PutMessageStatus.FLUSH_DISK_TIMEOUT,
  PutMessageStatus.FLUSH_SLAVE_TIMEOUT,
  PutMessageStatus.SLAVE_NOT_AVAILABLE,
]);

export class TimerMessageService {
  private readonly cursors: TimerWheelCursors;
  private readonly heap = new TimerHeap();
  private readonly dirty = new Set<number>();
  private readonly deferred = new Set<number>();
  private readonly nextBegins: { atMs: number; queueId: number }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private pumping: Promise<void> | undefined;
  private pumpAgain = false;
  private blockedUntilMs = 0;
  private nextPersistMs = 0;
  private nextRefreshMs = 0;
  private refreshAgeOverrideMs: number | undefined;

  constructor(
    configFilePath: string,
    private readonly store: DefaultMessageStore,
    private readonly fileReservedTimeHours: () => number,
    private readonly log: (message: string) => void,
  ) {
    this.cursors = new TimerWheelCursors(configFilePath, store);
  }

  /** Entries in the in-memory index (for tests and the memory report). */
  get loadedEntries(): number {
    return this.heap.size;
  }

  load(): boolean {
    return this.cursors.offsets.load();
  }

  start(): void {
    this.running = true;
    const now = Date.now();
    for (let level = 0; level < TIMER_LEVELS.length; level++) this.nextBegins[level] = nextSlotBegin(level, now);
    for (let queueId = 0; queueId < TIMER_QUEUE_COUNT; queueId++) this.dirty.add(queueId);
    this.nextRefreshMs = now + FIRST_REFRESH_AFTER_MS;
    this.store.onMessageArriving((topic, queueId) => {
      if (topic === TIMER_TOPIC && this.running) this.kick(queueId);
    });
    this.kick();
  }

  async shutdown(): Promise<void> {
    this.running = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.pumping;
    this.cursors.offsets.persist();
  }

  /** Runs the refresh pass now, re-appending records parked longer than `refreshAgeMs` (tests, tools). */
  requestRefresh(refreshAgeMs?: number): void {
    this.refreshAgeOverrideMs = refreshAgeMs;
    this.nextRefreshMs = 0;
    this.kick();
  }

  /** Resolves once the pump is idle (tests). */
  async idle(): Promise<void> {
    while (this.pumping !== undefined) await this.pumping;
  }

  /** Marks a queue as having new entries and runs the pump soon. */
  kick(queueId?: number): void {
    if (queueId !== undefined) this.dirty.add(queueId);
    if (this.pumping !== undefined) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = this.pump().finally(() => {
      this.pumping = undefined;
      if (this.pumpAgain && this.running) this.kick();
      else this.arm();
    });
  }

  private async pump(): Promise<void> {
    await Promise.resolve();
    do {
      this.pumpAgain = false;
      try {
        this.markBegunSlots(Date.now());
        await this.processDirtySlots();
        await this.deliverDue();
        if (Date.now() >= this.nextRefreshMs) await this.refreshOldEntries();
        if (Date.now() >= this.nextPersistMs) {
          this.cursors.offsets.persistIfDirty();
          this.nextPersistMs = Date.now() + PERSIST_INTERVAL_MS;
        }
      } catch (error) {
        this.log(`timer wheel pump failed: ${(error as Error).stack}`);
        this.blockedUntilMs = Date.now() + RETRY_AFTER_FAILURE_MS;
      }
    } while (this.pumpAgain && this.running);
  }

  /** One timer for the wheel: the next due entry, slot start, retry, refresh or persist. */
  private arm(): void {
    if (!this.running) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    const now = Date.now();
    let wakeMs = Math.min(this.nextRefreshMs, ...this.nextBegins.map((begin) => begin.atMs));
    const due = this.heap.peek()?.deliverMs;
    if (due !== undefined) wakeMs = Math.min(wakeMs, Math.max(due, this.blockedUntilMs));
    if (this.deferred.size > 0) wakeMs = Math.min(wakeMs, Math.max(now + RETRY_AFTER_FAILURE_MS, this.blockedUntilMs));
    if (this.cursors.offsets.dirty) wakeMs = Math.min(wakeMs, this.nextPersistMs);
    this.timer = setTimeout(() => this.kick(), Math.max(0, wakeMs - now));
    this.timer.unref();
  }

  private markBegunSlots(now: number): void {
    TIMER_LEVELS.forEach((level, index) => {
      let begin = this.nextBegins[index];
      if (now - begin.atMs > level.slots * level.slotMs) {
        for (let slot = 0; slot < level.slots; slot++) this.dirty.add(level.firstQueueId + slot);
        begin = nextSlotBegin(index, now);
      }
      while (begin.atMs <= now) {
        this.dirty.add(begin.queueId);
        begin = nextSlotBegin(index, begin.atMs);
      }
      this.nextBegins[index] = begin;
    });
    if (now >= this.blockedUntilMs && this.heap.size < MAX_LOADED_ENTRIES / 2) {
      for (const queueId of this.deferred) this.dirty.add(queueId);
      this.deferred.clear();
    }
  }

  private async processDirtySlots(): Promise<void> {
    for (const queueId of [...this.dirty].sort((a, b) => a - b)) {
      this.dirty.delete(queueId);
      const horizonMs = slotHorizonMs(queueId, Date.now());
      // A queue stopped at an entry due after its horizon stays stopped until the horizon moves:
      // later entries sit behind that one (see timer-wheel-layout.ts), so arrivals change nothing.
      const stoppedAt = this.cursors.stoppedAt;
      if (stoppedAt.get(queueId) === horizonMs) continue;
      stoppedAt.delete(queueId);
      const level = slotOfQueue(queueId).level;
      const outcome = level === 0 ? this.loadSlot(queueId, horizonMs) : await this.rollSlot(queueId, horizonMs);
      if (outcome === 'incomplete') this.deferred.add(queueId);
      if (outcome === 'stopped') stoppedAt.set(queueId, horizonMs);
    }
  }

  /** Level 0: loads the entries due before the slot's horizon into the index. */
  private loadSlot(queueId: number, horizonMs: number): SlotOutcome {
    for (const record of this.cursors.records(queueId)) {
      if (this.heap.size >= MAX_LOADED_ENTRIES || !this.running) return 'incomplete';
      const deliverMs = parkedDeliverMs(record);
      if (deliverMs >= horizonMs) return 'stopped';
      this.heap.push({ deliverMs, queueId, queueOffset: record.queueOffset, physicalOffset: record.physicalOffset });
      this.cursors.loaded(queueId, record.queueOffset);
    }
    return 'done';
  }

  /** Levels ≥ 1: moves the entries due before the slot's horizon down (or out, when due). */
  private async rollSlot(queueId: number, horizonMs: number): Promise<SlotOutcome> {
    let rolled = 0;
    for (const record of this.cursors.records(queueId)) {
      if (parkedDeliverMs(record) >= horizonMs) return 'stopped';
      if (!this.running || Date.now() < this.blockedUntilMs || !(await this.repark(record, queueId)))
        return 'incomplete';
      this.cursors.consumedBefore(queueId, record.queueOffset + 1);
      if (++rolled % YIELD_EVERY === 0) await this.deliverDue();
    }
    return 'done';
  }

  /** Parks a record again where it belongs now (delivering it when due); false if the put failed. */
  private async repark(record: MessageRecord, fromQueueId: number): Promise<boolean> {
    const now = Date.now();
    const deliverMs = parkedDeliverMs(record);
    let message: MessageToStore | null;
    if (deliverMs - now <= TIMER_IMMEDIATE_MS) {
      message = deliveredMessage(record);
    } else {
      message = reparkedMessage(record, placeTimer(deliverMs, now)?.queueId ?? fromQueueId);
    }
    return this.put(message, record);
  }

  private async put(message: MessageToStore | null, record: MessageRecord): Promise<boolean> {
    if (message === null) {
      this.log(`timer message at ${record.physicalOffset} has no REAL_TOPIC/REAL_QID; dropped`);
      return true;
    }
    const result = await this.store.putMessage({ ...message, brokerInternal: true });
    if (STORED.has(result.status)) return true;
    this.log(`timer wheel put to ${message.topic} failed: ${result.status}`);
    this.blockedUntilMs = Date.now() + RETRY_AFTER_FAILURE_MS;
    return false;
  }

  /** Delivers every loaded entry that is due. */
  private async deliverDue(): Promise<void> {
    let delivered = 0;
    for (let entry = this.heap.peek(); entry !== undefined && entry.deliverMs <= Date.now(); entry = this.heap.peek()) {
      if (!this.running || Date.now() < this.blockedUntilMs) return;
      this.heap.pop();
      if (!(await this.deliver(entry))) {
        this.heap.push(entry);
        return;
      }
      this.cursors.delivered(entry.queueId, entry.queueOffset);
      if (++delivered % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private async deliver(entry: TimerEntry): Promise<boolean> {
    const buffer = this.store.lookMessageByOffset(entry.physicalOffset);
    if (buffer === null) {
      this.log(`timer message at ${entry.physicalOffset} is gone from the commit log; skipped`);
      return true;
    }
    const record = decodeMessageRecord(buffer, 0).record;
    return this.put(deliveredMessage(record), record);
  }

  /** Re-appends records parked for longer than the refresh age (idle queues only). */
  private async refreshOldEntries(): Promise<void> {
    const now = Date.now();
    this.nextRefreshMs = now + REFRESH_INTERVAL_MS;
    const refreshAgeMs =
      this.refreshAgeOverrideMs ?? Math.min(24 * HOUR_MS, (this.fileReservedTimeHours() * HOUR_MS) / 3);
    this.refreshAgeOverrideMs = undefined;
    for (let queueId = 0; queueId < TIMER_QUEUE_COUNT; queueId++) {
      if (this.cursors.hasPending(queueId) || this.dirty.has(queueId) || this.deferred.has(queueId)) continue;
      const horizonMs = slotHorizonMs(queueId, now);
      for (const record of this.cursors.records(queueId)) {
        if (record.storeTimestampMs >= now - refreshAgeMs) break;
        if (parkedDeliverMs(record) < horizonMs) {
          this.dirty.add(queueId);
          break;
        }
        if (!this.running || !(await this.repark(record, queueId))) return;
        this.cursors.stoppedAt.delete(queueId);
        this.cursors.consumedBefore(queueId, record.queueOffset + 1);
      }
    }
  }
}
