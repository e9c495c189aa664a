// The commit log (Java CommitLog + MappedFileQueue): every record of every topic, appended to
// fixed-size segment files named by their start offset. This file is the appends; the segment
// files and the reads are commit-log-reads.ts (CommitLogReads, which this class extends).
//
//   segment = *record [blank]
//   blank   = TOTALSIZE:int32 (bytes left in the segment) MAGICCODE:int32 (0xCBD43194)
//
// A record (or a whole batch) that does not fit with 8 bytes to spare goes to the next segment
// after a blank; batches never span segments. Appends are staged in one buffer and written with
// a single positional write, so bytes become visible to readers (and `writtenPhysicalOffset`
// advances) only after they are in the OS page cache. The last bytes written are also kept in
// memory (`hotTail`), so pulls of them need no read from the file.
//
// The put service's write (`commitStagedAsync`) runs on the thread pool, off the event loop: the
// staged bytes move to the in-flight buffer and staging continues in the other one. At most one
// write is in flight. A write the event loop must do now (`commitStaged`: staging full, a segment
// roll, shutdown) first writes the in-flight bytes again itself ("absorbs" them: the same bytes at
// the same place, so the thread pool's write changes nothing) and then the staged ones, keeping the
// written offset and the hot tail in log order.
import assert from 'node:assert';
import { BLANK_MAGIC_CODE, END_FILE_MIN_BLANK_LENGTH } from '../codec/message/message-record-layout';
import { CommitLogReads } from './commit-log-reads';
import type { FileHandleCache } from './file-handle-cache';
import type { StoreFile } from './store-file';

/** A new segment could not be created; nothing staged was lost. */
export class SegmentCreateError extends Error {
  constructor(cause: Error) {
    super(`cannot create commit log segment: ${cause.message}`);
    this.name = 'SegmentCreateError';
  }
}

/** Staged bytes handed to the thread pool (commitStagedAsync). */
interface InFlightWrite {
  physicalOffset: number;
  sizeBytes: number;
  buffer: Buffer;
  /** written again by commitStaged: the written offset and the hot tail already cover it */
  absorbed: boolean;
  /** its callback ran (settleInFlight): the thread pool's answer is ignored */
  settled: boolean;
  done: (error: Error | null) => void;
}

/** Room for one maximal record plus a run of small ones between two writes. */
const STAGING_SLACK_BYTES = 1024 * 1024;

export class CommitLog extends CommitLogReads {
  private staging: Buffer;
  private stagedBytes = 0;
  /** The other staging buffer, while no write is in flight (allocated at the first async write). */
  private spare: Buffer | null = null;
  private inFlight: InFlightWrite | null = null;

  constructor(dirPath: string, fileSizeBytes: number, maxRecordBytes: number, handles: FileHandleCache) {
    super(dirPath, fileSizeBytes, handles);
    this.staging = Buffer.allocUnsafe(Math.min(maxRecordBytes, fileSizeBytes) + STAGING_SLACK_BYTES);
  }

  /** Where the next record goes (written + in flight + staged). */
  get appendPhysicalOffset(): number {
    return this.stagedFromPhysicalOffset + this.stagedBytes;
  }

  /** Where the staged bytes go: after the written ones and any still in flight. */
  private get stagedFromPhysicalOffset(): number {
    const inFlight = this.inFlight;
    return this.writtenPhysicalOffset + (inFlight !== null && !inFlight.absorbed ? inFlight.sizeBytes : 0);
  }

  get writeInFlight(): boolean {
    return this.inFlight !== null;
  }

  /** The buffer a reserved record is written into, at `stagingPosition`. */
  get stagingBuffer(): Buffer {
    return this.staging;
  }

  get stagingPosition(): number {
    return this.stagedBytes;
  }

  /**
   * Makes room for `sizeBytes` contiguous bytes in one segment, writing the blank filler and
   * moving to the next segment when they (plus the 8 filler bytes) do not fit. Returns the
   * physical offset the bytes will have. Throws if a segment cannot be created or written; the
   * caller then reports CREATE_MAPEDFILE_FAILED / UNKNOWN_ERROR and calls `discardStaged`.
   */
  reserve(sizeBytes: number): number {
    assert.ok(sizeBytes + END_FILE_MIN_BLANK_LENGTH <= this.fileSizeBytes, 'record larger than a segment');
    assert.ok(sizeBytes <= this.staging.length, 'record larger than the staging buffer');
    let appendAt = this.appendPhysicalOffset;
    const file = this.createIfMissing(appendAt);
    const remaining = file.fileEndOffset - appendAt;
    if (sizeBytes + END_FILE_MIN_BLANK_LENGTH > remaining) {
      this.createIfMissing(file.fileEndOffset); // the next segment exists before we commit to it
      if (this.stagedBytes + END_FILE_MIN_BLANK_LENGTH > this.staging.length) this.commitStaged();
      this.staging.writeInt32BE(remaining, this.stagedBytes);
      this.staging.writeInt32BE(BLANK_MAGIC_CODE, this.stagedBytes + 4);
      this.stagedBytes += END_FILE_MIN_BLANK_LENGTH;
      this.commitStaged();
      this.writtenPhysicalOffset = file.fileEndOffset;
      appendAt = this.writtenPhysicalOffset;
    } else if (this.stagedBytes + sizeBytes > this.staging.length) {
      this.commitStaged();
    }
    return appendAt;
  }

  private createIfMissing(physicalOffset: number): StoreFile {
    try {
      return this.files.fileForWrite(physicalOffset);
    } catch (error) {
      throw new SegmentCreateError(error as Error);
    }
  }

  /** Accepts `sizeBytes` bytes the caller wrote at `stagingPosition` after `reserve`. */
  advance(sizeBytes: number): void {
    assert.ok(this.stagedBytes + sizeBytes <= this.staging.length);
    this.stagedBytes += sizeBytes;
  }

  /**
   * Writes the staged bytes to their segment now, after absorbing a write still in flight. Throws
   * on an I/O error (nothing is advanced).
   */
  commitStaged(): void {
    const inFlight = this.inFlight;
    if (inFlight !== null && !inFlight.absorbed) this.absorb(inFlight);
    if (this.stagedBytes === 0) return;
    this.writeRegion(this.staging, this.writtenPhysicalOffset, this.stagedBytes);
    this.stagedBytes = 0;
  }

  private writeRegion(buffer: Buffer, physicalOffset: number, sizeBytes: number): void {
    assert.ok(physicalOffset === this.writtenPhysicalOffset, 'log regions written out of order');
    const file = this.segmentFor(physicalOffset, sizeBytes);
    file.write(buffer, 0, sizeBytes, physicalOffset - file.fileFromOffset);
    this.hotTail.append(physicalOffset, buffer, 0, sizeBytes);
    this.writtenPhysicalOffset += sizeBytes;
  }

  private segmentFor(physicalOffset: number, sizeBytes: number): StoreFile {
    const file = this.files.findFile(physicalOffset);
    assert.ok(file !== undefined, 'staged bytes without a segment');
    assert.ok(physicalOffset + sizeBytes <= file.fileEndOffset, 'staged bytes cross a segment');
    return file;
  }

  /**
   * Hands the staged bytes to the thread pool; `done` runs once they are written and visible (or
   * failed: nothing advanced, the caller discards what was staged after them). With nothing staged
   * `done` runs at once. Only one write may be in flight (`writeInFlight`).
   */
  commitStagedAsync(done: (error: Error | null) => void): void {
    assert.ok(this.inFlight === null, 'a commit-log write is already in flight');
    if (this.stagedBytes === 0) {
      done(null);
      return;
    }
    const physicalOffset = this.writtenPhysicalOffset;
    const sizeBytes = this.stagedBytes;
    const file = this.segmentFor(physicalOffset, sizeBytes);
    const write: InFlightWrite = {
      physicalOffset,
      sizeBytes,
      buffer: this.staging,
      absorbed: false,
      settled: false,
      done,
    };
    this.inFlight = write;
    this.staging = this.spare ?? Buffer.allocUnsafe(this.staging.length);
    this.spare = null;
    this.stagedBytes = 0;
    const written = (error: Error | null): void => {
      if (this.spare === null) this.spare = write.buffer; // the thread pool is done with it
      this.settle(write, error);
    };
    file.writeAsync(write.buffer, 0, sizeBytes, physicalOffset - file.fileFromOffset).then(
      () => written(null),
      (error: Error) => written(error),
    );
  }

  /** Shutdown: the write in flight is absorbed and its callback run now. */
  settleInFlight(): void {
    const inFlight = this.inFlight;
    if (inFlight === null) return;
    if (!inFlight.absorbed) this.absorb(inFlight);
    this.settle(inFlight, null);
  }

  private absorb(inFlight: InFlightWrite): void {
    this.writeRegion(inFlight.buffer, inFlight.physicalOffset, inFlight.sizeBytes);
    inFlight.absorbed = true;
  }

  private settle(write: InFlightWrite, error: Error | null): void {
    if (write.settled) return;
    write.settled = true;
    if (this.inFlight === write) this.inFlight = null;
    const failed = error !== null && !write.absorbed;
    if (!write.absorbed && !failed) {
      this.hotTail.append(write.physicalOffset, write.buffer, 0, write.sizeBytes);
      assert.ok(write.physicalOffset === this.writtenPhysicalOffset, 'log regions written out of order');
      this.writtenPhysicalOffset += write.sizeBytes;
    }
    write.done(failed ? error : null);
  }

  /**
   * A slave's append (Java CommitLog.appendData): raw bytes from the master, written at
   * `physicalOffset`, which must be the end of the log, or, for an empty log, the start of a
   * segment (the log then starts there; with no bytes only the segment is created, as Java's
   * getLastMappedFile does). The bytes may end inside a record; they may not cross a segment end.
   * False (nothing written) when the offset or length does not fit. Throws on an I/O error.
   */
  appendData(physicalOffset: number, data: Buffer): boolean {
    assert.ok(this.stagedBytes === 0, 'a slave commit log has no staged appends');
    if (this.files.isEmpty) {
      if (physicalOffset % this.fileSizeBytes !== 0) return false;
      this.writtenPhysicalOffset = this.flushedPhysicalOffset = physicalOffset;
    } else if (physicalOffset !== this.writtenPhysicalOffset) {
      return false;
    }
    const file = this.createIfMissing(physicalOffset);
    if (physicalOffset + data.length > file.fileEndOffset) return false;
    if (data.length > 0) file.write(data, 0, data.length, physicalOffset - file.fileFromOffset);
    this.hotTail.append(physicalOffset, data, 0, data.length);
    this.writtenPhysicalOffset = physicalOffset + data.length;
    return true;
  }

  /** Drops staged bytes after a failed write. */
  discardStaged(): void {
    this.stagedBytes = 0;
  }

  /** Start of the segment after the one holding `physicalOffset` (Java rollNextFile). */
  rollNextFile(physicalOffset: number): number {
    return physicalOffset + this.fileSizeBytes - (physicalOffset % this.fileSizeBytes);
  }

  /** fdatasync of the segments holding bytes written since the last flush; returns the new mark. */
  async flush(): Promise<number> {
    const target = this.writtenPhysicalOffset;
    if (target <= this.flushedPhysicalOffset) return this.flushedPhysicalOffset;
    const dirty: StoreFile[] = [];
    for (const file of this.files.files) {
      if (file.fileEndOffset > this.flushedPhysicalOffset && file.fileFromOffset < target) dirty.push(file);
    }
    await Promise.all(dirty.map((file) => file.flushAsync()));
    this.flushedPhysicalOffset = Math.max(this.flushedPhysicalOffset, target);
    return this.flushedPhysicalOffset;
  }

  /** Blocking flush for shutdown. */
  flushSync(): void {
    for (const file of this.files.files) {
      if (file.fileEndOffset > this.flushedPhysicalOffset) file.flushSync();
    }
    this.flushedPhysicalOffset = this.writtenPhysicalOffset;
  }
}
