// One fixed-size store file (Java MappedFile, without the mapping): a commit-log segment or a
// consume-queue file, named by the 20-digit offset of its first byte in the whole log
// (UtilAll.offset2FileName). Reads and writes are positional; the descriptor opens lazily and may
// be closed by the FileHandleCache between uses.
import assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CachedHandle, FileHandleCache } from './file-handle-cache';
import type { GatherCopy } from './gather-copy';
import { FileMapping, type MappingBudget } from './mapped-view';

/** Java UtilAll.offset2FileName. */
/** Reads `length` bytes at `filePosition` of `fd` unless the file ends first; returns the bytes read. */
export function readFully(
  fd: number,
  target: Buffer,
  targetPosition: number,
  length: number,
  filePosition: number,
): number {
  let done = 0;
  while (done < length) {
    const n = fs.readSync(fd, target, targetPosition + done, length - done, filePosition + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

export function offsetToFileName(offset: number): string {
  assert.ok(Number.isSafeInteger(offset) && offset >= 0, `bad file offset ${offset}`);
  return String(offset).padStart(20, '0');
}

/** The start offset encoded in a store file name, or null if it is not a 20-digit name. */
export function fileNameToOffset(name: string): number | null {
  if (!/^\d{20}$/.test(name)) return null;
  const offset = Number(name);
  return Number.isSafeInteger(offset) ? offset : null;
}

export class StoreFile implements CachedHandle {
  private fd = -1;
  private pins = 0;
  /** close() came while an asynchronous call used the descriptor: close when it ends. */
  private closeWhenUnpinned = false;
  /** The read-only mapping for in-line reads (mapped-view.ts), released by close. */
  private readonly mapping: FileMapping;

  constructor(
    readonly filePath: string,
    /** Offset of this file's first byte in the whole log. */
    readonly fileFromOffset: number,
    readonly fileSizeBytes: number,
    private readonly handles: FileHandleCache,
    /** Bounds how many files of this kind are mapped at once (mapped-view.ts); none: no bound. */
    mappingBudget?: MappingBudget,
  ) {
    this.mapping = new FileMapping(() => this.descriptor(), fileSizeBytes, mappingBudget);
  }

  /** Creates (or opens) the file in `dirPath` and extends it to full size; sparse on Linux. */
  static create(
    dirPath: string,
    fileFromOffset: number,
    fileSizeBytes: number,
    handles: FileHandleCache,
    mappingBudget?: MappingBudget,
  ): StoreFile {
    const file = new StoreFile(
      path.join(dirPath, offsetToFileName(fileFromOffset)),
      fileFromOffset,
      fileSizeBytes,
      handles,
      mappingBudget,
    );
    const fd = file.descriptor();
    if (fs.fstatSync(fd).size < fileSizeBytes) fs.ftruncateSync(fd, fileSizeBytes);
    return file;
  }

  /** Grows the file to its full size (sparse); returns its size before, in bytes (0: it was new). */
  ensureSize(): number {
    const fd = this.descriptor();
    const sizeBytes = fs.fstatSync(fd).size;
    if (sizeBytes < this.fileSizeBytes) fs.ftruncateSync(fd, this.fileSizeBytes);
    return sizeBytes;
  }

  get fileEndOffset(): number {
    return this.fileFromOffset + this.fileSizeBytes;
  }

  /** Reads up to `length` bytes at file position `filePosition`; returns the bytes read. */
  read(target: Buffer, targetPosition: number, length: number, filePosition: number): number {
    assert.ok(filePosition >= 0 && targetPosition + length <= target.length);
    return readFully(this.descriptor(), target, targetPosition, length, filePosition);
  }

  /**
   * The file as a read-only view of the page cache (mapped-view.ts), mapped at the first use over
   * the file's size then and released by close; null without the addon. Readers copy out of it
   * (copyMapped checks the bounds) and keep no view of it.
   */
  mappedView(): Buffer | null {
    return this.mapping.view();
  }

  /** Copies from the mapping (mappedView); false when there is none or it does not hold the bytes. */
  copyMapped(target: Buffer, targetStart: number, filePosition: number, lengthBytes: number): boolean {
    return this.mapping.copyTo(target, targetStart, filePosition, lengthBytes);
  }

  /** As copyMapped, through `gather` (gather-copy.ts): the bytes are in the target once it is flushed. */
  gatherMapped(gather: GatherCopy, targetStart: number, filePosition: number, lengthBytes: number): boolean {
    return this.mapping.gatherTo(gather, targetStart, filePosition, lengthBytes);
  }

  /** As `read`, on the libuv thread pool: the event loop goes on while a cold page comes from disk. */
  readAsync(target: Buffer, targetPosition: number, length: number, filePosition: number): Promise<number> {
    assert.ok(filePosition >= 0 && targetPosition + length <= target.length);
    const fd = this.descriptor();
    this.pins++;
    return new Promise<number>((resolve, reject) => {
      const finish = (done: number): void => {
        this.unpin();
        resolve(done);
      };
      const step = (done: number): void => {
        if (done >= length) {
          finish(done);
          return;
        }
        fs.read(fd, target, targetPosition + done, length - done, filePosition + done, (error, n) => {
          if (error) {
            this.unpin();
            reject(error);
          } else if (n === 0)
            finish(done); // end of file
          else step(done + n);
        });
      };
      step(0);
    });
  }

  /** Writes `length` bytes of `source` at file position `filePosition`. */
  write(source: Buffer, sourcePosition: number, length: number, filePosition: number): void {
    assert.ok(filePosition >= 0 && filePosition + length <= this.fileSizeBytes, 'write past file end');
    const fd = this.descriptor();
    let done = 0;
    while (done < length) {
      done += fs.writeSync(fd, source, sourcePosition + done, length - done, filePosition + done);
    }
  }

  /** Writes without blocking the event loop; `source` must not be reused until it settles. */
  writeAsync(source: Buffer, sourcePosition: number, length: number, filePosition: number): Promise<void> {
    assert.ok(filePosition >= 0 && filePosition + length <= this.fileSizeBytes, 'write past file end');
    const fd = this.descriptor();
    this.pins++;
    return new Promise<void>((resolve, reject) => {
      const step = (done: number): void => {
        if (done >= length) {
          this.unpin();
          resolve();
          return;
        }
        fs.write(fd, source, sourcePosition + done, length - done, filePosition + done, (error, written) => {
          if (error) {
            this.unpin();
            reject(error);
          } else step(done + written);
        });
      };
      step(0);
    });
  }

  /** Zeroes everything from `filePosition` to the end (truncate, then extend: sparse zeros). */
  zeroFrom(filePosition: number): void {
    const fd = this.descriptor();
    fs.ftruncateSync(fd, filePosition);
    fs.ftruncateSync(fd, this.fileSizeBytes);
  }

  /** fdatasync without blocking the event loop; the descriptor stays open meanwhile. */
  flushAsync(): Promise<void> {
    const fd = this.descriptor();
    this.pins++;
    return new Promise<void>((resolve, reject) => {
      fs.fdatasync(fd, (error) => {
        this.unpin();
        if (error) reject(error);
        else resolve();
      });
    });
  }

  /** fdatasync, blocking (shutdown only). */
  flushSync(): void {
    // fdatasync through any descriptor flushes the file's dirty pages, so reopening is fine.
    fs.fdatasyncSync(this.descriptor());
  }

  /** Last modification time of the file (Java MappedFile.getLastModifiedTimestamp). */
  lastModifiedMs(): number {
    return fs.statSync(this.filePath).mtimeMs;
  }

  isPinned(): boolean {
    return this.pins > 0;
  }

  private unpin(): void {
    if (--this.pins === 0 && this.closeWhenUnpinned) {
      this.closeWhenUnpinned = false;
      this.closeHandle();
    }
  }

  /** Closes the descriptor, or (while an asynchronous call still uses it) as soon as that ends. */
  closeHandle(): void {
    if (this.pins > 0) {
      this.closeWhenUnpinned = true; // a reused descriptor number would let a late write hit another file
      return;
    }
    if (this.fd < 0) return;
    fs.closeSync(this.fd);
    this.fd = -1;
  }

  close(): void {
    this.mapping.release();
    this.handles.forget(this);
    this.closeHandle();
  }

  /** Closes and deletes the file. */
  destroy(): void {
    this.close();
    fs.rmSync(this.filePath, { force: true });
  }

  private descriptor(): number {
    this.closeWhenUnpinned = false; // in use again
    if (this.fd < 0) {
      const flags = fs.existsSync(this.filePath) ? 'r+' : 'w+';
      this.fd = fs.openSync(this.filePath, flags);
    }
    this.handles.touch(this);
    return this.fd;
  }
}
