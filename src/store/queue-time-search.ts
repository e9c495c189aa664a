// Queue offset for a point in time (Java ConsumeQueue.getOffsetInQueueByTime), used by
// SEARCH_OFFSET_BY_TIMESTAMP and CONSUME_FROM_TIMESTAMP.
//
// Pick the first queue file modified at or after the time (else the last file), then binary
// search its units by the STORETIMESTAMP of the records they point at. An exact match wins;
// otherwise the nearer of the two neighbours (the left one on a tie); units whose record is gone
// count as "too early".
import { readInt64BE } from '../codec/message/buffer-int64';
import type { CommitLog } from './commit-log';
import type { ConsumeQueue } from './consume-queue';
import { CQ_STORE_UNIT_SIZE } from './consume-queue-unit';

export function getOffsetInQueueByTime(queue: ConsumeQueue, commitLog: CommitLog, timestampMs: number): number {
  const files = queue.files.files;
  const file = files.find((candidate) => candidate.lastModifiedMs() >= timestampMs) ?? files[files.length - 1];
  if (file === undefined) return 0;
  const fileFromQueueOffset = file.fileFromOffset / CQ_STORE_UNIT_SIZE;
  const writtenUnits = Math.min(queue.unitsPerFile, queue.maxQueueOffset - fileFromQueueOffset);
  let low = Math.max(0, queue.minQueueOffset - fileFromQueueOffset);
  let high = writtenUnits - 1;
  let target = -1;
  let left = -1;
  let right = -1;
  let leftTimestampMs = -1;
  let rightTimestampMs = -1;
  const minPhysicalOffset = commitLog.minPhysicalOffset;
  while (high >= low) {
    const middle = Math.floor((low + high) / 2);
    const unit = queue.readUnits(fileFromQueueOffset + middle, 1);
    if (unit === null) return 0;
    const physicalOffset = readInt64BE(unit, 0);
    if (physicalOffset < minPhysicalOffset) {
      low = middle + 1;
      left = middle;
      continue;
    }
    const storeTimestampMs = commitLog.pickupStoreTimestamp(physicalOffset, unit.readInt32BE(8));
    if (storeTimestampMs < 0) return 0;
    if (storeTimestampMs === timestampMs) {
      target = middle;
      break;
    } else if (storeTimestampMs > timestampMs) {
      high = middle - 1;
      right = middle;
      rightTimestampMs = storeTimestampMs;
    } else {
      low = middle + 1;
      left = middle;
      leftTimestampMs = storeTimestampMs;
    }
  }
  let offsetInFile: number;
  if (target !== -1) offsetInFile = target;
  else if (leftTimestampMs === -1) offsetInFile = right;
  else if (rightTimestampMs === -1) offsetInFile = left;
  else offsetInFile = Math.abs(timestampMs - leftTimestampMs) > Math.abs(timestampMs - rightTimestampMs) ? right : left;
  // Java: (fileFromOffset + offset) / 20 with integer division (offset -1 rounds toward zero).
  const offsetBytes = offsetInFile === -1 ? -1 : offsetInFile * CQ_STORE_UNIT_SIZE;
  return Math.trunc((file.fileFromOffset + offsetBytes) / CQ_STORE_UNIT_SIZE);
}
