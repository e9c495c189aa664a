// DefaultMessageStore's read side (Java: the getters and queries of DefaultMessageStore): what a
// pull, an admin query or a slave's HA client asks the store. Nothing here writes; the write side,
// the lifecycle and the roles are in message-store.ts, which extends this class.
import type { CommitLog } from './commit-log';
import type { ConsumeQueueTable } from './consume-queue-table';
import {
  type GetMessageContext,
  type GetMessageQuery,
  type MessageFilter,
  getMessage,
  getMessageNonBlocking,
} from './get-message';
import { GetMessageMemo } from './get-message-memo';
import type { HaSlaveStore } from './ha/ha-client';
import type { IndexService } from './index-service';
import type { MessageStoreConfig } from './message-store-config';
import type { GetMessageResult } from './put-message-status';
import { type QueryMessageResult, queryMessage } from './query-message';
import { getOffsetInQueueByTime } from './queue-time-search';
import { type StoreComponents, buildStoreComponents } from './store-components';

export abstract class MessageStoreReads implements HaSlaveStore {
  /** Every part of the store, built once (store-components.ts). */
  protected readonly parts: StoreComponents;
  protected readonly commitLog: CommitLog;
  protected readonly consumeQueues: ConsumeQueueTable;
  protected readonly indexService: IndexService | null;
  protected readonly readContext: GetMessageContext;
  /** Filter-less pulls of the same records in one synchronous job share one read (a woken group fan-out). */
  readonly getMessageMemo = new GetMessageMemo();

  constructor(
    readonly config: MessageStoreConfig,
    log: (message: string) => void,
  ) {
    this.parts = buildStoreComponents(config, log, this);
    this.commitLog = this.parts.commitLog;
    this.consumeQueues = this.parts.consumeQueues;
    this.indexService = this.parts.indexService;
    this.readContext = this.parts.readContext;
  }

  /** The write side's (a slave's HA client appends through it). */
  abstract appendToCommitLog(physicalOffset: number, data: Buffer): boolean;

  getMessage(
    group: string,
    topic: string,
    queueId: number,
    queueOffset: number,
    maxMsgNums: number,
    filter?: MessageFilter,
  ): GetMessageResult {
    void group; // Java uses it only for statistics.
    return getMessage(this.readContext, { topic, queueId, queueOffset, maxMsgNums, filter });
  }

  /**
   * As `getMessage` for a consumer's pull: reads of cold bytes (a backlog) go to the thread pool
   * and the answer is then a promise (null when `abandoned()` turned true before a read);
   * pulls near the log end answer at once. The records come as one `body` (get-message.ts).
   */
  getMessageNonBlocking(query: GetMessageQuery): GetMessageResult | Promise<GetMessageResult | null> {
    const { topic, queueId, queueOffset, maxMsgNums, filter, bodyByReference = false } = query;
    if (filter !== undefined) return getMessageNonBlocking(this.readContext, query);
    const maxQueueOffset = this.getMaxOffsetInQueue(topic, queueId);
    const key = GetMessageMemo.key(topic, queueId, queueOffset, maxMsgNums, maxQueueOffset, bodyByReference);
    const known = this.getMessageMemo.lookup(key);
    if (known !== undefined) return known;
    const answer = getMessageNonBlocking(this.readContext, query);
    if (!(answer instanceof Promise)) this.getMessageMemo.remember(key, answer);
    return answer;
  }

  /** QUERY_MESSAGE: records indexed under `key` (UNIQ_KEY or a KEYS token) in the time window. */
  queryMessage(
    topic: string,
    key: string,
    maxNum: number,
    beginTimestampMs: number,
    endTimestampMs: number,
  ): QueryMessageResult {
    const window = [beginTimestampMs, endTimestampMs] as const;
    return queryMessage(this.indexService, this.commitLog, topic, key, maxNum, ...window);
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
    if (queue === undefined) return -1;
    return this.getMessageStoreTimeStamp(topic, queueId, queue.minQueueOffset);
  }

  getMessageStoreTimeStamp(topic: string, queueId: number, queueOffset: number): number {
    const physicalOffset = this.unitPhysicalOffset(topic, queueId, queueOffset);
    if (physicalOffset < 0) return -1;
    const unit = this.consumeQueues.find(topic, queueId)!.readUnits(queueOffset, 1)!;
    return this.commitLog.pickupStoreTimestamp(physicalOffset, unit.readInt32BE(8));
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
    const physicalOffset = this.unitPhysicalOffset(topic, queueId, queueOffset);
    if (physicalOffset < 0) return false;
    return this.commitLog.writtenPhysicalOffset - physicalOffset > this.readContext.inMemoryBytes;
  }

  queueIds(topic: string): number[] {
    return this.consumeQueues.queueIds(topic);
  }

  topics(): string[] {
    return this.consumeQueues.topics();
  }

  private unitPhysicalOffset(topic: string, queueId: number, queueOffset: number): number {
    const unit = this.consumeQueues.find(topic, queueId)?.readUnits(queueOffset, 1) ?? null;
    return unit === null ? -1 : unit.readInt32BE(0) * 2 ** 32 + unit.readUInt32BE(4);
  }
}
