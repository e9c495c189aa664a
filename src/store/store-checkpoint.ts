// The `checkpoint` file (Java StoreCheckpoint): one 4096-byte page.
//
//   checkpoint = PHYSICMSGTIMESTAMP:int64 LOGICSMSGTIMESTAMP:int64 INDEXMSGTIMESTAMP:int64 *zero
//
// physic = store time of the last commit-log record known flushed; logics = the same for the
// consume queues; index = for the index files. Crash recovery starts from the last commit-log
// segment whose first record is older than min(physic, logics) - 3 s.
import * as fs from 'fs';
import { readInt64BE, writeInt64BE } from '../codec/message/buffer-int64';

export const CHECKPOINT_FILE_BYTES = 4096;
/** Java StoreCheckpoint.getMinTimestamp subtracts this safety margin. */
const MIN_TIMESTAMP_MARGIN_MS = 3000;

export class StoreCheckpoint {
  physicMsgTimestampMs = 0;
  logicsMsgTimestampMs = 0;
  indexMsgTimestampMs = 0;
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
    page.copy(this.page);
  }

  /** Java getMinTimestamp: where crash recovery may safely start. */
  minTimestampMs(): number {
    const min =
      Math.min(this.physicMsgTimestampMs, this.logicsMsgTimestampMs) - MIN_TIMESTAMP_MARGIN_MS;
    return Math.max(min, 0);
  }

  /** True when the values differ from what was last written. */
  get isDirty(): boolean {
    return (
      readInt64BE(this.page, 0) !== this.physicMsgTimestampMs ||
      readInt64BE(this.page, 8) !== this.logicsMsgTimestampMs ||
      readInt64BE(this.page, 16) !== this.indexMsgTimestampMs
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
    return new Promise((resolve, reject) =>
      fs.fdatasync(fd, (error) => (error ? reject(error) : resolve())),
    );
  }

  close(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }

  private writePage(): void {
    writeInt64BE(this.page, this.physicMsgTimestampMs, 0);
    writeInt64BE(this.page, this.logicsMsgTimestampMs, 8);
    writeInt64BE(this.page, this.indexMsgTimestampMs, 16);
    fs.writeSync(this.descriptor(), this.page, 0, CHECKPOINT_FILE_BYTES, 0);
  }

  private descriptor(): number {
    if (this.fd < 0)
      this.fd = fs.openSync(this.filePath, fs.existsSync(this.filePath) ? 'r+' : 'w+');
    return this.fd;
  }
}
