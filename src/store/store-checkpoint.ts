// The `checkpoint` file (Java StoreCheckpoint): one 4096-byte page.
//
//   checkpoint = PHYSICMSGTIMESTAMP:int64 LOGICSMSGTIMESTAMP:int64 INDEXMSGTIMESTAMP:int64 *zero
//
// physic = store time of the last commit-log record known flushed; logics = the same for the
// consume queues; index = for the index files. Java's crash recovery starts from the last
// commit-log segment whose first record is older than min(physic, logics) - 3 s.
//
// Our extension, in bytes Java never reads or writes (it maps the page and only puts the three
// longs above; the rest of the file keeps whatever was there):
//
//   @24 MAGIC "RMQTSCP1"  @32 copy of physic  @40 copy of logics
//   @48 PHYSICOFFSET: the commit log is on disk below this offset (a record boundary)
//   @56 LOGICSOFFSET: every consume-queue unit of a record below this offset is on disk
//
// With them, recovery starts at min(PHYSICOFFSET, LOGICSOFFSET) instead of at the start of a
// segment: after a crash it checks only the tail written since the last flush, and after a
// clean shutdown (both equal to the log end) it checks nothing. The copies tie the offsets to
// the timestamps: once a Java broker has written the page, they no longer match and the
// offsets are ignored (Java's segment rule applies).
import * as fs from 'node:fs';
import { readInt64BE, writeInt64BE } from '../codec/message/buffer-int64';

export const CHECKPOINT_FILE_BYTES = 4096;
/** Java StoreCheckpoint.getMinTimestamp subtracts this safety margin. */
const MIN_TIMESTAMP_MARGIN_MS = 3000;
const EXTENSION_MAGIC = Buffer.from('RMQTSCP1', 'latin1');
const EXTENSION_POSITION = 24;

export class StoreCheckpoint {
  physicMsgTimestampMs = 0;
  logicsMsgTimestampMs = 0;
  indexMsgTimestampMs = 0;
  /** Commit-log offset known flushed, recorded with physicMsgTimestampMs; -1 when unknown. */
  physicOffset = -1;
  /** Units of every record below this offset are flushed; recorded with logicsMsgTimestampMs. */
  logicsOffset = -1;
  private readonly page = Buffer.alloc(CHECKPOINT_FILE_BYTES);
  private fd = -1;

  constructor(readonly filePath: string) {}

  /** Reads the file if it exists (a short or missing file reads as zeros). */
  load(): void {
    if (!fs.existsSync(this.filePath)) return;
    const content = fs.readFileSync(this.filePath);
    const page = Buffer.alloc(CHECKPOINT_FILE_BYTES);
    content.copy(page, 0, 0, Math.min(content.length, CHECKPOINT_FILE_BYTES));
    this.physicMsgTimestampMs = readInt64BE(page, 0);
    this.logicsMsgTimestampMs = readInt64BE(page, 8);
    this.indexMsgTimestampMs = readInt64BE(page, 16);
    this.physicOffset = this.logicsOffset = -1;
    const ext = page.subarray(EXTENSION_POSITION, EXTENSION_POSITION + 40);
    if (
      ext.subarray(0, 8).equals(EXTENSION_MAGIC) &&
      readInt64BE(ext, 8) === this.physicMsgTimestampMs &&
      readInt64BE(ext, 16) === this.logicsMsgTimestampMs
    ) {
      this.physicOffset = readInt64BE(ext, 24);
      this.logicsOffset = readInt64BE(ext, 32);
    }
    page.copy(this.page);
  }

  /**
   * Where recovery may start checking the commit log (min of the two recorded offsets), or -1
   * when this checkpoint was not written by us (or by an older version).
   */
  recoveryOffset(): number {
    if (this.physicOffset < 0 || this.logicsOffset < 0) return -1;
    return Math.min(this.physicOffset, this.logicsOffset);
  }

  /** Java getMinTimestamp: where crash recovery may safely start. */
  minTimestampMs(): number {
    const min = Math.min(this.physicMsgTimestampMs, this.logicsMsgTimestampMs) - MIN_TIMESTAMP_MARGIN_MS;
    return Math.max(min, 0);
  }

  /** True when the values differ from what was last written. */
  get isDirty(): boolean {
    return (
      readInt64BE(this.page, 0) !== this.physicMsgTimestampMs ||
      readInt64BE(this.page, 8) !== this.logicsMsgTimestampMs ||
      readInt64BE(this.page, 16) !== this.indexMsgTimestampMs ||
      readInt64BE(this.page, 48) !== this.physicOffset ||
      readInt64BE(this.page, 56) !== this.logicsOffset
    );
  }

  /** Writes the page (into the OS page cache); with `sync`, fdatasyncs it before returning. */
  flush(sync: boolean): void {
    this.writePage();
    if (sync) fs.fdatasyncSync(this.descriptor());
  }

  /** Writes the page and fdatasyncs it without blocking the event loop. */
  flushAsync(): Promise<void> {
    this.writePage();
    const fd = this.descriptor();
    return new Promise((resolve, reject) => fs.fdatasync(fd, (error) => (error ? reject(error) : resolve())));
  }

  close(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }

  private writePage(): void {
    writeInt64BE(this.page, this.physicMsgTimestampMs, 0);
    writeInt64BE(this.page, this.logicsMsgTimestampMs, 8);
    writeInt64BE(this.page, this.indexMsgTimestampMs, 16);
    EXTENSION_MAGIC.copy(this.page, EXTENSION_POSITION);
    writeInt64BE(this.page, this.physicMsgTimestampMs, 32);
    writeInt64BE(this.page, this.logicsMsgTimestampMs, 40);
    writeInt64BE(this.page, this.physicOffset, 48);
    writeInt64BE(this.page, this.logicsOffset, 56);
    fs.writeSync(this.descriptor(), this.page, 0, CHECKPOINT_FILE_BYTES, 0);
  }

  private descriptor(): number {
    if (this.fd < 0) this.fd = fs.openSync(this.filePath, fs.existsSync(this.filePath) ? 'r+' : 'w+');
    return this.fd;
  }
}
