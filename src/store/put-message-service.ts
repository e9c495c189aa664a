// The append path (Java CommitLog.putMessage / putMessages + DefaultAppendMessageCallback).
//
// Single writer, one place for ordering: each call validates, reserves commit-log space, assigns
// the queue offset and physical offset, and encodes the record straight into the commit log's
// staging buffer, all synchronously. Completion runs once per event-loop turn (setImmediate):
//
//   1. one positional write of everything staged (the bytes are now in the OS page cache);
//   2. dispatch: consume-queue units are written, then arriving listeners are called;
//   3. answers: PUT_OK now, or (SYNC_FLUSH) after the group fdatasync / FLUSH_DISK_TIMEOUT.
//
// So a consume-queue unit never points past the written commit log, and a PUT_OK is never lost
// by a process kill. If a write fails, the unwritten records are forgotten (offsets rewound) and
// their callers get UNKNOWN_ERROR.
import { isIpv6Host } from '../codec/message/host-address';
import { MessageIdPrefixCache, physicalOffsetHex } from '../codec/message/message-id';
import { MessageConst, findMessageProperty } from '../codec/message/message-properties';
import { MessageRecordContent, writeMessageRecord } from '../codec/message/message-record';
import { isDispatchedToConsumeQueue, withHostFlags } from '../codec/message/message-sys-flag';
import { CommitLog, SegmentCreateError } from './commit-log';
import { QueueOffsetTable } from './consume-queue-table';
import { DispatchRequest, MessageToStore, BatchToStore } from './dispatch-request';
import { FlushProgress, FlushService } from './flush-service';
import { BatchSizes, validateBatch, validateMessage } from './message-validation';
import { MessageStoreConfig } from './message-store-config';
import { AppendResult, PutMessageResult, PutMessageStatus } from './put-message-status';

/** Called once per completion with every record just written, in commit-log order. */
export interface DispatchHooks {
  /** Consume queues and arriving listeners; runs before callers are answered. */
  dispatch(requests: DispatchRequest[]): void;
  /** Work nobody waits for (the index); runs after callers are answered. */
  afterAnswer(requests: DispatchRequest[]): void;
}

interface PendingPut {
  result: PutMessageResult;
  endPhysicalOffset: number;
  waitForFlush: boolean;
  resolve: (result: PutMessageResult) => void;
}

/** Java Message.isWaitStoreMsgOK: absent or "true" (any case). */
function isWaitStoreMsgOk(propertiesString: string): boolean {
  const value = findMessageProperty(propertiesString, MessageConst.PROPERTY_WAIT_STORE_MSG_OK);
  return value === undefined || value.toLowerCase() === 'true';
}

export class PutMessageService {
  private pendingPuts: PendingPut[] = [];
  private pendingDispatches: DispatchRequest[] = [];
  private completion: NodeJS.Immediate | null = null;
  private readonly hostPrefixes = new MessageIdPrefixCache();

  constructor(
    private readonly config: MessageStoreConfig,
    private readonly commitLog: CommitLog,
    private readonly queueOffsets: QueueOffsetTable,
    private readonly hooks: DispatchHooks,
    private readonly flushService: FlushService,
    private readonly progress: FlushProgress,
    private readonly log: (message: string) => void,
  ) {}

  putMessage(msg: MessageToStore): Promise<PutMessageResult> {
    const sizes = validateMessage(msg, this.config);
    if (typeof sizes === 'string') return Promise.resolve({ status: sizes });
    const sysFlag = withHostFlags(msg.sysFlag, isIpv6Host(msg.bornHost), isIpv6Host(msg.storeHost));
    const content: MessageRecordContent = sysFlag === msg.sysFlag ? msg : { ...msg, sysFlag };
    const physicalOffset = this.reserve(sizes.recordSizeBytes);
    if (physicalOffset < 0)
      return Promise.resolve({ status: PutMessageStatus.CREATE_MAPEDFILE_FAILED });
    const dispatched = isDispatchedToConsumeQueue(sysFlag);
    const queueOffset = dispatched ? this.queueOffsets.next(msg.topic, msg.queueId) : 0;
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
    this.commitLog.advance(sizes.recordSizeBytes);
    if (dispatched) this.queueOffsets.set(msg.topic, msg.queueId, queueOffset + 1);
    this.pendingDispatches.push({
      topic: msg.topic,
      queueId: msg.queueId,
      queueOffset,
      physicalOffset,
      sizeBytes: sizes.recordSizeBytes,
      tagsCode: msg.tagsCode,
      storeTimestampMs,
      sysFlag,
      propertiesString: msg.propertiesString,
    });
    const appendResult: AppendResult = {
      physicalOffset,
      wroteBytes: sizes.recordSizeBytes,
      queueOffset,
      storeTimestampMs,
      msgNum: 1,
      msgId: this.hostPrefixes.prefixOf(msg.storeHost) + physicalOffsetHex(physicalOffset),
    };
    return this.enqueue(appendResult, isWaitStoreMsgOk(msg.propertiesString));
  }

  putMessages(batch: BatchToStore): Promise<PutMessageResult> {
    const sizes = validateBatch(batch, this.config);
    if (typeof sizes === 'string') return Promise.resolve({ status: sizes });
    const sysFlag = withHostFlags(
      batch.sysFlag,
      isIpv6Host(batch.bornHost),
      isIpv6Host(batch.storeHost),
    );
    const firstPhysicalOffset = this.reserve(sizes.totalSizeBytes);
    if (firstPhysicalOffset < 0)
      return Promise.resolve({ status: PutMessageStatus.CREATE_MAPEDFILE_FAILED });
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
    const msgIds = this.writeBatchRecords(
      batch,
      sizes,
      content,
      firstPhysicalOffset,
      firstQueue,
      storeTimestampMs,
    );
    if (dispatched)
      this.queueOffsets.set(batch.topic, batch.queueId, firstQueueOffset + batch.elements.length);
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

  /** Runs a scheduled completion now (shutdown). */
  drain(): void {
    if (this.completion === null) return;
    clearImmediate(this.completion);
    this.complete();
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

  private enqueue(appendResult: AppendResult, mayWait: boolean): Promise<PutMessageResult> {
    const waitForFlush = mayWait && this.config.flushDiskType === 'SYNC_FLUSH';
    const endPhysicalOffset = appendResult.physicalOffset + appendResult.wroteBytes;
    const result: PutMessageResult = { status: PutMessageStatus.PUT_OK, appendResult };
    if (this.completion === null) this.completion = setImmediate(() => this.complete());
    return new Promise((resolve) =>
      this.pendingPuts.push({ result, endPhysicalOffset, waitForFlush, resolve }),
    );
  }

  private complete(): void {
    this.completion = null;
    try {
      this.commitLog.commitStaged();
    } catch (error) {
      this.failUnwritten(error as Error);
    }
    const dispatches = this.pendingDispatches;
    const puts = this.pendingPuts;
    this.pendingDispatches = [];
    this.pendingPuts = [];
    if (puts.length === 0) return;
    this.progress.lastWrittenStoreTimestampMs =
      puts[puts.length - 1].result.appendResult!.storeTimestampMs;
    this.hooks.dispatch(dispatches);
    this.answer(puts);
    this.hooks.afterAnswer(dispatches);
  }

  private answer(puts: PendingPut[]): void {
    const waiting: PendingPut[] = [];
    for (const put of puts) {
      if (put.waitForFlush) waiting.push(put);
      else put.resolve(put.result);
    }
    if (this.config.flushDiskType === 'SYNC_FLUSH') this.flushService.flushCommitLog();
    if (waiting.length === 0) return;
    const endPhysicalOffset = waiting[waiting.length - 1].endPhysicalOffset;
    void this.flushService.waitForFlush(endPhysicalOffset).then((flushed) => {
      for (const put of waiting) {
        put.resolve(
          flushed
            ? put.result
            : {
                status: PutMessageStatus.FLUSH_DISK_TIMEOUT,
                appendResult: put.result.appendResult,
              },
        );
      }
    });
  }

  /** After a failed write: forget staged records, rewind their queue offsets, fail their callers. */
  private failUnwritten(error: Error): void {
    this.commitLog.discardStaged();
    const writtenPhysicalOffset = this.commitLog.writtenPhysicalOffset;
    this.log(`commit log write failed at ${writtenPhysicalOffset}: ${error.message}`);
    const rewound = new Set<string>();
    this.pendingDispatches = this.pendingDispatches.filter((request) => {
      if (request.physicalOffset < writtenPhysicalOffset) return true;
      if (!isDispatchedToConsumeQueue(request.sysFlag)) return false;
      const key = `${request.topic}\u0000${request.queueId}`;
      if (!rewound.has(key))
        this.queueOffsets.set(request.topic, request.queueId, request.queueOffset);
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
