// SYNC_FLUSH: written records waiting for their fdatasync (Java GroupCommitService's requests,
// plus one rule Java does not have: records become visible to consumers only once durable).
//
// Each completed write adds one batch: the records' dispatch requests and the callers waiting
// for an answer. When the flushed offset passes a batch's end, in commit-log order, its records
// are dispatched to the consume queues (so pulls and long polling see them), then its callers
// get PUT_OK, then the index is built. A caller still waiting syncFlushTimeout ms after its
// write gets FLUSH_DISK_TIMEOUT; its records stay queued and are dispatched once the flush
// lands, so queue offsets never have holes. Callers are answered through `answer`, which hands a
// SYNC_MASTER send on to wait for the slave as well.
import type { DispatchRequest } from './dispatch-request';
import { type PutMessageResult, PutMessageStatus } from './put-message-status';

/** A caller waiting for its answer. */
export interface PendingPut {
  result: PutMessageResult;
  endPhysicalOffset: number;
  waitForFlush: boolean;
  /** SYNC_MASTER: answered only once a slave has the bytes (ha/group-transfer-service.ts). */
  waitForSlave: boolean;
  resolve: (result: PutMessageResult) => void;
}

/** Answers callers whose records were written at `writtenAtMs` (or passes them on to wait more). */
export type AnswerPuts = (puts: PendingPut[], writtenAtMs: number) => void;

export function resolveEach(puts: PendingPut[]): void {
  for (const put of puts) put.resolve(put.result);
}

/** Called with the records of a batch, in commit-log order. */
export interface BatchHooks {
  /** Consume queues and arriving listeners; runs before callers are answered. */
  dispatch(requests: DispatchRequest[], endPhysicalOffset: number): void;
  /** Work nobody waits for (the index); runs after callers are answered. */
  afterAnswer(requests: DispatchRequest[]): void;
}

interface AwaitingBatch {
  endPhysicalOffset: number;
  dispatches: DispatchRequest[];
  /** Callers not answered yet (emptied when they time out). */
  puts: PendingPut[];
  writtenAtMs: number;
}

export class SyncFlushQueue {
  private batches: AwaitingBatch[] = [];
  private head = 0;
  /** First batch whose callers have not timed out yet. */
  private timeoutHead = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly hooks: BatchHooks,
    private readonly syncFlushTimeoutMs: number,
    private readonly answer: AnswerPuts = resolveEach,
  ) {}

  get isEmpty(): boolean {
    return this.head === this.batches.length;
  }

  /** How long the oldest batch has been waiting for the disk (0 when none waits). */
  oldestWaitMs(nowMs: number): number {
    return this.isEmpty ? 0 : nowMs - this.batches[this.head].writtenAtMs;
  }

  add(endPhysicalOffset: number, dispatches: DispatchRequest[], puts: PendingPut[], nowMs: number): void {
    this.batches.push({ endPhysicalOffset, dispatches, puts, writtenAtMs: nowMs });
    this.armTimer();
  }

  /** Releases, in order, every batch that ends at or below `flushedPhysicalOffset`. */
  onFlushed(flushedPhysicalOffset: number): void {
    while (!this.isEmpty && this.batches[this.head].endPhysicalOffset <= flushedPhysicalOffset) {
      const batch = this.batches[this.head++];
      this.timeoutHead = Math.max(this.timeoutHead, this.head);
      this.hooks.dispatch(batch.dispatches, batch.endPhysicalOffset);
      if (batch.puts.length > 0) this.answer(batch.puts, batch.writtenAtMs);
      this.hooks.afterAnswer(batch.dispatches);
    }
    this.compact();
  }

  /** Forgets everything without answering (a simulated kill). */
  clear(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.batches = [];
    this.head = this.timeoutHead = 0;
  }

  private armTimer(): void {
    if (this.timer !== null || this.timeoutHead >= this.batches.length) return;
    const first = this.batches[this.timeoutHead];
    const delayMs = Math.max(0, first.writtenAtMs + this.syncFlushTimeoutMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.expire(Date.now());
      this.armTimer();
    }, delayMs);
    this.timer.unref();
  }

  private expire(nowMs: number): void {
    while (this.timeoutHead < this.batches.length) {
      const batch = this.batches[this.timeoutHead];
      if (batch.writtenAtMs + this.syncFlushTimeoutMs > nowMs) return;
      this.timeoutHead++;
      for (const put of batch.puts) {
        // A put already marked SLAVE_NOT_AVAILABLE keeps it (Java: the replica status wins).
        if (put.result.status === PutMessageStatus.PUT_OK) {
          put.result = { status: PutMessageStatus.FLUSH_DISK_TIMEOUT, appendResult: put.result.appendResult };
        }
      }
      if (batch.puts.length > 0) this.answer(batch.puts, batch.writtenAtMs);
      batch.puts = [];
    }
  }

  private compact(): void {
    if (this.head === this.batches.length) {
      this.batches = [];
      this.head = this.timeoutHead = 0;
    } else if (this.head > 1024 && this.head * 2 > this.batches.length) {
      this.batches.splice(0, this.head);
      this.timeoutHead -= this.head;
      this.head = 0;
    }
  }
}
