// Recovery of one consume queue at load (Java ConsumeQueue.recover, correctMinOffset and
// truncateDirtyLogicFiles), done in three steps:
//
//   1. recoverConsumeQueueEnd: the last valid unit, scanning back from the end of the last file
//      (zero space and invalid units after it are cleared);
//   2. truncateConsumeQueue: drop units that point at or past the recovered commit-log end;
//   3. correctConsumeQueueMin: the first unit that still points into the commit log.
import { readInt64BE } from '../codec/message/buffer-int64';
import {
  CQ_STORE_UNIT_SIZE,
  ConsumeQueue,
  PRE_BLANK_UNIT_SIZE,
  isValidUnit,
} from './consume-queue';

/** Step 1: sets maxQueueOffset / maxPhysicalOffset from the files and clears what follows. */
export function recoverConsumeQueueEnd(queue: ConsumeQueue): void {
  const files = queue.files.files;
  queue.minQueueOffset = queue.maxQueueOffset =
    files.length === 0 ? 0 : files[0].fileFromOffset / CQ_STORE_UNIT_SIZE;
  queue.maxPhysicalOffset = -1;
  for (let fileIndex = files.length - 1; fileIndex >= 0; fileIndex--) {
    const units = queue.readFileUnits(fileIndex);
    for (
      let position = units.length - CQ_STORE_UNIT_SIZE;
      position >= 0;
      position -= CQ_STORE_UNIT_SIZE
    ) {
      if (!isValidUnit(units, position)) continue;
      queue.maxQueueOffset = (files[fileIndex].fileFromOffset + position) / CQ_STORE_UNIT_SIZE + 1;
      queue.maxPhysicalOffset = readInt64BE(units, position) + units.readInt32BE(position + 8);
      queue.truncateTo(queue.maxQueueOffset);
      queue.flushedQueueOffset = queue.maxQueueOffset;
      return;
    }
  }
  if (files.length > 0) queue.truncateTo(queue.maxQueueOffset);
}

/** Step 2: removes trailing units whose record does not end inside the commit log. */
export function truncateConsumeQueue(
  queue: ConsumeQueue,
  commitLogEndPhysicalOffset: number,
): void {
  let newMax = queue.maxQueueOffset;
  let lastEnd = -1;
  while (newMax > queue.minQueueOffset) {
    const unit = queue.readUnits(newMax - 1, 1);
    if (unit === null) break;
    const end = readInt64BE(unit, 0) + unit.readInt32BE(8);
    if (isValidUnit(unit, 0) && end <= commitLogEndPhysicalOffset) {
      lastEnd = end;
      break;
    }
    newMax--;
  }
  if (newMax === queue.maxQueueOffset) return;
  queue.truncateTo(newMax);
  queue.maxPhysicalOffset = lastEnd;
}

/**
 * Step 3: minQueueOffset = the first unit pointing at or after `minPhysicalOffset` (Java
 * correctMinOffset, extended past the first file). Pre-blank and zero units are skipped.
 */
export function correctConsumeQueueMin(queue: ConsumeQueue, minPhysicalOffset: number): void {
  const files = queue.files.files;
  for (let fileIndex = 0; fileIndex < files.length; fileIndex++) {
    const fileFromQueueOffset = files[fileIndex].fileFromOffset / CQ_STORE_UNIT_SIZE;
    if (fileFromQueueOffset >= queue.maxQueueOffset) break;
    const units = queue.readFileUnits(fileIndex);
    for (let position = 0; position < units.length; position += CQ_STORE_UNIT_SIZE) {
      const queueOffset = fileFromQueueOffset + position / CQ_STORE_UNIT_SIZE;
      if (queueOffset >= queue.maxQueueOffset) break;
      const sizeBytes = units.readInt32BE(position + 8);
      if (!isValidUnit(units, position) || sizeBytes === PRE_BLANK_UNIT_SIZE) continue;
      if (readInt64BE(units, position) >= minPhysicalOffset) {
        queue.minQueueOffset = queueOffset;
        return;
      }
    }
  }
  queue.minQueueOffset = queue.maxQueueOffset;
}
