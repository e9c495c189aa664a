// The append path (Java CommitLog.putMessage / putMessages + DefaultAppendMessageCallback).
//
// Single writer, one place for ordering: each call validates, reserves commit-log space, assigns
// the queue offset and physical offset, and encodes the record straight into the commit log's
// staging buffer, all synchronously. The turn's write of what was staged, the dispatch and the
// answers follow in PutCompletion (put-completion.ts).
import { isIpv6Host } from '../codec/message/host-address';
import { MessageIdPrefixCache, physicalOffsetHex } from '../codec/message/message-id';
import { type MessageRecordContent, writeMessageRecord } from '../codec/message/message-record';
import { patchMessageRecord } from '../codec/message/message-record-patch';
import { isDispatchedToConsumeQueue, withHostFlags } from '../codec/message/message-sys-flag';
import { type CommitLog, SegmentCreateError } from './commit-log';
import type { QueueOffsetTable } from './consume-queue-table';
import type { BatchToStore, EncodedMessage, MessageToStore } from './dispatch-request';
import type { FlushProgress, FlushService } from './flush-service';
import { type BatchSizes, isWaitStoreMsgOk, validateBatch, validateMessage } from './message-validation';
import type { MessageStoreConfig } from './message-store-config';
import { type AppendResult, type PutMessageResult, PutMessageStatus } from './put-message-status';
import { PutCompletion, type ReplicaWaiter } from './put-completion';
import type { BatchHooks } from './sync-flush-queue';

export class PutMessageService {
  /** The turn's write, dispatch and answers of what this service staged. */
  readonly completion: PutCompletion;
  private readonly hostPrefixes = new MessageIdPrefixCache();

  constructor(
    private readonly config: MessageStoreConfig,
    private readonly commitLog: CommitLog,
    private readonly queueOffsets: QueueOffsetTable,
    hooks: BatchHooks,
    flushService: FlushService,
    progress: FlushProgress,
    private readonly log: (message: string) => void,
    /** The HA service: consulted while brokerRole is SYNC_MASTER (read live, as Java does). */
    replica: ReplicaWaiter | null = null,
  ) {
    this.completion = new PutCompletion(config, commitLog, queueOffsets, hooks, flushService, progress, log, replica);
  }

  /** Java isOSPageCacheBusy (rules in write-path-monitor.ts). */
  isOsPageCacheBusy(nowMs: number = Date.now()): boolean {
    return this.completion.isOsPageCacheBusy(nowMs);
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
    this.completion.addDispatch({
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
    return this.completion.enqueue(appendResult, isWaitStoreMsgOk(msg.propertiesString), msg.brokerInternal !== true);
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
    return this.completion.enqueue(appendResult, true);
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
      this.completion.addDispatch({
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
    this.completion.drain();
  }

  /** A simulated kill: the last completion runs, nothing waiting for the disk is answered. */
  halt(): void {
    this.completion.halt();
  }

  private reserve(sizeBytes: number): number {
    try {
      return this.commitLog.reserve(sizeBytes);
    } catch (error) {
      if (error instanceof SegmentCreateError) this.log(error.message);
      else this.completion.failUnwritten(error as Error);
      return -1;
    }
  }
}
