// Recovery of one consume queue at load (Java ConsumeQueue.recover, correctMinOffset and
// truncateDirtyLogicFiles), done in three steps:
//
//   1. recoverConsumeQueueEnd: the last valid unit, scanning back from the end of the last file
//      (zero space and invalid units after it are cleared);
//   2. truncateConsumeQueue: drop units that point at or past the recovered commit-log end;
//   3. correctConsumeQueueMin: the first unit that still points into the commit log.
import { readInt64BE } from '../codec/message/buffer-int64';
import type { ConsumeQueue } from './consume-queue';
import { CQ_STORE_UNIT_SIZE, PRE_BLANK_UNIT_SIZE, isValidUnit } from './consume-queue-unit';

/** Units read per chunk while scanning a file (80 KiB). */
const SCAN_CHUNK_UNITS = 4096;

function isZeroUnit(unit: Buffer): boolean {
  for (let i = 0; i < CQ_STORE_UNIT_SIZE; i++) if (unit[i] !== 0) return false;
  return true;
}

/**
 * Index (within the file) of the last valid unit, or -1. Units are written front to back, so
 * the written part is found by binary search for the first zero unit (about 19 reads for a full
 * file); from there the scan goes back over any invalid units.
 */
function lastValidUnitInFile(queue: ConsumeQueue, fileIndex: number): number {
  let low = 0;
  let high = queue.unitsPerFile;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const unit = queue.readFileRange(fileIndex, middle, 1);
    if (isZeroUnit(unit)) high = middle;
    else low = middle + 1;
  }
  for (let chunkEnd = low; chunkEnd > 0; chunkEnd -= SCAN_CHUNK_UNITS) {
    const chunkStart = Math.max(0, chunkEnd - SCAN_CHUNK_UNITS);
    const units = queue.readFileRange(fileIndex, chunkStart, chunkEnd - chunkStart);
    for (let index = chunkEnd - chunkStart - 1; index >= 0; index--) {
      if (isValidUnit(units, index * CQ_STORE_UNIT_SIZE)) return chunkStart + index;
    }
  }
  return -1;
}

/** Step 1: sets maxQueueOffset / maxPhysicalOffset from the files and clears what follows. */
export function recoverConsumeQueueEnd(queue: ConsumeQueue): void {
  const files = queue.files.files;
  queue.minQueueOffset = queue.maxQueueOffset = files.length === 0 ? 0 : files[0].fileFromOffset / CQ_STORE_UNIT_SIZE;
  queue.maxPhysicalOffset = -1;
  for (let fileIndex = files.length - 1; fileIndex >= 0; fileIndex--) {
    const lastIndex = lastValidUnitInFile(queue, fileIndex);
    if (lastIndex < 0) continue;
    const unit = queue.readFileRange(fileIndex, lastIndex, 1);
    queue.maxQueueOffset = files[fileIndex].fileFromOffset / CQ_STORE_UNIT_SIZE + lastIndex + 1;
    queue.maxPhysicalOffset = readInt64BE(unit, 0) + unit.readInt32BE(8);
    queue.truncateTo(queue.maxQueueOffset);
    queue.flushedQueueOffset = queue.maxQueueOffset;
    return;
  }
  if (files.length > 0) queue.truncateTo(queue.maxQueueOffset);
}

/** Step 2: removes trailing units whose record does not end inside the commit log. */
export function truncateConsumeQueue(queue: ConsumeQueue, commitLogEndPhysicalOffset: number): void {
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
    const unitsInFile = Math.min(queue.unitsPerFile, queue.maxQueueOffset - fileFromQueueOffset);
    for (let chunkStart = 0; chunkStart < unitsInFile; chunkStart += SCAN_CHUNK_UNITS) {
      const count = Math.min(SCAN_CHUNK_UNITS, unitsInFile - chunkStart);
      const units = queue.readFileRange(fileIndex, chunkStart, count);
      for (let index = 0; index < count; index++) {
        const position = index * CQ_STORE_UNIT_SIZE;
        const sizeBytes = units.readInt32BE(position + 8);
        if (!isValidUnit(units, position) || sizeBytes === PRE_BLANK_UNIT_SIZE) continue;
        if (readInt64BE(units, position) < minPhysicalOffset) continue;
        queue.minQueueOffset = fileFromQueueOffset + chunkStart + index;
        return;
      }
    }
  }
  queue.minQueueOffset = queue.maxQueueOffset;
}
