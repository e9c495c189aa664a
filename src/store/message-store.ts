// DefaultMessageStore: the broker's message store, laid out on disk exactly like Java 4.7.1's
//
//   <storePathRootDir>/commitlog/<20-digit offset>            (storePathCommitLog)
//   <storePathRootDir>/consumequeue/<topic>/<queueId>/<20-digit byte offset>
//   <storePathRootDir>/index/<yyyyMMddHHmmssSSS>               (when messageIndexEnable)
//   <storePathRootDir>/checkpoint   <storePathRootDir>/abort   <storePathRootDir>/lock(.owner)
//
// Ordering rules (the only ones): appends are assigned offsets synchronously in call order by
// PutMessageService; consume-queue units, arriving listeners and the index follow the commit-log
// write of the records they describe; readers only see what has been written.
//
// Roles (brokerRole, read live as Java does): a master appends what its broker puts and serves
// its commit log to slaves (ha/ha-service.ts; SYNC_MASTER sends wait for a slave); a SLAVE refuses
// puts (SERVICE_NOT_AVAILABLE) and appends the master's bytes (appendToCommitLog), which its
// reput turns into consume-queue units and index entries (reput-message-service.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { getLogger } from '../common/logger';
import type { CleanService } from './clean-service';
import type { CommitLogDispatcher, MessageArrivingListener } from './commit-log-dispatcher';
import type { QueueOffsetTable } from './consume-queue-table';
import type { BatchToStore, EncodedMessage, MessageToStore } from './dispatch-request';
import type { FlushProgress, FlushService } from './flush-service';
import type { SharedHotTail } from './hot-tail';
import type { MessageStoreConfig } from './message-store-config';
import type { PutMessageService } from './put-message-service';
import { MessageStoreReads } from './message-store-reads';
import { mappedReadsAvailable } from './mapped-view';
import { type PutMessageResult, PutMessageStatus } from './put-message-status';
import type { StoreCheckpoint } from './store-checkpoint';
import type { HAService } from './ha/ha-service';
import type { ReputMessageService } from './reput-message-service';
import { StoreLock } from './store-lock';
import { type RecoveryReport, loadAndRecover } from './store-recovery';

export { StoreLockedError } from './store-lock';
export { RecoveryReport } from './store-recovery';
export { MessageToStore, BatchToStore, BatchElementToStore } from './dispatch-request';
export { MessageFilter } from './get-message';
export { MessageArrivingListener } from './commit-log-dispatcher';
export { QueryMessageResult } from './query-message';
export * from './put-message-status';

function storeLog(message: string): void {
  getLogger('store').warn(message);
}

function isNoSpaceError(error: NodeJS.ErrnoException): boolean {
  return error.code === 'ENOSPC' || error.code === 'EDQUOT';
}

export class DefaultMessageStore extends MessageStoreReads {
  private readonly queueOffsets: QueueOffsetTable;
  private readonly checkpoint: StoreCheckpoint;
  private readonly dispatcher: CommitLogDispatcher;
  private readonly flushService: FlushService;
  private readonly putService: PutMessageService;
  private readonly cleanService: CleanService;
  private readonly progress: FlushProgress;
  private readonly lock: StoreLock;
  private readonly haService: HAService;
  private readonly reput: ReputMessageService;
  private running = false;
  /** Filled by `load`. */
  recovery: RecoveryReport | null = null;

  constructor(config: MessageStoreConfig) {
    super(config, storeLog);
    const parts = this.parts;
    this.queueOffsets = parts.queueOffsets;
    this.checkpoint = parts.checkpoint;
    this.dispatcher = parts.dispatcher;
    this.flushService = parts.flushService;
    this.putService = parts.putService;
    this.cleanService = parts.cleanService;
    this.progress = parts.progress;
    this.haService = parts.haService;
    this.reput = parts.reput;
    this.lock = new StoreLock(config.storePathRootDir);
    this.putService.completion.onWriteFailed = (error) => {
      if (isNoSpaceError(error)) this.cleanService.markDiskFull();
    };
  }

  private get abortFilePath(): string {
    return path.join(this.config.storePathRootDir, 'abort');
  }

  /**
   * Takes the store's lock (throws StoreLockedError when another broker has it), opens the
   * existing files and recovers (crash recovery when the abort file is present).
   */
  load(): boolean {
    fs.mkdirSync(this.config.storePathRootDir, { recursive: true });
    this.lock.acquire();
    try {
      const report = loadAndRecover({
        config: this.config,
        commitLog: this.commitLog,
        consumeQueues: this.consumeQueues,
        queueOffsets: this.queueOffsets,
        checkpoint: this.checkpoint,
        indexService: this.indexService,
        lastExitOk: !fs.existsSync(this.abortFilePath),
      });
      if (typeof report === 'string') throw new Error(report);
      this.progress.dispatchedPhysicalOffset = report.endPhysicalOffset;
      this.reput.reputFromOffset = report.endPhysicalOffset;
      this.recovery = report;
      this.markLoadedBytesCold();
      getLogger('store').info(
        `store loaded after a ${report.lastExitOk ? 'clean shutdown' : 'crash'} in ` +
          `${report.durationMs} ms: commit log checked from ${report.checkedFromPhysicalOffset} ` +
          `to its end ${report.endPhysicalOffset}; in-line reads ${mappedReadsAvailable() ? 'mapped' : 'by pread'}`,
      );
      return true;
    } catch (error) {
      storeLog(`load failed: ${(error as Error).stack ?? String(error)}`);
      this.lock.release();
      return false;
    }
  }

  /** What was on disk before this run is read off the event loop (see getMessageNonBlocking). */
  private markLoadedBytesCold(): void {
    this.commitLog.coldBelowPhysicalOffset = this.commitLog.writtenPhysicalOffset;
    for (const queue of this.consumeQueues.all()) queue.coldBelowQueueOffset = queue.maxQueueOffset;
  }

  start(): void {
    fs.mkdirSync(this.config.storePathRootDir, { recursive: true });
    fs.writeFileSync(this.abortFilePath, '');
    this.flushService.start();
    this.cleanService.start();
    this.running = true;
  }

  /**
   * Replication (Java getHaService): `ha.start(host)` listens on haListenPort (every role does,
   * as in Java; call after `start`), `ha.updateMasterAddress` makes a slave follow its master.
   */
  get ha(): HAService {
    return this.haService;
  }

  /**
   * Java appendToCommitLog: a slave appends the master's bytes at `physicalOffset` and dispatches
   * the records they complete. False when the store is not running or the bytes do not fit.
   */
  appendToCommitLog(physicalOffset: number, data: Buffer): boolean {
    if (!this.running) return false;
    const wasEmpty = this.commitLog.files.isEmpty;
    try {
      if (!this.commitLog.appendData(physicalOffset, data)) return false;
    } catch (error) {
      storeLog(`appendToCommitLog at ${physicalOffset} failed: ${(error as Error).message}`);
      if (isNoSpaceError(error as NodeJS.ErrnoException)) this.cleanService.markDiskFull();
      return false;
    }
    if (wasEmpty) {
      // The log starts here (Java: at the master's last segment); so do the consume queues.
      this.reput.reputFromOffset = this.progress.dispatchedPhysicalOffset = physicalOffset;
    }
    if (data.length === 0) return true;
    this.reput.doReput();
    if (this.config.flushDiskType === 'SYNC_FLUSH') void this.flushService.flushCommitLog();
    return true;
  }

  /** Finishes pending appends, flushes everything, writes the checkpoint, removes `abort`. */
  shutdown(): void {
    if (!this.running) return;
    this.running = false;
    void this.haService.shutdown();
    this.cleanService.shutdown();
    this.putService.drain();
    this.flushService.shutdown();
    this.haService.groupTransferService.shutdown();
    this.closeFiles();
    fs.rmSync(this.abortFilePath, { force: true });
    this.lock.release();
  }

  /**
   * Test support: stop as a killed process would. Timers stop and descriptors close, but
   * nothing is flushed, no checkpoint is written, SYNC_FLUSH callers waiting for the disk are
   * never answered, and `abort` stays. The lock goes, as the kernel would release it.
   */
  haltWithoutCleanup(): void {
    this.running = false;
    this.haService.halt();
    this.cleanService.shutdown();
    this.putService.halt();
    this.flushService.stopTimers();
    this.closeFiles();
    this.lock.release();
  }

  private closeFiles(): void {
    this.checkpoint.close();
    this.indexService?.close();
    this.consumeQueues.closeAll();
    this.commitLog.files.closeAll();
  }

  /** Commit-log writes on the thread pool (PutCompletion.writeOnThreadPool). */
  set commitLogWriteOnThreadPool(value: boolean) {
    this.putService.completion.writeOnThreadPool = value;
  }

  /** The newest written bytes, in shared memory, for threads that read pull bodies (HotTailReader). */
  shareHotTail(): SharedHotTail {
    return this.commitLog.hotTail.share();
  }

  /** `listener` is told whenever a write of sends is scheduled (as a setImmediate) in this turn. */
  onWriteScheduled(listener: () => void): void {
    this.putService.completion.onCompletionScheduled = listener;
  }

  /**
   * SERVICE_NOT_AVAILABLE before start, after shutdown, and while the disk is full;
   * OS_PAGECACHE_BUSY while the write path is busy (Java flow control).
   */
  putMessage(msg: MessageToStore): Promise<PutMessageResult> {
    const refused = this.refusal();
    if (refused !== null) return Promise.resolve({ status: refused });
    return this.putService.putMessage(msg);
  }

  /** A send a worker encoded (broker/send-workers): refused as putMessage refuses. */
  putEncodedMessage(encoded: EncodedMessage): Promise<PutMessageResult> {
    const refused = this.refusal();
    if (refused !== null) return Promise.resolve({ status: refused });
    return this.putService.putEncodedMessage(encoded);
  }

  putMessages(batch: BatchToStore): Promise<PutMessageResult> {
    const refused = this.refusal();
    if (refused !== null) return Promise.resolve({ status: refused });
    return this.putService.putMessages(batch);
  }

  private refusal(): PutMessageStatus | null {
    // Java checkStoreStatus: a slave's store is written only by its master.
    if (this.config.brokerRole === 'SLAVE') return PutMessageStatus.SERVICE_NOT_AVAILABLE;
    if (!this.running || this.cleanService.recheckIfFull()) return PutMessageStatus.SERVICE_NOT_AVAILABLE;
    if (this.putService.isOsPageCacheBusy()) return PutMessageStatus.OS_PAGECACHE_BUSY;
    return null;
  }

  /** Flushes everything written so far and writes the checkpoint. */
  flush(): Promise<void> {
    return this.flushService.flushAll();
  }

  /** Java isOSPageCacheBusy: the send processor may reject requests early while true. */
  isOSPageCacheBusy(): boolean {
    return this.putService.isOsPageCacheBusy();
  }

  /** True while messages are refused for lack of disk space. */
  isDiskFull(): boolean {
    return this.cleanService.diskFull;
  }

  onMessageArriving(listener: MessageArrivingListener): void {
    this.dispatcher.listeners.push(listener);
  }

  /** Removes the topics' consume queues (their commit-log records age out normally). */
  deleteTopics(topics: string[]): void {
    for (const topic of topics) {
      this.consumeQueues.deleteTopic(topic);
      this.queueOffsets.deleteTopic(topic);
    }
  }

  /** Java executeDeleteFilesManually: expired files go at the next passes, whatever the hour. */
  executeDeleteFilesManually(): void {
    this.cleanService.requestManualDelete();
  }

  /** Runs one expired-file pass now (tests, admin); returns commit-log segments deleted. */
  deleteExpiredFiles(nowMs: number = Date.now()): number {
    return this.cleanService.runOnce(nowMs);
  }
}
