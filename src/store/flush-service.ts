// Getting written bytes onto the disk (Java CommitLog.FlushRealTimeService, GroupCommitService
// and DefaultMessageStore.FlushConsumeQueueService).
//
// - ASYNC_FLUSH: the commit log is fdatasynced every flushIntervalCommitLog ms. An acknowledged
//   message is in the OS page cache, so only a machine crash can lose it.
// - SYNC_FLUSH: every completed write asks for a flush (`flushCommitLog`). One fdatasync covers
//   every write done before it started, and a write that arrives while one runs is covered by
//   the next one, started as soon as it ends (group commit). `onCommitLogFlushed` hears of each
//   new flushed offset; the put service answers and dispatches from there.
// - Consume queues, the index and the checkpoint are flushed every flushIntervalConsumeQueue ms.
//   As Java's FlushConsumeQueueService, a queue is fdatasynced only once it has
//   flushConsumeQueueLeastPages pages of new units, and every queue is (a thorough pass) every
//   flushConsumeQueueThoroughInterval ms: a thousand quiet queues are not a thousand fdatasyncs
//   a second. The checkpoint records, with the Java timestamps, the commit-log offset known
//   flushed and the offset below which every consume-queue unit is flushed (see StoreCheckpoint);
//   the latter moves only when a pass left no unit unflushed.
import type { CommitLog } from './commit-log';
import type { ConsumeQueue } from './consume-queue';
import type { ConsumeQueueTable } from './consume-queue-table';
import type { IndexService } from './index-service';
import { AsyncGate } from './async-gate';
import type { StoreCheckpoint } from './store-checkpoint';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

/** Consume queues committed per event-loop turn by the periodic flush. */
const COMMIT_SLICE_QUEUES = 64;
/**
 * Consume-queue fdatasyncs in flight at once. A thousand queues flushed all together would queue
 * the commit log's own fdatasync (what SYNC_FLUSH sends wait for) behind them in the thread pool.
 */
const MAX_CONSUME_QUEUE_FSYNCS = 2;

/** What the flush service needs to know about the latest writes. */
export interface FlushProgress {
  /** STORETIMESTAMP of the last record written to the commit log. */
  lastWrittenStoreTimestampMs: number;
  /** STORETIMESTAMP of the last record dispatched to a consume queue. */
  lastDispatchedStoreTimestampMs: number;
  /** Commit-log offset below which every record has been dispatched. */
  dispatchedPhysicalOffset: number;
}

export interface FlushOptions {
  syncFlush: boolean;
  commitLogIntervalMs: number;
  consumeQueueIntervalMs: number;
  /** Pages of new units a queue needs before a periodic pass flushes it (0: any unit). */
  consumeQueueLeastPages: number;
  /** Every queue is flushed at least this often. */
  consumeQueueThoroughIntervalMs: number;
  /**
   * A slave's log may end inside a record (bytes from the master arrive in any cut): then the
   * checkpoint's offset is kept at the end of the last dispatched record, a record boundary.
   */
  physicOffsetAtDispatched?: boolean;
}

export class FlushService {
  /** Told every new flushed commit-log offset (after the checkpoint fields were updated). */
  onCommitLogFlushed: (flushedPhysicalOffset: number) => void = () => undefined;
  private syncing: Promise<void> | null = null;
  /** When the running fdatasync of the commit log started; 0 when none runs. */
  private syncStartedAtMs = 0;
  private commitLogTimer: NodeJS.Timeout | null = null;
  private consumeQueueTimer: NodeJS.Timeout | null = null;
  private consumeQueueFlushing: Promise<void> | null = null;
  /** When the last thorough consume-queue pass started (0: none yet, so the first is one). */
  private lastThoroughFlushMs = 0;
  private readonly consumeQueueFlushGate = new AsyncGate(MAX_CONSUME_QUEUE_FSYNCS);

  constructor(
    private readonly commitLog: CommitLog,
    private readonly consumeQueues: ConsumeQueueTable,
    private readonly checkpoint: StoreCheckpoint,
    private readonly progress: FlushProgress,
    private readonly options: FlushOptions,
    private readonly log: (message: string) => void,
    private readonly indexService: IndexService | null = null,
  ) {}

  start(): void {
    if (!this.options.syncFlush) {
      this.commitLogTimer = setInterval(() => this.flushCommitLog(), this.options.commitLogIntervalMs);
      this.commitLogTimer.unref();
    }
    this.consumeQueueTimer = setInterval(() => void this.flushConsumeQueues(), this.options.consumeQueueIntervalMs);
    this.consumeQueueTimer.unref();
  }

  /** Milliseconds the running commit-log fdatasync has taken so far (0 when none runs). */
  syncRunningMs(nowMs: number = Date.now()): number {
    return this.syncing !== null ? nowMs - this.syncStartedAtMs : 0;
  }

  /**
   * Starts an fdatasync of the commit log unless one is running (SYNC_FLUSH: one follows it).
   * The promise settles when the running one ends (it never rejects; failures are logged).
   */
  flushCommitLog(): Promise<void> {
    if (this.syncing !== null) return this.syncing;
    if (this.commitLog.writtenPhysicalOffset <= this.commitLog.flushedPhysicalOffset) return Promise.resolve();
    this.syncStartedAtMs = Date.now();
    const storeTimestampMs = this.progress.lastWrittenStoreTimestampMs;
    this.syncing = this.commitLog.flush().then(
      (flushedPhysicalOffset) => {
        this.syncing = null;
        this.recordPhysic(storeTimestampMs, flushedPhysicalOffset);
        this.onCommitLogFlushed(flushedPhysicalOffset);
        if (this.options.syncFlush) void this.flushCommitLog();
      },
      (error: Error) => {
        this.syncing = null;
        this.log(`commit log flush failed: ${error.message}`);
      },
    );
    return this.syncing;
  }

  /** Flushes everything written so far and writes the checkpoint (admin, tests). */
  async flushAll(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      await this.flushCommitLog();
      if (this.commitLog.flushedPhysicalOffset >= this.commitLog.writtenPhysicalOffset) break;
    }
    await this.flushConsumeQueues(true); // a periodic pass may be running: then one more
    await this.flushConsumeQueues(true);
  }

  /**
   * Flushes the consume queues with enough new units (every one with new units when `thorough`,
   * or when the thorough interval has passed) and the index, then the checkpoint.
   */
  flushConsumeQueues(thorough = false): Promise<void> {
    if (this.consumeQueueFlushing === null) {
      const nowMs = Date.now();
      if (nowMs - this.lastThoroughFlushMs >= this.options.consumeQueueThoroughIntervalMs) thorough = true;
      if (thorough) this.lastThoroughFlushMs = nowMs;
      const leastPages = thorough ? 0 : this.options.consumeQueueLeastPages;
      this.consumeQueueFlushing = this.flushConsumeQueuesOnce(leastPages).finally(() => {
        this.consumeQueueFlushing = null;
      });
    }
    return this.consumeQueueFlushing;
  }

  private async flushConsumeQueuesOnce(leastPages: number): Promise<void> {
    const storeTimestampMs = this.progress.lastDispatchedStoreTimestampMs;
    const dispatchedPhysicalOffset = this.progress.dispatchedPhysicalOffset;
    try {
      const pending: Promise<void>[] = [];
      let allCommitted = true;
      let allFlushed = true;
      let visited = 0;
      for (const queue of this.consumeQueues.all()) {
        if (queue.hasStagedUnits && !this.retryCommit(queue)) allCommitted = false;
        if (queue.needsFlush(leastPages)) {
          pending.push(this.consumeQueueFlushGate.run(() => queue.flush()));
        } else if (queue.writtenQueueOffset > queue.flushedQueueOffset) {
          allFlushed = false;
        }
        // Thousands of queues (each a write, the first time a file creation) in slices, so
        // sends and pulls are served between them.
        if (++visited % COMMIT_SLICE_QUEUES === 0) await yieldToEventLoop();
      }
      if (this.indexService !== null) pending.push(this.indexService.flush());
      await Promise.all(pending);
      if (allCommitted && allFlushed) {
        if (storeTimestampMs > 0) this.checkpoint.logicsMsgTimestampMs = storeTimestampMs;
        this.checkpoint.logicsOffset = dispatchedPhysicalOffset;
      }
      if (this.checkpoint.isDirty) await this.checkpoint.flushAsync();
    } catch (error) {
      this.log(`consume queue flush failed: ${(error as Error).message}`);
    }
  }

  /**
   * Units whose write failed (ENOSPC) stay staged; writing them here makes their records
   * visible as soon as there is room, without waiting for the queue's next message.
   */
  private retryCommit(queue: ConsumeQueue): boolean {
    try {
      queue.commit();
      return true;
    } catch {
      return false;
    }
  }

  /** Stops the timers without flushing (a killed process, in tests). */
  stopTimers(): void {
    for (const timer of [this.commitLogTimer, this.consumeQueueTimer]) {
      if (timer !== null) clearInterval(timer);
    }
    this.commitLogTimer = this.consumeQueueTimer = null;
  }

  /**
   * Clean shutdown: a final blocking flush of the commit log (listeners hear of it, so pending
   * dispatches happen), then of the consume queues, the index and the checkpoint.
   */
  shutdown(): void {
    this.stopTimers();
    this.commitLog.flushSync();
    const flushedPhysicalOffset = this.commitLog.flushedPhysicalOffset;
    this.recordPhysic(this.progress.lastWrittenStoreTimestampMs, flushedPhysicalOffset);
    this.onCommitLogFlushed(flushedPhysicalOffset);
    for (const queue of this.consumeQueues.all()) queue.flushSync();
    this.indexService?.flushSync();
    const allCommitted = [...this.consumeQueues.all()].every((queue) => !queue.hasStagedUnits);
    if (allCommitted) {
      if (this.progress.lastDispatchedStoreTimestampMs > 0) {
        this.checkpoint.logicsMsgTimestampMs = this.progress.lastDispatchedStoreTimestampMs;
      }
      this.checkpoint.logicsOffset = this.progress.dispatchedPhysicalOffset;
    }
    this.checkpoint.flush(true);
    this.checkpoint.close();
  }

  private recordPhysic(storeTimestampMs: number, flushedPhysicalOffset: number): void {
    if (storeTimestampMs > 0) this.checkpoint.physicMsgTimestampMs = storeTimestampMs;
    this.checkpoint.physicOffset =
      this.options.physicOffsetAtDispatched === true
        ? Math.min(flushedPhysicalOffset, this.progress.dispatchedPhysicalOffset)
        : flushedPhysicalOffset;
  }
}
