// One consume queue (Java ConsumeQueue): the index of one topic/queueId into the commit log.
//
//   file = *unit                       (mappedFileSizeConsumeQueue bytes, 300000 units by default)
//   unit = PHYSICALOFFSET:int64 SIZE:int32 TAGSCODE:int64
//
// The unit of queue offset q lives at byte q * 20 of the whole queue, so file names are byte
// offsets (multiples of the file size). Units in [minQueueOffset, maxQueueOffset) are visible;
// never-written space is zero.
//
// Write-behind: the dispatcher stages a record's unit and `publish`es it right after the
// commit-log bytes it points at have been written; published units are visible to readers from
// memory at once, and reach the file in one write per queue (`commit`) when the flush service
// comes by (every flushIntervalConsumeQueue ms) or MAX_UNWRITTEN_UNITS have gathered. With many
// queues that turns one small pwrite per message into one per queue per second. Units lost by a
// killed process are rebuilt from the commit log: the checkpoint's LOGICSOFFSET only moves past
// records whose units are written and flushed (flush-service.ts).
//
// Reads: `readUnits` copies written units from the file's read-only mapping when it has one
// (mapped-view.ts; at most CONSUME_QUEUE_MAPPINGS files mapped at once), else reads them by pread.
import assert from 'node:assert';
import * as path from 'node:path';
import { readInt64BE, writeInt64BE } from '../codec/message/buffer-int64';
import { COLD_READ_AHEAD_UNITS, ColdUnits } from './cold-units';
import {
  CQ_STORE_UNIT_SIZE,
  MAX_UNWRITTEN_UNITS,
  PRE_BLANK_UNIT_SIZE,
  type UnitRange,
  worthFlushing,
} from './consume-queue-unit';
import type { FileHandleCache } from './file-handle-cache';
import { MappingBudget } from './mapped-view';
import type { StoreFile } from './store-file';
import { StoreFileQueue } from './store-file-queue';

const INITIAL_STAGED_UNITS = 16;
/**
 * Consume-queue files mapped at once in this process (6 MB each at Java's default size): past it
 * their units are read by pread. Far below the kernel's default of 65,530 mappings.
 */
export const CONSUME_QUEUE_MAPPINGS = new MappingBudget(8192);

export class ConsumeQueue {
  readonly files: StoreFileQueue;
  minQueueOffset = 0;
  /** Next queue offset; units below it are readable (the last `publishedUnits` from memory). */
  maxQueueOffset = 0;
  /** End (offset + size) in the commit log of the last visible unit; -1 when none. */
  maxPhysicalOffset = -1;
  /** Units below this queue offset are known to be on disk. */
  flushedQueueOffset = 0;
  /** Units below this queue offset were on disk before this process opened the queue (cold). */
  coldBelowQueueOffset = 0;
  private staged = Buffer.allocUnsafe(INITIAL_STAGED_UNITS * CQ_STORE_UNIT_SIZE);
  /** Units in `staged`, from `writtenQueueOffset` on; the first `publishedUnits` are visible. */
  private stagedUnits = 0;
  private publishedUnits = 0;
  /** Units a cold pull read ahead (cold-units.ts). */
  private readonly coldUnits = new ColdUnits(CQ_STORE_UNIT_SIZE);

  constructor(
    consumeQueueRootDir: string,
    readonly topic: string,
    readonly queueId: number,
    readonly fileSizeBytes: number,
    handles: FileHandleCache,
  ) {
    assert.ok(fileSizeBytes % CQ_STORE_UNIT_SIZE === 0, 'consume queue file size must be a unit multiple');
    const dirPath = path.join(consumeQueueRootDir, topic, String(queueId));
    this.files = new StoreFileQueue(dirPath, fileSizeBytes, handles, CONSUME_QUEUE_MAPPINGS);
  }

  get unitsPerFile(): number {
    return this.fileSizeBytes / CQ_STORE_UNIT_SIZE;
  }

  /** Units below this queue offset are in the file; the rest of the visible ones in memory. */
  get writtenQueueOffset(): number {
    return this.maxQueueOffset - this.publishedUnits;
  }

  /** The queue offset the next staged unit gets. */
  get nextStagedQueueOffset(): number {
    return this.writtenQueueOffset + this.stagedUnits;
  }

  /**
   * Stages the unit for `queueOffset`. Offsets below the next one are duplicates (recovery
   * re-dispatch) and are ignored (returns false). A higher offset leaves a zero gap; that only
   * happens when rebuilding a queue whose older units were lost.
   */
  stageUnit(queueOffset: number, physicalOffset: number, sizeBytes: number, tagsCode: number): boolean {
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

  /** True while some units are not written to the file yet. */
  get hasStagedUnits(): boolean {
    return this.stagedUnits > 0;
  }

  /**
   * Makes the staged units visible to readers (from memory); writes them when enough wait.
   * Throws if that write fails; the units stay staged (and visible) for the next try.
   */
  publish(): void {
    if (this.stagedUnits === this.publishedUnits) return;
    const lastPosition = (this.stagedUnits - 1) * CQ_STORE_UNIT_SIZE;
    this.maxPhysicalOffset = readInt64BE(this.staged, lastPosition) + this.staged.readInt32BE(lastPosition + 8);
    this.maxQueueOffset += this.stagedUnits - this.publishedUnits;
    this.publishedUnits = this.stagedUnits;
    if (this.stagedUnits >= MAX_UNWRITTEN_UNITS) this.commit();
  }

  /** Writes the staged units (possibly into a new file) and makes them visible. */
  commit(): void {
    if (this.stagedUnits === 0) return;
    let bytePosition = this.writtenQueueOffset * CQ_STORE_UNIT_SIZE;
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
    this.maxPhysicalOffset = readInt64BE(this.staged, lastPosition) + this.staged.readInt32BE(lastPosition + 8);
    this.maxQueueOffset = this.writtenQueueOffset + this.stagedUnits;
    this.stagedUnits = this.publishedUnits = 0;
  }

  /**
   * Units from `queueOffset` to the end of the written part of the file holding it, at most
   * `maxUnits` (Java getIndexBuffer). Null when that file does not exist.
   */
  readUnits(queueOffset: number, maxUnits: number): Buffer | null {
    const range = this.unitRange(queueOffset, maxUnits);
    if (range === null) return null;
    if (range.fileBytes === 0) return range.target;
    // warm units straight from the file's mapping (mapped-view.ts): no system call per pull
    if (range.file!.copyMapped(range.target, 0, range.filePosition, range.fileBytes)) return range.target;
    const got = range.file!.read(range.target, 0, range.fileBytes, range.filePosition);
    return got === range.fileBytes ? range.target : null;
  }

  /** As `readUnits`, without blocking the event loop. */
  async readUnitsAsync(queueOffset: number, maxUnits: number): Promise<Buffer | null> {
    const range = this.unitRange(queueOffset, maxUnits);
    if (range === null) return null;
    if (range.fileBytes === 0) return range.target;
    const got = await range.file!.readAsync(range.target, 0, range.fileBytes, range.filePosition);
    return got === range.fileBytes ? range.target : null;
  }

  /**
   * What `readUnits` would return, when the units a cold read read ahead hold it all; else undefined
   * (then read them: readUnitsAhead).
   */
  keptUnits(queueOffset: number, maxUnits: number): Buffer | undefined {
    if (queueOffset < this.minQueueOffset || queueOffset >= this.maxQueueOffset) return undefined;
    return this.coldUnits.take(queueOffset, this.unitsEnd(queueOffset, maxUnits));
  }

  /** As `readUnitsAsync`, reading COLD_READ_AHEAD_UNITS (or more) at once and keeping them for keptUnits. */
  async readUnitsAhead(queueOffset: number, maxUnits: number): Promise<Buffer | null> {
    const token = this.coldUnits.readToken;
    const units = await this.readUnitsAsync(queueOffset, Math.max(maxUnits, COLD_READ_AHEAD_UNITS));
    if (units === null) return null;
    this.coldUnits.keep(token, queueOffset, units);
    return units.subarray(0, Math.min(units.length, maxUnits * CQ_STORE_UNIT_SIZE));
  }

  /** End of what readUnits returns: `maxUnits` on, but not past the visible units or the file. */
  private unitsEnd(queueOffset: number, maxUnits: number): number {
    const fileEnd = queueOffset - (queueOffset % this.unitsPerFile) + this.unitsPerFile;
    return Math.min(queueOffset + maxUnits, this.maxQueueOffset, fileEnd);
  }

  /**
   * The units to read: from `queueOffset` to the end of the visible part of its file, at most
   * `maxUnits`. Units not written yet are copied from memory now; the caller reads the rest
   * (`fileBytes` at `filePosition`) from the file into the front of `target`.
   */
  private unitRange(queueOffset: number, maxUnits: number): UnitRange | null {
    if (queueOffset < this.minQueueOffset || queueOffset >= this.maxQueueOffset) return null;
    const end = this.unitsEnd(queueOffset, maxUnits);
    const target = Buffer.allocUnsafe((end - queueOffset) * CQ_STORE_UNIT_SIZE);
    const written = this.writtenQueueOffset;
    if (end > written) {
      const from = Math.max(queueOffset, written);
      const at = (from - queueOffset) * CQ_STORE_UNIT_SIZE;
      this.staged.copy(target, at, (from - written) * CQ_STORE_UNIT_SIZE, (end - written) * CQ_STORE_UNIT_SIZE);
    }
    const fileBytes = Math.max(0, Math.min(end, written) - queueOffset) * CQ_STORE_UNIT_SIZE;
    if (fileBytes === 0) return { file: undefined, target, fileBytes, filePosition: 0 };
    const bytePosition = queueOffset * CQ_STORE_UNIT_SIZE;
    const file = this.files.findFile(bytePosition);
    if (file === undefined) return null;
    return { file, target, fileBytes, filePosition: bytePosition - file.fileFromOffset };
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
    this.coldUnits.forget();
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

  /** Java MappedFileQueue.flush(leastPages) for this queue's written units (consume-queue-unit.ts). */
  needsFlush(leastPages: number): boolean {
    const flushedByte = this.flushedQueueOffset * CQ_STORE_UNIT_SIZE;
    return worthFlushing(flushedByte, this.writtenQueueOffset * CQ_STORE_UNIT_SIZE, this.fileSizeBytes, leastPages);
  }

  /** fdatasync of the files written since the last flush. */
  async flush(): Promise<void> {
    const target = this.writtenQueueOffset;
    if (target <= this.flushedQueueOffset) return;
    await Promise.all(this.dirtyFiles(target).map((file) => file.flushAsync()));
    this.flushedQueueOffset = Math.max(this.flushedQueueOffset, target);
  }

  flushSync(): void {
    this.commit();
    const target = this.writtenQueueOffset;
    if (target <= this.flushedQueueOffset) return;
    for (const file of this.dirtyFiles(target)) file.flushSync();
    this.flushedQueueOffset = target;
  }

  private dirtyFiles(targetQueueOffset: number): StoreFile[] {
    const fromByte = this.flushedQueueOffset * CQ_STORE_UNIT_SIZE;
    const toByte = targetQueueOffset * CQ_STORE_UNIT_SIZE;
    return this.files.files.filter((file) => file.fileEndOffset > fromByte && file.fileFromOffset < toByte);
  }

  close(): void {
    this.files.closeAll();
  }

  destroy(): void {
    this.coldUnits.forget();
    this.files.destroyAll();
    this.minQueueOffset = this.maxQueueOffset = 0;
    this.stagedUnits = this.publishedUnits = 0;
  }
}
