// DefaultMessageStore: the broker's message store, laid out on disk exactly like Java 4.7.1's
//
//   <storePathRootDir>/commitlog/<20-digit offset>            (storePathCommitLog)
//   <storePathRootDir>/consumequeue/<topic>/<queueId>/<20-digit byte offset>
//   <storePathRootDir>/checkpoint   <storePathRootDir>/abort
//
// Ordering rules (the only ones): appends are assigned offsets synchronously in call order by
// PutMessageService; consume-queue units and arriving listeners follow the commit-log write of
// the records they describe; readers only see what has been written.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { getLogger } from '../common/logger';
import { CleanService } from './clean-service';
import { CommitLog } from './commit-log';
import { ConsumeQueueTable, QueueOffsetTable } from './consume-queue-table';
import {
  correctConsumeQueueMin,
  recoverConsumeQueueEnd,
  truncateConsumeQueue,
} from './consume-queue-recovery';
import { BatchToStore, DispatchRequest, MessageToStore } from './dispatch-request';
import { FileHandleCache } from './file-handle-cache';
import { FlushProgress, FlushService } from './flush-service';
import { GetMessageContext, MessageFilter, getMessage } from './get-message';
import { MessageStoreConfig } from './message-store-config';
import { PutMessageService } from './put-message-service';
import { GetMessageResult, PutMessageResult, PutMessageStatus } from './put-message-status';
import { getOffsetInQueueByTime } from './queue-time-search';
import { StoreCheckpoint } from './store-checkpoint';
import { rebuildFromCommitLog } from './store-recovery';

export { MessageToStore, BatchToStore, BatchElementToStore } from './dispatch-request';
export { MessageFilter } from './get-message';
export * from './put-message-status';

export type MessageArrivingListener = (
  topic: string,
  queueId: number,
  maxOffset: number,
  tagsCode: number,
  storeTimestampMs: number,
) => void;

function storeLog(message: string): void {
  getLogger('store').warn(message);
}

export class DefaultMessageStore {
  private readonly handles = new FileHandleCache();
  private readonly commitLog: CommitLog;
  private readonly consumeQueues: ConsumeQueueTable;
  private readonly queueOffsets = new QueueOffsetTable();
  private readonly checkpoint: StoreCheckpoint;
  private readonly progress: FlushProgress = {
    lastWrittenStoreTimestampMs: 0,
    lastDispatchedStoreTimestampMs: 0,
  };
  private readonly flushService: FlushService;
  private readonly putService: PutMessageService;
  private readonly listeners: MessageArrivingListener[] = [];
  private readonly readContext: GetMessageContext;
  private readonly cleanService: CleanService;
  private running = false;

  constructor(readonly config: MessageStoreConfig) {
    this.commitLog = new CommitLog(
      config.storePathCommitLog,
      config.mappedFileSizeCommitLog,
      config.maxMessageSize,
      this.handles,
    );
    this.consumeQueues = new ConsumeQueueTable(
      path.join(config.storePathRootDir, 'consumequeue'),
      config.mappedFileSizeConsumeQueue,
      this.handles,
    );
    this.checkpoint = new StoreCheckpoint(path.join(config.storePathRootDir, 'checkpoint'));
    this.flushService = new FlushService(
      this.commitLog,
      this.consumeQueues,
      this.checkpoint,
      this.progress,
      {
        syncFlush: config.flushDiskType === 'SYNC_FLUSH',
        commitLogIntervalMs: config.flushIntervalCommitLog,
        consumeQueueIntervalMs: config.flushIntervalConsumeQueue ?? 1000,
        syncFlushTimeoutMs: config.syncFlushTimeout,
      },
      storeLog,
    );
    this.putService = new PutMessageService(
      config,
      this.commitLog,
      this.queueOffsets,
      (requests) => this.dispatch(requests),
      this.flushService,
      this.progress,
      storeLog,
    );
    this.cleanService = new CleanService(config, this.commitLog, this.consumeQueues, storeLog);
    const ratio = config.accessMessageInMemoryMaxRatio ?? 40;
    this.readContext = {
      config,
      commitLog: this.commitLog,
      consumeQueues: this.consumeQueues,
      inMemoryBytes: Math.floor((os.totalmem() * ratio) / 100),
    };
  }

  private get abortFilePath(): string {
    return path.join(this.config.storePathRootDir, 'abort');
  }

  /** Opens existing files and recovers (crash recovery when the abort file is present). */
  load(): boolean {
    try {
      fs.mkdirSync(this.config.storePathRootDir, { recursive: true });
      const lastExitOk = !fs.existsSync(this.abortFilePath);
      this.checkpoint.load();
      const error = this.commitLog.files.load() ?? this.consumeQueues.load();
      if (error !== null) {
        storeLog(`load failed: ${error}`);
        return false;
      }
      for (const queue of this.consumeQueues.all()) recoverConsumeQueueEnd(queue);
      const endPhysicalOffset = rebuildFromCommitLog(
        this.commitLog,
        this.consumeQueues,
        this.config,
        lastExitOk,
        this.checkpoint.minTimestampMs(),
      );
      for (const queue of this.consumeQueues.all()) {
        truncateConsumeQueue(queue, endPhysicalOffset);
        correctConsumeQueueMin(queue, this.commitLog.minPhysicalOffset);
        this.queueOffsets.set(queue.topic, queue.queueId, queue.maxQueueOffset);
      }
      return true;
    } catch (error) {
      storeLog(`load failed: ${(error as Error).stack ?? String(error)}`);
      return false;
    }
  }

  start(): void {
    fs.mkdirSync(this.config.storePathRootDir, { recursive: true });
    fs.writeFileSync(this.abortFilePath, '');
    this.flushService.start();
    this.cleanService.start();
    this.running = true;
  }

  /** Finishes pending appends, flushes everything, writes the checkpoint, removes `abort`. */
  shutdown(): void {
    if (!this.running) return;
    this.running = false;
    this.cleanService.shutdown();
    this.putService.drain();
    this.flushService.shutdown();
    this.consumeQueues.closeAll();
    this.commitLog.files.closeAll();
    fs.rmSync(this.abortFilePath, { force: true });
  }

  putMessage(msg: MessageToStore): Promise<PutMessageResult> {
    if (!this.running) return Promise.resolve({ status: PutMessageStatus.SERVICE_NOT_AVAILABLE });
    return this.putService.putMessage(msg);
  }

  putMessages(batch: BatchToStore): Promise<PutMessageResult> {
    if (!this.running) return Promise.resolve({ status: PutMessageStatus.SERVICE_NOT_AVAILABLE });
    return this.putService.putMessages(batch);
  }

  getMessage(
    group: string,
    topic: string,
    queueId: number,
    queueOffset: number,
    maxMsgNums: number,
    filter?: MessageFilter,
  ): GetMessageResult {
    void group; // Java uses it only for statistics.
    return getMessage(this.readContext, topic, queueId, queueOffset, maxMsgNums, filter);
  }

  getMaxOffsetInQueue(topic: string, queueId: number): number {
    return this.consumeQueues.find(topic, queueId)?.maxQueueOffset ?? 0;
  }

  getMinOffsetInQueue(topic: string, queueId: number): number {
    return this.consumeQueues.find(topic, queueId)?.minQueueOffset ?? 0;
  }

  getOffsetInQueueByTime(topic: string, queueId: number, timestampMs: number): number {
    const queue = this.consumeQueues.find(topic, queueId);
    return queue === undefined ? 0 : getOffsetInQueueByTime(queue, this.commitLog, timestampMs);
  }

  getEarliestMessageTime(topic: string, queueId: number): number {
    const queue = this.consumeQueues.find(topic, queueId);
    return queue === undefined
      ? -1
      : this.getMessageStoreTimeStamp(topic, queueId, queue.minQueueOffset);
  }

  getMessageStoreTimeStamp(topic: string, queueId: number, queueOffset: number): number {
    const unit = this.consumeQueues.find(topic, queueId)?.readUnits(queueOffset, 1) ?? null;
    if (unit === null) return -1;
    return this.commitLog.pickupStoreTimestamp(
      unit.readInt32BE(0) * 2 ** 32 + unit.readUInt32BE(4),
      unit.readInt32BE(8),
    );
  }

  /** One raw record at a commit-log offset; null for anything that is not a record start. */
  lookMessageByOffset(physicalOffset: number): Buffer | null {
    return this.commitLog.lookRecord(physicalOffset);
  }

  getMaxPhyOffset(): number {
    return this.commitLog.writtenPhysicalOffset;
  }

  getMinPhyOffset(): number {
    return this.commitLog.minPhysicalOffset;
  }

  /** Java checkInDiskByConsumeOffset: the record lies further back than the in-memory share. */
  checkInDiskByConsumeOffset(topic: string, queueId: number, queueOffset: number): boolean {
    const unit = this.consumeQueues.find(topic, queueId)?.readUnits(queueOffset, 1) ?? null;
    if (unit === null) return false;
    const physicalOffset = unit.readInt32BE(0) * 2 ** 32 + unit.readUInt32BE(4);
    return this.commitLog.writtenPhysicalOffset - physicalOffset > this.readContext.inMemoryBytes;
  }

  /** Java executeDeleteFilesManually: expired files go at the next passes, whatever the hour. */
  executeDeleteFilesManually(): void {
    this.cleanService.requestManualDelete();
  }

  /** Runs one expired-file pass now (tests, admin); returns commit-log segments deleted. */
  deleteExpiredFiles(nowMs: number = Date.now()): number {
    return this.cleanService.runOnce(nowMs);
  }

  /**
   * Test support: stop as a killed process would. Timers stop and descriptors close, but
   * nothing is flushed, no checkpoint is written and `abort` stays.
   */
  haltWithoutCleanup(): void {
    this.running = false;
    this.cleanService.shutdown();
    this.putService.drain();
    this.flushService.stopTimers();
    this.checkpoint.close();
    this.consumeQueues.closeAll();
    this.commitLog.files.closeAll();
  }

  onMessageArriving(listener: MessageArrivingListener): void {
    this.listeners.push(listener);
  }

  queueIds(topic: string): number[] {
    return this.consumeQueues.queueIds(topic);
  }

  topics(): string[] {
    return this.consumeQueues.topics();
  }

  /** Removes the topics' consume queues (their commit-log records age out normally). */
  deleteTopics(topics: string[]): void {
    for (const topic of topics) {
      this.consumeQueues.deleteTopic(topic);
      this.queueOffsets.deleteTopic(topic);
    }
  }

  /** Writes consume-queue units for records just written, then tells the listeners. */
  private dispatch(requests: DispatchRequest[]): void {
    for (const request of requests) {
      this.consumeQueues
        .findOrCreate(request.topic, request.queueId)
        .stageUnit(
          request.queueOffset,
          request.physicalOffset,
          request.sizeBytes,
          request.tagsCode,
        );
    }
    for (const request of requests) {
      const queue = this.consumeQueues.find(request.topic, request.queueId);
      if (queue === undefined || !queue.hasStagedUnits) continue;
      try {
        queue.commit();
      } catch (error) {
        storeLog(
          `consume queue ${request.topic}/${request.queueId} write failed: ${(error as Error).message}`,
        );
      }
    }
    this.progress.lastDispatchedStoreTimestampMs = requests[requests.length - 1].storeTimestampMs;
    if (this.listeners.length === 0) return;
    for (const request of requests) this.notifyArriving(request);
  }

  private notifyArriving(request: DispatchRequest): void {
    const queue = this.consumeQueues.find(request.topic, request.queueId);
    if (queue === undefined || queue.maxQueueOffset <= request.queueOffset) return;
    for (const listener of this.listeners) {
      try {
        listener(
          request.topic,
          request.queueId,
          request.queueOffset + 1,
          request.tagsCode,
          request.storeTimestampMs,
        );
      } catch (error) {
        storeLog(`message arriving listener failed: ${(error as Error).message}`);
      }
    }
  }
}
