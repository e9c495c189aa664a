// Getting written bytes onto the disk (Java CommitLog.FlushRealTimeService, GroupCommitService
// and DefaultMessageStore.FlushConsumeQueueService).
//
// - ASYNC_FLUSH: the commit log is fdatasynced every flushIntervalCommitLog ms. An acknowledged
//   message is in the OS page cache, so only a machine crash can lose it.
// - SYNC_FLUSH: a writer that must wait calls `waitForFlush(endPhysicalOffset)`. One fdatasync
//   covers every write done before it started (group commit); writers still waiting after
//   syncFlushTimeout ms get `false` (FLUSH_DISK_TIMEOUT).
// - Consume queues and the checkpoint are flushed every flushIntervalConsumeQueue ms.
import { CommitLog } from './commit-log';
import { ConsumeQueueTable } from './consume-queue-table';
import { IndexService } from './index-service';
import { StoreCheckpoint } from './store-checkpoint';

interface FlushWaiter {
  endPhysicalOffset: number;
  deadlineMs: number;
  resolve: (flushed: boolean) => void;
}

/** What the flush service needs to know about the latest writes. */
export interface FlushProgress {
  /** STORETIMESTAMP of the last record written to the commit log. */
  lastWrittenStoreTimestampMs: number;
  /** STORETIMESTAMP of the last record dispatched to a consume queue. */
  lastDispatchedStoreTimestampMs: number;
}

export class FlushService {
  private readonly waiters: FlushWaiter[] = [];
  private waiterHead = 0;
  private syncing = false;
  private deadlineTimer: NodeJS.Timeout | null = null;
  private commitLogTimer: NodeJS.Timeout | null = null;
  private consumeQueueTimer: NodeJS.Timeout | null = null;
  private consumeQueueFlushing = false;

  constructor(
    private readonly commitLog: CommitLog,
    private readonly consumeQueues: ConsumeQueueTable,
    private readonly checkpoint: StoreCheckpoint,
    private readonly progress: FlushProgress,
    private readonly options: {
      syncFlush: boolean;
      commitLogIntervalMs: number;
      consumeQueueIntervalMs: number;
      syncFlushTimeoutMs: number;
    },
    private readonly log: (message: string) => void,
    private readonly indexService: IndexService | null = null,
  ) {}

  start(): void {
    if (!this.options.syncFlush) {
      this.commitLogTimer = setInterval(
        () => this.flushCommitLog(),
        this.options.commitLogIntervalMs,
      );
      this.commitLogTimer.unref();
    }
    this.consumeQueueTimer = setInterval(
      () => void this.flushConsumeQueues(),
      this.options.consumeQueueIntervalMs,
    );
    this.consumeQueueTimer.unref();
  }

  /** Resolves true once the commit log is flushed past `endPhysicalOffset`, false on timeout. */
  waitForFlush(endPhysicalOffset: number): Promise<boolean> {
    if (this.commitLog.flushedPhysicalOffset >= endPhysicalOffset) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const deadlineMs = Date.now() + this.options.syncFlushTimeoutMs;
      this.waiters.push({ endPhysicalOffset, deadlineMs, resolve });
      this.armDeadline();
      this.flushCommitLog();
    });
  }

  /** Starts an fdatasync of the commit log unless one is running (then another follows it). */
  flushCommitLog(): void {
    if (this.syncing) return;
    if (this.commitLog.writtenPhysicalOffset <= this.commitLog.flushedPhysicalOffset) return;
    this.syncing = true;
    const storeTimestampMs = this.progress.lastWrittenStoreTimestampMs;
    this.commitLog.flush().then(
      (flushedPhysicalOffset) => {
        this.syncing = false;
        if (storeTimestampMs > 0) this.checkpoint.physicMsgTimestampMs = storeTimestampMs;
        this.releaseWaiters(flushedPhysicalOffset);
        if (this.waiterHead < this.waiters.length) this.flushCommitLog();
      },
      (error: Error) => {
        this.syncing = false;
        this.log(`commit log flush failed: ${error.message}`);
      },
    );
  }

  /** Flushes every consume queue with new units, then the checkpoint. */
  async flushConsumeQueues(): Promise<void> {
    if (this.consumeQueueFlushing) return;
    this.consumeQueueFlushing = true;
    const storeTimestampMs = this.progress.lastDispatchedStoreTimestampMs;
    try {
      const pending: Promise<void>[] = [];
      for (const queue of this.consumeQueues.all()) {
        if (queue.maxQueueOffset > queue.flushedQueueOffset) pending.push(queue.flush());
      }
      if (this.indexService !== null) pending.push(this.indexService.flush());
      await Promise.all(pending);
      if (storeTimestampMs > 0) this.checkpoint.logicsMsgTimestampMs = storeTimestampMs;
      if (this.checkpoint.isDirty) await this.checkpoint.flushAsync();
    } catch (error) {
      this.log(`consume queue flush failed: ${(error as Error).message}`);
    } finally {
      this.consumeQueueFlushing = false;
    }
  }

  /** Stops the timers without flushing (a killed process, in tests). */
  stopTimers(): void {
    for (const timer of [this.commitLogTimer, this.consumeQueueTimer, this.deadlineTimer]) {
      if (timer !== null) clearInterval(timer);
    }
    this.commitLogTimer = this.consumeQueueTimer = this.deadlineTimer = null;
  }

  /** Stops the timers and answers every waiter after a final blocking flush. */
  shutdown(): void {
    this.stopTimers();
    this.commitLog.flushSync();
    this.releaseWaiters(this.commitLog.flushedPhysicalOffset);
    for (const queue of this.consumeQueues.all()) queue.flushSync();
    this.indexService?.flushSync();
    if (this.progress.lastWrittenStoreTimestampMs > 0) {
      this.checkpoint.physicMsgTimestampMs = this.progress.lastWrittenStoreTimestampMs;
    }
    if (this.progress.lastDispatchedStoreTimestampMs > 0) {
      this.checkpoint.logicsMsgTimestampMs = this.progress.lastDispatchedStoreTimestampMs;
    }
    this.checkpoint.flush(true);
    this.checkpoint.close();
  }

  private releaseWaiters(flushedPhysicalOffset: number): void {
    while (this.waiterHead < this.waiters.length) {
      const waiter = this.waiters[this.waiterHead];
      if (waiter.endPhysicalOffset > flushedPhysicalOffset) break;
      this.waiterHead++;
      waiter.resolve(true);
    }
    this.compactWaiters();
  }

  private armDeadline(): void {
    if (this.deadlineTimer !== null || this.waiterHead >= this.waiters.length) return;
    const delayMs = Math.max(0, this.waiters[this.waiterHead].deadlineMs - Date.now());
    this.deadlineTimer = setTimeout(() => {
      this.deadlineTimer = null;
      const nowMs = Date.now();
      while (
        this.waiterHead < this.waiters.length &&
        this.waiters[this.waiterHead].deadlineMs <= nowMs
      ) {
        this.waiters[this.waiterHead++].resolve(false);
      }
      this.compactWaiters();
      this.armDeadline();
    }, delayMs);
    this.deadlineTimer.unref();
  }

  private compactWaiters(): void {
    if (this.waiterHead === this.waiters.length) {
      this.waiters.length = 0;
      this.waiterHead = 0;
    } else if (this.waiterHead > 1024 && this.waiterHead * 2 > this.waiters.length) {
      this.waiters.splice(0, this.waiterHead);
      this.waiterHead = 0;
    }
  }
}
