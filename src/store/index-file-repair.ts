// Index files after a crash. Java deletes every index file newer than the checkpoint's
// indexMsgTimestamp, which throws away the whole active file (up to 20 million keys) on every
// crash; we repair it instead, in time proportional to what was written since the last flush.
//
// An index file's entries and header are written with every build (so they reach the page
// cache), its slot table only at each flush. After a process kill the file holds every entry,
// but slots miss the newest ones; after a machine crash its tail may also be zeros or torn.
//
//   repairIndexFile:   1. find the first entry that may postdate the last index flush (binary
//                         search on entry time, 3 s margin as in Java's checkpoint);
//                      2. check the entries from there: KEYHASH >= 0, PHYOFFSET not decreasing,
//                         TIMEDIFF >= 0, PREVINDEX before the entry; the first bad one ends the
//                         file, and slots pointing at or past it are emptied (those buckets lose
//                         their older entries: only after a machine crash);
//                      3. point each good entry's slot at it unless it points at a newer one.
//   truncateIndexFile: once the commit log's end is known, entries for records at or past it
//                      are removed, newest first, each unlinked from its slot.
import { readInt64BE } from '../codec/message/buffer-int64';
import { INDEX_ENTRY_SIZE, type IndexFile } from './index-file';
import { ProgressLog, storeProgressSink } from '../common/progress-log';
import path from 'node:path';

/** Java StoreCheckpoint's margin: entries this much older than the flush time are re-checked. */
const FLUSH_MARGIN_MS = 3000;
const CHUNK_ENTRIES = 4096;

interface Entry {
  keyHash: number;
  phyOffset: number;
  timeDiffS: number;
  prevIndex: number;
}

function entryAt(bytes: Buffer, position: number): Entry {
  return {
    keyHash: bytes.readInt32BE(position),
    phyOffset: readInt64BE(bytes, position + 4),
    timeDiffS: bytes.readInt32BE(position + 12),
    prevIndex: bytes.readInt32BE(position + 16),
  };
}

function readEntry(file: IndexFile, index: number): Entry {
  return entryAt(file.readEntries(index, 1), 0);
}

function entryTimeMs(file: IndexFile, entry: Entry): number {
  return file.header.beginTimestampMs + entry.timeDiffS * 1000;
}

/** First entry number in [1, count) whose `test` holds (entries sorted so it flips once). */
function firstEntryWhere(file: IndexFile, count: number, test: (entry: Entry) => boolean): number {
  let low = 1;
  let high = count;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (test(readEntry(file, middle))) high = middle;
    else low = middle + 1;
  }
  return low;
}

/**
 * Fixes the slots (and cuts a torn tail) of a file that may not have been flushed. Records from
 * `recheckFromPhysicalOffset` on are indexed again by recovery if their entries are gone.
 */
export function repairIndexFile(file: IndexFile, flushedUntilMs: number, recheckFromPhysicalOffset: number): void {
  const count = Math.min(Math.max(file.header.indexCount, 1), file.indexNum);
  const fromMs = flushedUntilMs - FLUSH_MARGIN_MS;
  const first = firstEntryWhere(file, count, (entry) => entryTimeMs(file, entry) >= fromMs);
  let lastPhyOffset = first > 1 ? readEntry(file, first - 1).phyOffset : 0;
  let valid = first;
  const progress = new ProgressLog(
    `checking index file ${path.basename(file.file.filePath)}`,
    Math.max(0, count - first),
    'entries',
    storeProgressSink.print,
    storeProgressSink,
  );
  scan: for (let chunkStart = first; chunkStart < count; chunkStart += CHUNK_ENTRIES) {
    const chunkCount = Math.min(CHUNK_ENTRIES, count - chunkStart);
    const bytes = file.readEntries(chunkStart, chunkCount);
    for (let i = 0; i < chunkCount; i++) {
      const index = chunkStart + i;
      const entry = entryAt(bytes, i * INDEX_ENTRY_SIZE);
      const ok =
        entry.keyHash >= 0 &&
        entry.phyOffset >= lastPhyOffset &&
        entry.timeDiffS >= 0 &&
        entry.prevIndex >= 0 &&
        entry.prevIndex < index;
      if (!ok) break scan;
      file.raiseSlot(entry.keyHash % file.hashSlotNum, index);
      lastPhyOffset = entry.phyOffset;
      valid = index + 1;
      progress.tick(valid - first);
    }
  }
  progress.finish(`${valid - first} entries valid`);
  if (valid < file.header.indexCount) {
    // Torn: the last record's keys may be incomplete. If recovery looks at it again, all of them
    // go (it is indexed anew); before that point, keys were flushed with the checkpoint, whole.
    // Slots that point into the lost part are emptied.
    const redo = valid > 1 && lastPhyOffset >= recheckFromPhysicalOffset;
    const cut = redo ? firstEntryWhere(file, valid, (entry) => entry.phyOffset >= lastPhyOffset) : valid;
    removeEntries(file, cut, valid);
    file.clearSlotsFrom(cut);
  }
  file.flushSlots();
}

/** Unlinks entries [from, to) from their slots, newest first, and makes `from` the new end. */
function removeEntries(file: IndexFile, from: number, to: number): void {
  for (let chunkEnd = to; chunkEnd > from; chunkEnd -= CHUNK_ENTRIES) {
    const chunkStart = Math.max(from, chunkEnd - CHUNK_ENTRIES);
    const bytes = file.readEntries(chunkStart, chunkEnd - chunkStart);
    for (let index = chunkEnd - 1; index >= chunkStart; index--) {
      const entry = entryAt(bytes, (index - chunkStart) * INDEX_ENTRY_SIZE);
      file.replaceSlot(entry.keyHash % file.hashSlotNum, index, entry.prevIndex);
    }
  }
  if (from > 1) {
    const last = readEntry(file, from - 1);
    file.setEnd(from, last.phyOffset, entryTimeMs(file, last) + 999);
  } else {
    file.setEnd(1, file.header.beginPhyOffset, file.header.beginTimestampMs);
  }
}

/**
 * Removes the entries of records at or past `endPhysicalOffset`. Returns true when the file is
 * left without entries.
 */
export function truncateIndexFile(file: IndexFile, endPhysicalOffset: number): boolean {
  const count = file.header.indexCount;
  if (count <= 1) return true;
  if (file.header.endPhyOffset < endPhysicalOffset) return false;
  const cut = firstEntryWhere(file, count, (entry) => entry.phyOffset >= endPhysicalOffset);
  removeEntries(file, cut, count);
  file.flushSlots();
  return cut <= 1;
}
