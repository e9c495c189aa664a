// Load-time recovery (Java DefaultMessageStore.load + recover):
//
//   1. open the commit-log segments and consume queues;
//   2. each consume queue finds its last valid unit; then where the check of the commit log
//      starts is decided, and the index files are opened (repaired after a crash);
//   3. scan the commit log from where it may be damaged (commit-log-recovery.ts: the durable
//      offset our checkpoint records, else Java's segment rule), cutting it at the first damaged
//      record; every good record whose consume-queue unit or index entries are missing gets them (tagsCode recomputed as Java's
//      checkMessageAndReturnSize does: the TAGS hash, or the deliver time for
//      SCHEDULE_TOPIC_XXXX);
//   4. consume queues drop units past the log end and move their minimum to the log start;
//   5. the next queue offset of every queue = its max offset;
//   6. after a crash, the checked tail is fdatasynced, so the offsets the checkpoint records
//      from now on only cover bytes that are on disk.
import { javaStringHashCode } from '../codec/java-hash';
import { readInt64BE } from '../codec/message/buffer-int64';
import { MessageConst, findMessageProperty } from '../codec/message/message-properties';
import {
  QUEUEID_POSITION,
  QUEUEOFFSET_POSITION,
  SYSFLAG_POSITION,
  recordLayout,
} from '../codec/message/message-record-layout';
import { isDispatchedToConsumeQueue } from '../codec/message/message-sys-flag';
import type { CommitLog } from './commit-log';
import { recoverCommitLog, recoveryStartOffset, syncRecoveredTail } from './commit-log-recovery';
import type { ConsumeQueue } from './consume-queue';
import { correctConsumeQueueMin, recoverConsumeQueueEnd, truncateConsumeQueue } from './consume-queue-recovery';
import type { ConsumeQueueTable, QueueOffsetTable } from './consume-queue-table';
import type { IndexRequest, IndexService } from './index-service';
import { type MessageStoreConfig, parseDelayLevels } from './message-store-config';
import type { StoreCheckpoint } from './store-checkpoint';

/** Java ScheduleMessageService.SCHEDULE_TOPIC. */
export const SCHEDULE_TOPIC = 'SCHEDULE_TOPIC_XXXX';
/** Write rebuilt units and index entries after this many records, to bound memory. */
const BATCH_RECORDS = 4096;

export interface RecoveryContext {
  config: MessageStoreConfig;
  commitLog: CommitLog;
  consumeQueues: ConsumeQueueTable;
  queueOffsets: QueueOffsetTable;
  checkpoint: StoreCheckpoint;
  indexService: IndexService | null;
  lastExitOk: boolean;
}

/** What a load found and how long it took. */
export interface RecoveryReport {
  lastExitOk: boolean;
  /** Where the commit-log check started, and where the log ends. */
  checkedFromPhysicalOffset: number;
  endPhysicalOffset: number;
  durationMs: number;
}

/** The consume-queue tagsCode of a stored record (Java checkMessageAndReturnSize). */
export function recordTagsCode(
  topic: string,
  propertiesString: string,
  storeTimestampMs: number,
  delayLevelsMs: number[],
): number {
  if (topic === SCHEDULE_TOPIC) {
    const delay = findMessageProperty(propertiesString, MessageConst.PROPERTY_DELAY_TIME_LEVEL);
    const level = Math.min(Number.parseInt(delay ?? '0', 10) || 0, delayLevelsMs.length);
    if (level > 0) return storeTimestampMs + delayLevelsMs[level - 1];
  }
  const tags = findMessageProperty(propertiesString, MessageConst.PROPERTY_TAGS);
  return tags === undefined || tags.length === 0 ? 0 : javaStringHashCode(tags);
}

/** Runs steps 1-6; returns an error text when the files cannot be opened. */
export function loadAndRecover(ctx: RecoveryContext): RecoveryReport | string {
  const startedAtMs = Date.now();
  const { commitLog, consumeQueues, checkpoint } = ctx;
  checkpoint.load();
  const error = commitLog.files.load() ?? consumeQueues.load();
  if (error !== null) return error;
  let consumeQueueEndPhysicalOffset = -1;
  for (const queue of consumeQueues.all()) {
    recoverConsumeQueueEnd(queue);
    consumeQueueEndPhysicalOffset = Math.max(consumeQueueEndPhysicalOffset, queue.maxPhysicalOffset);
  }
  const startPhysicalOffset = recoveryStartOffset(commitLog, ctx.lastExitOk, checkpoint, consumeQueueEndPhysicalOffset);
  ctx.indexService?.load(ctx.lastExitOk, startPhysicalOffset);
  const endPhysicalOffset = rebuildFromCommitLog(ctx, startPhysicalOffset);
  ctx.indexService?.truncate(endPhysicalOffset);
  // The log is durable to its end now (after a crash: the checked tail was just synced; after a
  // clean shutdown: the last broker flushed it), so later checkpoints may say so.
  if (!ctx.lastExitOk) syncRecoveredTail(commitLog, startPhysicalOffset);
  checkpoint.physicOffset = endPhysicalOffset;
  // Units rebuilt from `start` on are not synced yet, and a queue flushed ahead of a commit log
  // that lost its tail (power loss, ASYNC_FLUSH) leaves an offset past the end: never trust more.
  if (checkpoint.logicsOffset > startPhysicalOffset) checkpoint.logicsOffset = startPhysicalOffset;
  for (const queue of consumeQueues.all()) {
    truncateConsumeQueue(queue, endPhysicalOffset);
    correctConsumeQueueMin(queue, commitLog.minPhysicalOffset);
    ctx.queueOffsets.set(queue.topic, queue.queueId, queue.maxQueueOffset);
  }
  return {
    lastExitOk: ctx.lastExitOk,
    checkedFromPhysicalOffset: startPhysicalOffset,
    endPhysicalOffset,
    durationMs: Date.now() - startedAtMs,
  };
}

/** Rebuilt work waiting to be written. */
class RebuildBatch {
  readonly queues = new Set<ConsumeQueue>();
  readonly indexRequests: IndexRequest[] = [];
  records = 0;

  constructor(private readonly indexService: IndexService | null) {}

  flushIfFull(): void {
    if (++this.records % BATCH_RECORDS === 0) this.flush();
  }

  flush(): void {
    for (const queue of this.queues) queue.commit();
    this.queues.clear();
    if (this.indexService !== null && this.indexRequests.length > 0) {
      this.indexService.buildIndex(this.indexRequests);
    }
    this.indexRequests.length = 0;
  }
}

/** Step 3: finds the log end and restores missing units and index entries. */
function rebuildFromCommitLog(ctx: RecoveryContext, startPhysicalOffset: number): number {
  const { commitLog, consumeQueues, indexService } = ctx;
  const delayLevelsMs = parseDelayLevels(ctx.config.messageDelayLevel);
  const batch = new RebuildBatch(indexService);
  const indexedUntil = indexService?.indexedUntil ?? Number.MAX_SAFE_INTEGER;
  const endPhysicalOffset = recoverCommitLog(
    commitLog,
    startPhysicalOffset,
    (source, position, physicalOffset, sizeBytes) => {
      const sysFlag = source.readInt32BE(position + SYSFLAG_POSITION);
      const layout = recordLayout(sysFlag);
      const bodyAt = position + layout.bodyLengthPosition;
      const topicAt = bodyAt + 4 + source.readInt32BE(bodyAt);
      const topicEnd = topicAt + 1 + source.readInt8(topicAt);
      const topic = source.toString('utf8', topicAt + 1, topicEnd);
      const queueOffset = readInt64BE(source, position + QUEUEOFFSET_POSITION);
      const queueId = source.readInt32BE(position + QUEUEID_POSITION);
      const queue = isDispatchedToConsumeQueue(sysFlag) ? consumeQueues.findOrCreate(topic, queueId) : null;
      const needsUnit = queue !== null && queueOffset >= queue.nextStagedQueueOffset;
      const needsIndex = indexService !== null && physicalOffset >= indexedUntil;
      if (!needsUnit && !needsIndex) return;
      const propertiesString = source.toString('utf8', topicEnd + 2, position + sizeBytes);
      const storeTimestampMs = readInt64BE(source, position + layout.storeTimestampPosition);
      if (needsUnit) {
        const tagsCode = recordTagsCode(topic, propertiesString, storeTimestampMs, delayLevelsMs);
        queue.stageUnit(queueOffset, physicalOffset, sizeBytes, tagsCode);
        batch.queues.add(queue);
      }
      if (needsIndex) {
        batch.indexRequests.push({
          topic,
          physicalOffset,
          storeTimestampMs,
          sysFlag,
          propertiesString,
        });
      }
      batch.flushIfFull();
    },
    ctx.config.brokerRole === 'SLAVE',
  );
  batch.flush();
  return endPhysicalOffset;
}
