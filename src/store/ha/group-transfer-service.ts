// SYNC_MASTER: sends waiting for the slave (Java HAService.GroupTransferService).
//
// A send is answered once a slave has acknowledged an offset at or past the end of its record;
// if none has within syncFlushTimeout ms of the write, it gets FLUSH_SLAVE_TIMEOUT (its bytes stay
// written, as in Java). Waiters arrive in commit-log order (the put service answers in write
// order), so they form one sorted queue: an acknowledgement releases a prefix of it in one pass,
// and only the oldest waiter has a timer. Nothing here is per message: no promise, no timer.
// The queue is bounded by time: nothing stays longer than syncFlushTimeout ms.
import assert from 'node:assert';
import { PutMessageStatus } from '../put-message-status';
import type { PendingPut } from '../sync-flush-queue';

interface Waiter {
  put: PendingPut;
  deadlineMs: number;
}

/** Compact the queue when this many released waiters are at its front. */
const COMPACT_AFTER = 1024;

export class GroupTransferService {
  private waiters: Waiter[] = [];
  private head = 0;
  /** The highest offset a slave acknowledged (Java push2SlaveMaxOffset); never goes back. */
  private ackedPhysicalOffset = 0;
  private timer: NodeJS.Timeout | null = null;

  /** `syncFlushTimeoutMs` is read at each add: UPDATE_BROKER_CONFIG changes it at once, as in Java. */
  constructor(private readonly syncFlushTimeoutMs: () => number) {}

  get waitingCount(): number {
    return this.waiters.length - this.head;
  }

  /**
   * Puts written at `writtenAtMs`, in commit-log order, that are answered once a slave has their
   * bytes. A put whose record ends at or below the acknowledged offset is answered at once.
   */
  add(puts: readonly PendingPut[], writtenAtMs: number): void {
    const deadlineMs = writtenAtMs + Math.max(0, this.syncFlushTimeoutMs());
    for (const put of puts) {
      if (put.endPhysicalOffset <= this.ackedPhysicalOffset) {
        put.resolve(put.result);
        continue;
      }
      const last = this.waiters[this.waiters.length - 1];
      assert.ok(
        this.head === this.waiters.length || last.put.endPhysicalOffset <= put.endPhysicalOffset,
        'slave waiters must arrive in commit-log order',
      );
      this.waiters.push({ put, deadlineMs });
    }
    this.armTimer();
  }

  /** A slave acknowledged `ackedPhysicalOffset`: answers every waiter it covers, oldest first. */
  notifyTransferSome(ackedPhysicalOffset: number): void {
    if (ackedPhysicalOffset <= this.ackedPhysicalOffset) return;
    this.ackedPhysicalOffset = ackedPhysicalOffset;
    while (this.head < this.waiters.length && this.waiters[this.head].put.endPhysicalOffset <= ackedPhysicalOffset) {
      const { put } = this.waiters[this.head++];
      put.resolve(put.result);
    }
    this.compact();
  }

  /** Answers everything still waiting with FLUSH_SLAVE_TIMEOUT (shutdown). */
  shutdown(): void {
    this.expire(Number.POSITIVE_INFINITY);
  }

  /** Forgets every waiter without answering (a simulated kill). */
  clear(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.waiters = [];
    this.head = 0;
  }

  private armTimer(): void {
    if (this.timer !== null || this.head === this.waiters.length) return;
    const delayMs = Math.max(0, this.waiters[this.head].deadlineMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.expire(Date.now());
      this.armTimer();
    }, delayMs);
    this.timer.unref();
  }

  /** Deadlines grow with the queue, so the expired waiters are a prefix. */
  private expire(nowMs: number): void {
    while (this.head < this.waiters.length && this.waiters[this.head].deadlineMs <= nowMs) {
      const { put } = this.waiters[this.head++];
      // Java lets the replica status win over the flush status (CommitLog.asyncPutMessage).
      put.resolve({ status: PutMessageStatus.FLUSH_SLAVE_TIMEOUT, appendResult: put.result.appendResult });
    }
    this.compact();
  }

  private compact(): void {
    if (this.head === this.waiters.length) {
      this.waiters = [];
      this.head = 0;
    } else if (this.head > COMPACT_AFTER && this.head * 2 > this.waiters.length) {
      this.waiters.splice(0, this.head);
      this.head = 0;
    }
  }
}
