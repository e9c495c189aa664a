// Re-dispatch during load: every good record found by the commit-log scan whose unit is missing
// from its consume queue gets it back (Java does this in recoverAbnormally; after a clean exit
// nothing is missing and the scan only finds the end). tagsCode is recomputed the way Java's
// checkMessageAndReturnSize does: the TAGS hash, or for SCHEDULE_TOPIC_XXXX the deliver time.
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
import { CommitLog } from './commit-log';
import { recoverCommitLog, recoveryStartFileIndex } from './commit-log-recovery';
import { ConsumeQueue } from './consume-queue';
import { ConsumeQueueTable } from './consume-queue-table';
import { MessageStoreConfig, parseDelayLevels } from './message-store-config';

/** Java ScheduleMessageService.SCHEDULE_TOPIC. */
export const SCHEDULE_TOPIC = 'SCHEDULE_TOPIC_XXXX';
/** Commit staged units after this many, to bound memory during a long rebuild. */
const COMMIT_EVERY_UNITS = 4096;

/** The consume-queue tagsCode of a stored record (Java checkMessageAndReturnSize). */
export function recordTagsCode(
  topic: string,
  propertiesString: string,
  storeTimestampMs: number,
  delayLevelsMs: number[],
): number {
  if (topic === SCHEDULE_TOPIC) {
    const level = Math.min(
      Number.parseInt(
        findMessageProperty(propertiesString, MessageConst.PROPERTY_DELAY_TIME_LEVEL) ?? '0',
        10,
      ) || 0,
      delayLevelsMs.length,
    );
    if (level > 0) return storeTimestampMs + delayLevelsMs[level - 1];
  }
  const tags = findMessageProperty(propertiesString, MessageConst.PROPERTY_TAGS);
  return tags === undefined || tags.length === 0 ? 0 : javaStringHashCode(tags);
}

/**
 * Finds the commit-log end (cutting damage off) and restores consume-queue units the scan finds
 * missing. Returns the end offset.
 */
export function rebuildFromCommitLog(
  commitLog: CommitLog,
  consumeQueues: ConsumeQueueTable,
  config: MessageStoreConfig,
  lastExitOk: boolean,
  checkpointMinTimestampMs: number,
): number {
  const delayLevelsMs = parseDelayLevels(config.messageDelayLevel);
  const touched = new Set<ConsumeQueue>();
  let stagedUnits = 0;
  const startFileIndex = recoveryStartFileIndex(commitLog, lastExitOk, checkpointMinTimestampMs);
  const endPhysicalOffset = recoverCommitLog(
    commitLog,
    startFileIndex,
    (source, position, physicalOffset, sizeBytes) => {
      const sysFlag = source.readInt32BE(position + SYSFLAG_POSITION);
      if (!isDispatchedToConsumeQueue(sysFlag)) return;
      const layout = recordLayout(sysFlag);
      const bodyAt = position + layout.bodyLengthPosition;
      const topicAt = bodyAt + 4 + source.readInt32BE(bodyAt);
      const topicEnd = topicAt + 1 + source.readInt8(topicAt);
      const topic = source.toString('utf8', topicAt + 1, topicEnd);
      const queue = consumeQueues.findOrCreate(
        topic,
        source.readInt32BE(position + QUEUEID_POSITION),
      );
      const queueOffset = readInt64BE(source, position + QUEUEOFFSET_POSITION);
      if (queueOffset < queue.nextStagedQueueOffset) return;
      const propertiesString = source.toString('utf8', topicEnd + 2, position + sizeBytes);
      const storeTimestampMs = readInt64BE(source, position + layout.storeTimestampPosition);
      queue.stageUnit(
        queueOffset,
        physicalOffset,
        sizeBytes,
        recordTagsCode(topic, propertiesString, storeTimestampMs, delayLevelsMs),
      );
      touched.add(queue);
      if (++stagedUnits % COMMIT_EVERY_UNITS === 0) commitAll(touched);
    },
  );
  commitAll(touched);
  return endPhysicalOffset;
}

function commitAll(queues: Set<ConsumeQueue>): void {
  for (const queue of queues) queue.commit();
  queues.clear();
}
