// The second half of the append path (put-message-service.ts is the first): the turn's write of
// what the sends staged, then their dispatch and answers. Completion runs once per event-loop turn
// (setImmediate):
//
//   1. one positional write of everything staged (with `writeOnThreadPool`, on the thread pool:
//      CommitLog.commitStagedAsync; while it is in flight the next turns stage into the other buffer
//      and wait for it); once it is done the bytes are in the OS page cache;
//   2. ASYNC_FLUSH: dispatch (consume-queue units, then arriving listeners), answers, the index;
//      SYNC_FLUSH: the same, in that order, once the group fdatasync covers the records
//      (SyncFlushQueue); callers that do not wait for the disk are answered at once.
//
// So a consume-queue unit never points past the written commit log, a PUT_OK is never lost by a
// process kill, and with SYNC_FLUSH consumers only see records that are on disk. If a write
// fails, the unwritten records are forgotten (offsets rewound) and their callers get
// UNKNOWN_ERROR.
//
// SYNC_MASTER (Java CommitLog.submitReplicaRequest): a send that waits for the store (WAIT=true)
// gets SLAVE_NOT_AVAILABLE at once when no slave is connected or the slave is too far behind;
// otherwise its answer (after the flush, with SYNC_FLUSH) waits in the replica's sorted queue
// until a slave acknowledges its bytes. ASYNC_MASTER pays one null check per completion for this.
// Flow control (OS_PAGECACHE_BUSY): see write-path-monitor.ts.
import { isDispatchedToConsumeQueue } from '../codec/message/message-sys-flag';
import type { CommitLog } from './commit-log';
import type { QueueOffsetTable } from './consume-queue-table';
import type { DispatchRequest } from './dispatch-request';
import type { FlushProgress, FlushService } from './flush-service';
import type { MessageStoreConfig } from './message-store-config';
import { type AppendResult, type PutMessageResult, PutMessageStatus } from './put-message-status';
import { type BatchHooks, type PendingPut, SyncFlushQueue } from './sync-flush-queue';
import { WritePathMonitor } from './write-path-monitor';

/** What a SYNC_MASTER put needs of the HA service. */
export interface ReplicaWaiter {
  /** Java HAService.isSlaveOK: a slave is connected and behind `masterPutWhere` by less than the limit. */
  isSlaveOK(masterPutWhere: number): boolean;
  /** Answers `puts` (in commit-log order, written at `writtenAtMs`) once a slave has their bytes. */
  waitForSlave(puts: PendingPut[], writtenAtMs: number): void;
}

export class PutCompletion {
  /** Told of every failed commit-log write (ENOSPC marks the disk full). */
  onWriteFailed: (error: NodeJS.ErrnoException) => void = () => undefined;
  /** Told after each write that moved the written offset (HA sends the new bytes to slaves). */
  onWritten: (() => void) | null = null;
  /** Told when a write of the sends read so far is scheduled (a setImmediate of this turn's check phase). */
  onCompletionScheduled: (() => void) | null = null;
  /**
   * Each turn's write on the thread pool (the connection workers' broker): less work on the event
   * loop per send, but a thread-pool round trip more before the answers; off, the write runs in the
   * turn's completion and its sends are answered before the pull turn (lower latency on few cores).
   */
  writeOnThreadPool = false;
  private pendingPuts: PendingPut[] = [];
  private pendingDispatches: DispatchRequest[] = [];
  private completion: NodeJS.Immediate | null = null;
  private readonly syncFlush: boolean;
  private readonly awaitingFlush: SyncFlushQueue;
  private readonly monitor: WritePathMonitor;
  private halted = false;

  constructor(
    private readonly config: MessageStoreConfig,
    private readonly commitLog: CommitLog,
    private readonly queueOffsets: QueueOffsetTable,
    private readonly hooks: BatchHooks,
    private readonly flushService: FlushService,
    private readonly progress: FlushProgress,
    private readonly log: (message: string) => void,
    /** The HA service: consulted while brokerRole is SYNC_MASTER (read live, as Java does). */
    private readonly replica: ReplicaWaiter | null = null,
  ) {
    this.syncFlush = config.flushDiskType === 'SYNC_FLUSH';
    this.awaitingFlush = new SyncFlushQueue(hooks, config.syncFlushTimeout, (puts, writtenAtMs) =>
      this.answer(puts, writtenAtMs),
    );
    this.monitor = new WritePathMonitor(config, log);
    flushService.onCommitLogFlushed = (flushedPhysicalOffset) => {
      if (!this.halted) this.awaitingFlush.onFlushed(flushedPhysicalOffset);
    };
  }

  /** Java isOSPageCacheBusy (rules in write-path-monitor.ts). */
  isOsPageCacheBusy(nowMs: number = Date.now()): boolean {
    const log = this.commitLog;
    const unflushedBytes = log.writtenPhysicalOffset - log.flushedPhysicalOffset;
    return this.monitor.isBusy(nowMs, this.awaitingFlush.oldestWaitMs(nowMs), unflushedBytes);
  }

  /** A record staged in this turn: dispatched once its write is done. */
  addDispatch(request: DispatchRequest): void {
    this.pendingDispatches.push(request);
  }

  /** Runs a scheduled completion now, and the write in flight's (shutdown): all synchronously. */
  drain(): void {
    this.cancelCompletion();
    this.commitLog.settleInFlight();
    this.cancelCompletion();
    if (this.pendingPuts.length > 0) this.completeNow();
  }

  private cancelCompletion(): void {
    if (this.completion === null) return;
    clearImmediate(this.completion);
    this.completion = null;
  }

  /** A simulated kill: the last completion runs, nothing waiting for the disk is answered. */
  halt(): void {
    this.drain();
    this.halted = true;
    this.awaitingFlush.clear();
  }

  /** Waits for the staged record's write (and flush, slave) and resolves with its result. */
  enqueue(appendResult: AppendResult, mayWait: boolean, mayWaitForSlave = mayWait): Promise<PutMessageResult> {
    const waitForFlush = mayWait && this.syncFlush;
    const endPhysicalOffset = appendResult.physicalOffset + appendResult.wroteBytes;
    const result: PutMessageResult = { status: PutMessageStatus.PUT_OK, appendResult };
    let waitForSlave = false;
    if (mayWait && mayWaitForSlave && this.replica !== null && this.config.brokerRole === 'SYNC_MASTER') {
      if (this.replica.isSlaveOK(endPhysicalOffset)) waitForSlave = true;
      else result.status = PutMessageStatus.SLAVE_NOT_AVAILABLE;
    }
    this.schedule();
    return new Promise((resolve) =>
      this.pendingPuts.push({ result, endPhysicalOffset, waitForFlush, waitForSlave, resolve }),
    );
  }

  /** The turn's completion, once per turn (a setImmediate, after the socket reads of this turn). */
  private schedule(): void {
    if (this.completion !== null) return;
    this.completion = setImmediate(() => this.complete());
    this.onCompletionScheduled?.();
  }

  /** Answers callers now, or (SYNC_MASTER) once a slave has their bytes. */
  private answer(puts: PendingPut[], writtenAtMs: number): void {
    const replica = this.replica;
    if (replica === null) {
      for (const put of puts) put.resolve(put.result);
      return;
    }
    let waiting: PendingPut[] | undefined;
    for (const put of puts) {
      if (put.waitForSlave) (waiting ??= []).push(put);
      else put.resolve(put.result);
    }
    if (waiting !== undefined) replica.waitForSlave(waiting, writtenAtMs);
  }

  /**
   * A turn's write: on the event loop (default), or with `writeOnThreadPool` staged bytes go to the
   * thread pool; answers (or the flush wait) once written.
   */
  private complete(): void {
    this.completion = null;
    if (!this.writeOnThreadPool) {
      this.completeNow();
      return;
    }
    if (this.commitLog.writeInFlight) return; // the write in flight schedules the next one
    const dispatches = this.pendingDispatches;
    const puts = this.pendingPuts;
    this.pendingDispatches = [];
    this.pendingPuts = [];
    const startedAtMs = Date.now();
    try {
      this.commitLog.commitStagedAsync((error) => {
        this.monitor.note(startedAtMs, Date.now());
        this.afterWrite(dispatches, puts, error);
      });
    } catch (error) {
      this.afterWrite(dispatches, puts, error as Error);
    }
  }

  /** The one positional write of a turn on the event loop, timed for flow control, then the answers. */
  private completeNow(): void {
    this.monitor.timed(() => {
      try {
        this.commitLog.commitStaged();
      } catch (error) {
        this.failUnwritten(error as Error);
      }
    });
    const dispatches = this.pendingDispatches;
    const puts = this.pendingPuts;
    this.pendingDispatches = [];
    this.pendingPuts = [];
    this.written(dispatches, puts);
  }

  /** A write ended: its puts are dispatched and answered, or failed with what was staged after them. */
  private afterWrite(dispatches: DispatchRequest[], puts: PendingPut[], error: Error | null): void {
    if (this.halted) return;
    if (error !== null) {
      this.pendingDispatches = dispatches.concat(this.pendingDispatches);
      this.pendingPuts = puts.concat(this.pendingPuts);
      this.failUnwritten(error);
    } else this.written(dispatches, puts);
    if (this.pendingPuts.length > 0) this.schedule();
  }

  private written(dispatches: DispatchRequest[], puts: PendingPut[]): void {
    if (puts.length === 0) return;
    this.onWritten?.();
    this.progress.lastWrittenStoreTimestampMs = puts[puts.length - 1].result.appendResult!.storeTimestampMs;
    const endPhysicalOffset = this.commitLog.writtenPhysicalOffset;
    if (!this.syncFlush) {
      this.hooks.dispatch(dispatches, endPhysicalOffset);
      this.answer(puts, Date.now());
      this.hooks.afterAnswer(dispatches);
      return;
    }
    const waiting: PendingPut[] = [];
    for (const put of puts) {
      if (put.waitForFlush) waiting.push(put);
      else put.resolve(put.result); // WAIT=false: answered at once, so never waiting for a slave
    }
    this.awaitingFlush.add(endPhysicalOffset, dispatches, waiting, Date.now());
    void this.flushService.flushCommitLog();
  }

  /** After a failed write: forget staged records, rewind their queue offsets, fail their callers. */
  failUnwritten(error: Error): void {
    this.commitLog.discardStaged();
    const writtenPhysicalOffset = this.commitLog.writtenPhysicalOffset;
    this.log(`commit log write failed at ${writtenPhysicalOffset}: ${error.message}`);
    this.onWriteFailed(error);
    const rewound = new Set<string>();
    this.pendingDispatches = this.pendingDispatches.filter((request) => {
      if (request.physicalOffset < writtenPhysicalOffset) return true;
      if (!isDispatchedToConsumeQueue(request.sysFlag)) return false;
      const key = `${request.topic}\u0000${request.queueId}`;
      if (!rewound.has(key)) this.queueOffsets.set(request.topic, request.queueId, request.queueOffset);
      rewound.add(key);
      return false;
    });
    this.pendingPuts = this.pendingPuts.filter((put) => {
      if (put.endPhysicalOffset <= writtenPhysicalOffset) return true;
      put.resolve({ status: PutMessageStatus.UNKNOWN_ERROR });
      return false;
    });
  }
}
