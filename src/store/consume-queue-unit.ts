// A consume-queue unit (Java ConsumeQueue's 20-byte entry) and the pure rules about units:
//
//   unit = PHYSICALOFFSET:int64 SIZE:int32 TAGSCODE:int64
//
// consume-queue.ts keeps one queue's files and memory; these are the facts it and recovery share.
import type { StoreFile } from './store-file';

/** Java ConsumeQueue.CQ_STORE_UNIT_SIZE. */
export const CQ_STORE_UNIT_SIZE = 20;
/** A queue writes its staged units once this many wait (bounds memory: 5 KiB per queue). */
export const MAX_UNWRITTEN_UNITS = 256;
/** SIZE of Java's filler units in front of a queue's first real unit (Integer.MAX_VALUE). */
export const PRE_BLANK_UNIT_SIZE = 0x7fffffff;
/** Java OS_PAGE_SIZE: the unit of flushConsumeQueueLeastPages. */
export const OS_PAGE_SIZE_BYTES = 4096;

/** A unit counts when it points somewhere (Java: offset >= 0 && size > 0; pre-blank counts). */
export function isValidUnit(units: Buffer, unitPosition: number): boolean {
  return units.readInt32BE(unitPosition + 8) > 0 && units.readInt32BE(unitPosition) >= 0;
}

/**
 * Java MappedFileQueue.flush(leastPages) over a queue's bytes: worth an fdatasync when a file was
 * completed since the last flush, or when at least `leastPages` OS pages of the current file hold
 * new bytes (with 0, any new byte).
 */
export function worthFlushing(
  flushedByte: number,
  writtenByte: number,
  fileBytes: number,
  leastPages: number,
): boolean {
  if (writtenByte <= flushedByte) return false;
  if (leastPages <= 0) return true;
  if (Math.floor(flushedByte / fileBytes) !== Math.floor(writtenByte / fileBytes)) return true;
  const pages = (byte: number): number => Math.floor((byte % fileBytes) / OS_PAGE_SIZE_BYTES);
  return pages(writtenByte) - pages(flushedByte) >= leastPages;
}

/** Where a read of units comes from: the front from `file`, the rest from the queue's memory. */
export interface UnitRange {
  file: StoreFile | undefined;
  target: Buffer;
  /** Bytes at the front of `target` that come from the file (the rest came from memory). */
  fileBytes: number;
  filePosition: number;
}
