// One consume queue (Java ConsumeQueue): the index of one topic/queueId into the commit log.
//
//   file = *unit                       (mappedFileSizeConsumeQueue bytes, 300000 units by default)
//   unit = PHYSICALOFFSET:int64 SIZE:int32 TAGSCODE:int64
//
// The unit of queue offset q lives at byte q * 20 of the whole queue, so file names are byte
// offsets (multiples of the file size). Units in [minQueueOffset, maxQueueOffset) are visible;
// never-written space is zero. Units are staged and written together (`commit`) right after the
// commit-log bytes they point at have been written.
import assert from 'assert';
import * as path from 'path';
import { readInt64BE, writeInt64BE } from '../codec/message/buffer-int64';
import { FileHandleCache } from './file-handle-cache';
import { StoreFile } from './store-file';
import { StoreFileQueue } from './store-file-queue';

/** Java ConsumeQueue.CQ_STORE_UNIT_SIZE. */
export const CQ_STORE_UNIT_SIZE = 20;
const INITIAL_STAGED_UNITS = 16;
/** SIZE of Java's filler units in front of a queue's first real unit (Integer.MAX_VALUE). */
export const PRE_BLANK_UNIT_SIZE = 0x7fffffff;

/** A unit counts when it points somewhere (Java: offset >= 0 && size > 0; pre-blank counts). */
export function isValidUnit(units: Buffer, unitPosition: number): boolean {
  return units.readInt32BE(unitPosition + 8) > 0 && units.readInt32BE(unitPosition) >= 0;
}

interface UnitRange {
  file: StoreFile;
  target: Buffer;
  filePosition: number;
}

export class ConsumeQueue {
  readonly files: StoreFileQueue;
  minQueueOffset = 0;
  /** Next queue offset; units below it are readable. */
  maxQueueOffset = 0;
  /** End (offset + size) in the commit log of the last visible unit; -1 when none. */
  maxPhysicalOffset = -1;
  /** Units below this queue offset are known to be on disk. */
  flushedQueueOffset = 0;
  /** Units below this queue offset were on disk before this process opened the queue (cold). */
  coldBelowQueueOffset = 0;
  private staged = Buffer.allocUnsafe(INITIAL_STAGED_UNITS * CQ_STORE_UNIT_SIZE);
  private stagedUnits = 0;

  constructor(
    consumeQueueRootDir: string,
    readonly topic: string,
    readonly queueId: number,
    readonly fileSizeBytes: number,
    handles: FileHandleCache,
  ) {
    assert.ok(
      fileSizeBytes % CQ_STORE_UNIT_SIZE === 0,
      'consume queue file size must be a unit multiple',
    );
    this.files = new StoreFileQueue(
      path.join(consumeQueueRootDir, topic, String(queueId)),
      fileSizeBytes,
      handles,
    );
  }

  get unitsPerFile(): number {
    return this.fileSizeBytes / CQ_STORE_UNIT_SIZE;
  }

  /** The queue offset the next staged unit gets. */
  get nextStagedQueueOffset(): number {
    return this.maxQueueOffset + this.stagedUnits;
  }

  /**
   * Stages the unit for `queueOffset`. Offsets below the next one are duplicates (recovery
   * re-dispatch) and are ignored (returns false). A higher offset leaves a zero gap; that only
   * happens when rebuilding a queue whose older units were lost.
   */
  stageUnit(
    queueOffset: number,
    physicalOffset: number,
    sizeBytes: number,
    tagsCode: number,
  ): boolean {
    if (queueOffset < this.nextStagedQueueOffset) return false;
    if (queueOffset > this.nextStagedQueueOffset) this.fillGap(queueOffset);
    this.appendStaged(physicalOffset, sizeBytes, tagsCode);
    return true;
  }

  /**
   * Fills the units before `queueOffset` with Java's pre-blank units (offset 0, size
   * Integer.MAX_VALUE, ConsumeQueue.fillPreBlank), so that Java's recovery, which stops at the
   * first zero unit, reads the queue the same way. An empty queue starts at the beginning of
   * the file that holds `queueOffset`, and its minimum becomes `queueOffset`.
   */
  private fillGap(queueOffset: number): void {
    this.commit();
    const wasEmpty = this.maxQueueOffset === this.minQueueOffset;
    if (wasEmpty) {
      const fileStart = queueOffset - (queueOffset % this.unitsPerFile);
      this.maxQueueOffset = Math.max(this.maxQueueOffset, fileStart);
    }
    while (this.nextStagedQueueOffset < queueOffset) {
      this.appendStaged(0, PRE_BLANK_UNIT_SIZE, 0);
    }
    this.commit();
    if (wasEmpty) this.minQueueOffset = queueOffset;
  }

  private appendStaged(physicalOffset: number, sizeBytes: number, tagsCode: number): void {
    const position = this.stagedUnits * CQ_STORE_UNIT_SIZE;
    if (position + CQ_STORE_UNIT_SIZE > this.staged.length) {
      const grown = Buffer.allocUnsafe(this.staged.length * 2);
      this.staged.copy(grown, 0, 0, position);
      this.staged = grown;
    }
    writeInt64BE(this.staged, physicalOffset, position);
    this.staged.writeInt32BE(sizeBytes, position + 8);
    writeInt64BE(this.staged, tagsCode, position + 12);
    this.stagedUnits++;
  }

  get hasStagedUnits(): boolean {
    return this.stagedUnits > 0;
  }

  /** Writes the staged units (possibly into a new file) and makes them visible. */
  commit(): void {
    if (this.stagedUnits === 0) return;
    let bytePosition = this.maxQueueOffset * CQ_STORE_UNIT_SIZE;
    let done = 0;
    const total = this.stagedUnits * CQ_STORE_UNIT_SIZE;
    while (done < total) {
      const file = this.files.fileForWrite(bytePosition);
      const chunk = Math.min(total - done, file.fileEndOffset - bytePosition);
      file.write(this.staged, done, chunk, bytePosition - file.fileFromOffset);
      done += chunk;
      bytePosition += chunk;
    }
    const lastPosition = total - CQ_STORE_UNIT_SIZE;
    this.maxPhysicalOffset =
      readInt64BE(this.staged, lastPosition) + this.staged.readInt32BE(lastPosition + 8);
    this.maxQueueOffset += this.stagedUnits;
    this.stagedUnits = 0;
  }

  /**
   * Units from `queueOffset` to the end of the written part of the file holding it, at most
   * `maxUnits` (Java getIndexBuffer). Null when that file does not exist.
   */
  readUnits(queueOffset: number, maxUnits: number): Buffer | null {
    const range = this.unitRange(queueOffset, maxUnits);
    if (range === null) return null;
    const got = range.file.read(range.target, 0, range.target.length, range.filePosition);
    return got === range.target.length ? range.target : null;
  }

  /** As `readUnits`, without blocking the event loop. */
  async readUnitsAsync(queueOffset: number, maxUnits: number): Promise<Buffer | null> {
    const range = this.unitRange(queueOffset, maxUnits);
    if (range === null) return null;
    const got = await range.file.readAsync(range.target, 0, range.target.length, range.filePosition);
    return got === range.target.length ? range.target : null;
  }

  private unitRange(queueOffset: number, maxUnits: number): UnitRange | null {
    if (queueOffset < this.minQueueOffset || queueOffset >= this.maxQueueOffset) return null;
    const bytePosition = queueOffset * CQ_STORE_UNIT_SIZE;
    const file = this.files.findFile(bytePosition);
    if (file === undefined) return null;
    const endPosition = Math.min(file.fileEndOffset, this.maxQueueOffset * CQ_STORE_UNIT_SIZE);
    const units = Math.min(maxUnits, (endPosition - bytePosition) / CQ_STORE_UNIT_SIZE);
    const target = Buffer.allocUnsafe(units * CQ_STORE_UNIT_SIZE);
    return { file, target, filePosition: bytePosition - file.fileFromOffset };
  }

  /** Units at `queueOffset` are probably cached: written by this process, not long ago. */
  isHot(queueOffset: number, hotWindowUnits: number): boolean {
    return queueOffset >= this.coldBelowQueueOffset && this.maxQueueOffset - queueOffset <= hotWindowUnits;
  }

  /** Queue offset of the first unit of the file after the one holding `queueOffset`. */
  rollNextFile(queueOffset: number): number {
    return queueOffset + this.unitsPerFile - (queueOffset % this.unitsPerFile);
  }

  /** Makes `queueOffset` the new end: zeroes the rest of its file and deletes later files. */
  truncateTo(queueOffset: number): void {
    assert.ok(this.stagedUnits === 0, 'truncate with staged units');
    const bytePosition = queueOffset * CQ_STORE_UNIT_SIZE;
    const file = this.files.findFile(bytePosition);
    if (file !== undefined) {
      file.zeroFrom(bytePosition - file.fileFromOffset);
      this.files.deleteFilesFrom(file.fileEndOffset);
    } else {
      this.files.deleteFilesFrom(bytePosition);
    }
    this.maxQueueOffset = Math.max(Math.min(this.maxQueueOffset, queueOffset), this.minQueueOffset);
    this.minQueueOffset = Math.min(this.minQueueOffset, this.maxQueueOffset);
    this.flushedQueueOffset = Math.min(this.flushedQueueOffset, this.maxQueueOffset);
  }

  /** Reads `count` units starting at unit `fromUnit` of file `fileIndex` (recovery). */
  readFileRange(fileIndex: number, fromUnit: number, count: number): Buffer {
    const file = this.files.files[fileIndex];
    const target = Buffer.alloc(count * CQ_STORE_UNIT_SIZE);
    file.read(target, 0, target.length, fromUnit * CQ_STORE_UNIT_SIZE);
    return target;
  }

  /** fdatasync of the files written since the last flush. */
  async flush(): Promise<void> {
    const target = this.maxQueueOffset;
    if (target <= this.flushedQueueOffset) return;
    await Promise.all(this.dirtyFiles(target).map((file) => file.flushAsync()));
    this.flushedQueueOffset = Math.max(this.flushedQueueOffset, target);
  }

  flushSync(): void {
    const target = this.maxQueueOffset;
    if (target <= this.flushedQueueOffset) return;
    for (const file of this.dirtyFiles(target)) file.flushSync();
    this.flushedQueueOffset = target;
  }

  private dirtyFiles(targetQueueOffset: number): StoreFile[] {
    const fromByte = this.flushedQueueOffset * CQ_STORE_UNIT_SIZE;
    const toByte = targetQueueOffset * CQ_STORE_UNIT_SIZE;
    return this.files.files.filter(
      (file) => file.fileEndOffset > fromByte && file.fileFromOffset < toByte,
    );
  }

  close(): void {
    this.files.closeAll();
  }

  destroy(): void {
    this.files.destroyAll();
    this.minQueueOffset = this.maxQueueOffset = 0;
    this.stagedUnits = 0;
  }
}
