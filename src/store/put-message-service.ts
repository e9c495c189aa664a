// The append path (Java CommitLog.putMessage / putMessages + DefaultAppendMessageCallback).
//
// Single writer, one place for ordering: each call validates, reserves commit-log space, assigns
// the queue offset and physical offset, and encodes the record straight into the commit log's
// staging buffer, all synchronously. Completion runs once per event-loop turn (setImmediate):
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
import { isIpv6Host } from '../codec/message/host-address';
import { MessageIdPrefixCache, physicalOffsetHex } from '../codec/message/message-id';
import { type MessageRecordContent, writeMessageRecord } from '../codec/message/message-record';
import { patchMessageRecord } from '../codec/message/message-record-patch';
import { isDispatchedToConsumeQueue, withHostFlags } from '../codec/message/message-sys-flag';
import { type CommitLog, SegmentCreateError } from './commit-log';
import type { QueueOffsetTable } from './consume-queue-table';
import type { DispatchRequest, EncodedMessage, MessageToStore, BatchToStore } from './dispatch-request';
import type { FlushProgress, FlushService } from './flush-service';
import { type BatchSizes, isWaitStoreMsgOk, validateBatch, validateMessage } from './message-validation';
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

export class PutMessageService {
  /** Told of every failed commit-log write (ENOSPC marks the disk full). */
  onWriteFailed: (error: NodeJS.ErrnoException) => void = () => undefined;
  /** Told after each write that moved the written offset (HA sends the new bytes to slaves). */
  onWritten: (() => void) | null = null;
  /** Told when a write of the sends read so far is scheduled (a setImmediate of this turn's check phase). */
  onCompletionScheduled: (() => void) | null = null;
  private pendingPuts: PendingPut[] = [];
  private pendingDispatches: DispatchRequest[] = [];
  private completion: NodeJS.Immediate | null = null;
  private readonly hostPrefixes = new MessageIdPrefixCache();
  private readonly syncFlush: boolean;
  private readonly awaitingFlush: SyncFlushQueue;
  private readonly monitor: WritePathMonitor;
  private halted = false;
  /**
   * Each turn's write on the thread pool (the connection workers' broker): less work on the event
   * loop per send, but a thread-pool round trip more before the answers; off, the write runs in the
   * turn's completion and its sends are answered before the pull turn (lower latency on few cores).
   */
  writeOnThreadPool = false;

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

  putMessage(msg: MessageToStore): Promise<PutMessageResult> {
    const sizes = validateMessage(msg, this.config);
    if (typeof sizes === 'string') return Promise.resolve({ status: sizes });
    const sysFlag = withHostFlags(msg.sysFlag, isIpv6Host(msg.bornHost), isIpv6Host(msg.storeHost));
    const content: MessageRecordContent = sysFlag === msg.sysFlag ? msg : { ...msg, sysFlag };
    const physicalOffset = this.reserve(sizes.recordSizeBytes);
    if (physicalOffset < 0) return Promise.resolve({ status: PutMessageStatus.CREATE_MAPEDFILE_FAILED });
    const queueOffset = this.nextQueueOffset(msg.topic, msg.queueId, sysFlag);
    const storeTimestampMs = Date.now();
    writeMessageRecord(
      this.commitLog.stagingBuffer,
      this.commitLog.stagingPosition,
      content,
      sizes.topicSizeBytes,
      sizes.propertiesSizeBytes,
      queueOffset,
      physicalOffset,
      storeTimestampMs,
    );
    return this.appended(msg, sysFlag, sizes.recordSizeBytes, physicalOffset, queueOffset, storeTimestampMs);
  }

  /**
   * The ordered writer's half of a send a worker encoded (broker/send-workers): the record arrives
   * whole but for its offsets and store time, which are assigned and patched here, in the order
   * of the calls, exactly as putMessage assigns them.
   */
  putEncodedMessage(encoded: EncodedMessage): Promise<PutMessageResult> {
    const sizeBytes = encoded.record.length;
    if (sizeBytes > this.config.maxMessageSize || sizeBytes + 8 > this.config.mappedFileSizeCommitLog)
      return Promise.resolve({ status: PutMessageStatus.MESSAGE_ILLEGAL });
    const physicalOffset = this.reserve(sizeBytes);
    if (physicalOffset < 0) return Promise.resolve({ status: PutMessageStatus.CREATE_MAPEDFILE_FAILED });
    const queueOffset = this.nextQueueOffset(encoded.topic, encoded.queueId, encoded.sysFlag);
    const storeTimestampMs = Date.now();
    const position = this.commitLog.stagingPosition;
    encoded.record.copy(this.commitLog.stagingBuffer, position);
    patchMessageRecord(
      this.commitLog.stagingBuffer,
      position,
      encoded.sysFlag,
      queueOffset,
      physicalOffset,
      storeTimestampMs,
    );
    return this.appended(encoded, encoded.sysFlag, sizeBytes, physicalOffset, queueOffset, storeTimestampMs);
  }

  private nextQueueOffset(topic: string, queueId: number, sysFlag: number): number {
    return isDispatchedToConsumeQueue(sysFlag) ? this.queueOffsets.next(topic, queueId) : 0;
  }

  /** After a record is in the staging buffer: advance, queue its dispatch, wait for its write. */
  private appended(
    msg: Pick<MessageToStore, 'topic' | 'queueId' | 'tagsCode' | 'propertiesString' | 'storeHost' | 'brokerInternal'>,
    sysFlag: number,
    sizeBytes: number,
    physicalOffset: number,
    queueOffset: number,
    storeTimestampMs: number,
  ): Promise<PutMessageResult> {
    this.commitLog.advance(sizeBytes);
    if (isDispatchedToConsumeQueue(sysFlag)) this.queueOffsets.set(msg.topic, msg.queueId, queueOffset + 1);
    this.pendingDispatches.push({
      topic: msg.topic,
      queueId: msg.queueId,
      queueOffset,
      physicalOffset,
      sizeBytes,
      tagsCode: msg.tagsCode,
      storeTimestampMs,
      sysFlag,
      propertiesString: msg.propertiesString,
    });
    const appendResult: AppendResult = {
      physicalOffset,
      wroteBytes: sizeBytes,
      queueOffset,
      storeTimestampMs,
      msgNum: 1,
      msgId: this.hostPrefixes.prefixOf(msg.storeHost) + physicalOffsetHex(physicalOffset),
    };
    return this.enqueue(appendResult, isWaitStoreMsgOk(msg.propertiesString), msg.brokerInternal !== true);
  }

  putMessages(batch: BatchToStore): Promise<PutMessageResult> {
    const sizes = validateBatch(batch, this.config);
    if (typeof sizes === 'string') return Promise.resolve({ status: sizes });
    const sysFlag = withHostFlags(batch.sysFlag, isIpv6Host(batch.bornHost), isIpv6Host(batch.storeHost));
    const firstPhysicalOffset = this.reserve(sizes.totalSizeBytes);
    if (firstPhysicalOffset < 0) return Promise.resolve({ status: PutMessageStatus.CREATE_MAPEDFILE_FAILED });
    const dispatched = isDispatchedToConsumeQueue(sysFlag);
    const firstQueueOffset = dispatched ? this.queueOffsets.next(batch.topic, batch.queueId) : 0;
    const storeTimestampMs = Date.now();
    const content: MessageRecordContent = {
      queueId: batch.queueId,
      flag: 0,
      sysFlag,
      bornTimestampMs: batch.bornTimestampMs,
      bornHost: batch.bornHost,
      storeHost: batch.storeHost,
      reconsumeTimes: batch.reconsumeTimes ?? 0,
      preparedTransactionOffset: 0,
      body: Buffer.alloc(0),
      topic: batch.topic,
      propertiesString: '',
    };
    const firstQueue = dispatched ? firstQueueOffset : -1;
    const msgIds = this.writeBatchRecords(batch, sizes, content, firstPhysicalOffset, firstQueue, storeTimestampMs);
    if (dispatched) this.queueOffsets.set(batch.topic, batch.queueId, firstQueueOffset + batch.elements.length);
    const appendResult: AppendResult = {
      physicalOffset: firstPhysicalOffset,
      wroteBytes: sizes.totalSizeBytes,
      queueOffset: firstQueueOffset,
      storeTimestampMs,
      msgNum: batch.elements.length,
      msgId: msgIds.join(','),
    };
    return this.enqueue(appendResult, true);
  }

  /**
   * Encodes every element of a batch into the reserved space; `firstQueueOffset` is -1 for
   * records that are not dispatched (they carry QUEUEOFFSET 0). Returns the offsetMsgIds.
   */
  private writeBatchRecords(
    batch: BatchToStore,
    sizes: BatchSizes,
    content: MessageRecordContent,
    firstPhysicalOffset: number,
    firstQueueOffset: number,
    storeTimestampMs: number,
  ): string[] {
    const prefix = this.hostPrefixes.prefixOf(batch.storeHost);
    const msgIds: string[] = [];
    let physicalOffset = firstPhysicalOffset;
    batch.elements.forEach((element, i) => {
      content.flag = element.flag;
      content.body = element.body;
      content.propertiesString = element.propertiesString;
      const queueOffset = firstQueueOffset < 0 ? 0 : firstQueueOffset + i;
      const sizeBytes = writeMessageRecord(
        this.commitLog.stagingBuffer,
        this.commitLog.stagingPosition,
        content,
        sizes.topicSizeBytes,
        sizes.propertiesSizeBytes[i],
        queueOffset,
        physicalOffset,
        storeTimestampMs,
      );
      this.commitLog.advance(sizeBytes);
      this.pendingDispatches.push({
        topic: batch.topic,
        queueId: batch.queueId,
        queueOffset,
        physicalOffset,
        sizeBytes,
        tagsCode: element.tagsCode,
        storeTimestampMs,
        sysFlag: content.sysFlag,
        propertiesString: element.propertiesString,
      });
      msgIds.push(prefix + physicalOffsetHex(physicalOffset));
      physicalOffset += sizeBytes;
    });
    return msgIds;
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

  private reserve(sizeBytes: number): number {
    try {
      return this.commitLog.reserve(sizeBytes);
    } catch (error) {
      if (error instanceof SegmentCreateError) this.log(error.message);
      else this.failUnwritten(error as Error);
      return -1;
    }
  }

  private enqueue(appendResult: AppendResult, mayWait: boolean, mayWaitForSlave = mayWait): Promise<PutMessageResult> {
    const waitForFlush = mayWait && this.syncFlush;
    const endPhysicalOffset = appendResult.physicalOffset + appendResult.wroteBytes;
    const result: PutMessageResult = { status: PutMessageStatus.PUT_OK, appendResult };
    let waitForSlave = false;
    if (mayWait && mayWaitForSlave && this.replica !== null && this.config.brokerRole === 'SYNC_MASTER') {
      if (this.replica.isSlaveOK(endPhysicalOffset)) waitForSlave = true;
      else result.status = PutMessageStatus.SLAVE_NOT_AVAILABLE;
    }
    if (this.completion === null) {
      this.completion = setImmediate(() => this.complete());
      this.onCompletionScheduled?.();
    }
    return new Promise((resolve) =>
      this.pendingPuts.push({ result, endPhysicalOffset, waitForFlush, waitForSlave, resolve }),
    );
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
    if (this.pendingPuts.length > 0 && this.completion === null) {
      this.completion = setImmediate(() => this.complete());
      this.onCompletionScheduled?.();
    }
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
  private failUnwritten(error: Error): void {
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
