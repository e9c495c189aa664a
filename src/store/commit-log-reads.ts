// The read side of the commit log (CommitLog extends it with the appends): the segment files, how
// far they are written and flushed, and the reads of written bytes: from the newest bytes kept in
// memory (`hotTail`) when it has them, else from the file: in line from its mapping (mapped-view.ts)
// or, without one, by pread; cold pulls on the thread pool.
import {
  MAGICCODE_POSITION,
  MESSAGE_MAGIC_CODE,
  MIN_RECORD_SIZE_BYTES,
  SYSFLAG_POSITION,
  recordLayout,
} from '../codec/message/message-record-layout';
import { readInt64BE } from '../codec/message/buffer-int64';
import { checkMessageRecord } from '../codec/message/message-record-check';
import type { FileHandleCache } from './file-handle-cache';
import { GatherCopy } from './gather-copy';
import { HotTail } from './hot-tail';
import type { BodyRing } from '../common/body-ring';
import { LogBlocks } from './log-blocks';
import { mappedReadsAvailable } from './mapped-view';
import { readRunsInSpans, type SpanSource } from './read-spans';
import { RECENT_SPAN_BYTES, RecentSpans } from './recent-spans';
import { SpanRing } from './span-ring';
import type { StoreFile } from './store-file';
import { StoreFileQueue } from './store-file-queue';

export class CommitLogReads {
  readonly files: StoreFileQueue;
  /** End of the bytes handed to the OS: readers may look below this offset. */
  writtenPhysicalOffset = 0;
  /** End of the bytes known to be on disk (fdatasync done). */
  flushedPhysicalOffset = 0;
  /** Bytes below this offset were on disk before this process opened the log (cold). */
  coldBelowPhysicalOffset = 0;
  /** Cold spans read lately: the pulls of the other queues of the same stretch copy from them. */
  private readonly spanRing = new SpanRing(RECENT_SPAN_BYTES);
  readonly recentSpans = new RecentSpans(Date.now, this.spanRing);
  /** Warm bytes (past the hot tail, probably in the page cache) read in blocks (log-blocks.ts). */
  readonly logBlocks = new LogBlocks(this.spanRing);
  /** The newest written bytes (hot-tail.ts): caught-up pulls copy from it. */
  readonly hotTail = new HotTail();
  /** readRuns' copies out of the hot tail and the mappings, one native call per source (gather-copy.ts). */
  private readonly gather = new GatherCopy();
  /** In-line reads past the hot tail copy from the segments' mappings (mapped-view.ts; tests turn it off). */
  mappedReads = mappedReadsAvailable();

  constructor(
    dirPath: string,
    readonly fileSizeBytes: number,
    handles: FileHandleCache,
  ) {
    this.files = new StoreFileQueue(dirPath, fileSizeBytes, handles);
  }

  get minPhysicalOffset(): number {
    return this.files.first()?.fileFromOffset ?? 0;
  }

  /**
   * The written bytes [physicalOffset, physicalOffset + sizeBytes) of one segment, or null when
   * any part is outside the readable range or the range crosses segments.
   */
  read(physicalOffset: number, sizeBytes: number): Buffer | null {
    const file = this.readableFile(physicalOffset, sizeBytes);
    if (file === null) return null;
    const target = Buffer.allocUnsafe(sizeBytes);
    if (this.hotTail.copyTo(target, 0, physicalOffset, sizeBytes)) return target;
    if (this.copyFromMapping(file, target, 0, physicalOffset, sizeBytes)) return target;
    const got = file.read(target, 0, sizeBytes, physicalOffset - file.fileFromOffset);
    return got === sizeBytes ? target : null;
  }

  /**
   * Several runs of written bytes, back to back in one new buffer (runs are [physicalOffset,
   * sizeBytes] pairs, each within one segment). Reading stops at the first run that cannot be
   * read: the answer then holds only the runs before it, and is null when there are none. Each run
   * comes from the hot tail, else from a block of warm bytes (log-blocks.ts), else from the file.
   * With `bodyRing`, the buffer is ring memory when the ring has room (valid until the next turn
   * unless a socket write retains it: common/body-ring.ts).
   */
  readRuns(runs: readonly number[], totalBytes: number, bodyRing?: BodyRing): Buffer | null {
    const target = bodyRing?.take(totalBytes) ?? Buffer.allocUnsafe(totalBytes);
    let readBlocks: boolean | undefined; // asked once a run is past the hot tail
    let filledBytes = 0;
    const gather = this.gather;
    gather.begin(target);
    try {
      for (let i = 0; i < runs.length; i += 2) {
        const sizeBytes = runs[i + 1];
        const file = this.readableFile(runs[i], sizeBytes);
        if (file === null) break;
        if (
          !this.hotTail.gatherTo(gather, filledBytes, runs[i], sizeBytes) &&
          !(this.mappedReads && file.gatherMapped(gather, filledBytes, runs[i] - file.fileFromOffset, sizeBytes)) &&
          !this.logBlocks.copyTo(
            file,
            this.writtenPhysicalOffset,
            target,
            filledBytes,
            runs[i],
            sizeBytes,
            (readBlocks ??= this.logBlocks.worthwhile()),
          ) &&
          file.read(target, filledBytes, sizeBytes, runs[i] - file.fileFromOffset) !== sizeBytes
        ) {
          break;
        }
        filledBytes += sizeBytes;
      }
    } finally {
      gather.end(); // the gathered runs land in the target here
    }
    return filledBytes === 0 ? null : target.subarray(0, filledBytes);
  }

  /** Copies written bytes from the segment's mapping (mapped-view.ts); false when there is none or it is short. */
  private copyFromMapping(
    file: StoreFile,
    target: Buffer,
    targetStart: number,
    physicalOffset: number,
    sizeBytes: number,
  ): boolean {
    return this.mappedReads && file.copyMapped(target, targetStart, physicalOffset - file.fileFromOffset, sizeBytes);
  }

  /**
   * As `readRuns`, on the thread pool: runs close together are read as one span (read-spans.ts), up to
   * `maxParallelReads` spans at a time, so a cold pull of records far apart (many queues written in
   * turn) costs a few thread-pool round trips, not one per record (cli/thread-pool-size.ts sizes the pool).
   */
  readRunsAsync(runs: readonly number[], totalBytes: number, maxParallelReads = 4): Promise<Buffer | null> {
    return readRunsInSpans(this.spanSource, runs, totalBytes, maxParallelReads);
  }

  private spanSourceOnce: SpanSource | undefined;

  /** What cold span reads read from: built once, not per cold read. */
  private get spanSource(): SpanSource {
    return (this.spanSourceOnce ??= {
      fileSizeBytes: this.fileSizeBytes,
      fileFor: (physicalOffset, sizeBytes) => this.readableFile(physicalOffset, sizeBytes),
      recent: this.recentSpans,
      readableEnd: (physicalOffset) => {
        const file = this.readableFile(physicalOffset, 1);
        return file === null ? physicalOffset : Math.min(file.fileEndOffset, this.writtenPhysicalOffset);
      },
    });
  }

  /**
   * True when the bytes at `physicalOffset` are probably in the OS page cache: written by this
   * process (not loaded from an earlier run) and within the last `hotWindowBytes` of the log.
   */
  isHot(physicalOffset: number, hotWindowBytes: number): boolean {
    return (
      physicalOffset >= this.coldBelowPhysicalOffset && this.writtenPhysicalOffset - physicalOffset <= hotWindowBytes
    );
  }

  /** Validates and returns the record at an untrusted offset; null for anything else. */
  lookRecord(physicalOffset: number): Buffer | null {
    if (!Number.isSafeInteger(physicalOffset)) return null;
    const head = this.read(physicalOffset, 8);
    if (head === null || head.readInt32BE(MAGICCODE_POSITION) !== MESSAGE_MAGIC_CODE) return null;
    const sizeBytes = head.readInt32BE(0);
    if (sizeBytes < MIN_RECORD_SIZE_BYTES) return null;
    const record = this.read(physicalOffset, sizeBytes);
    if (record === null) return null;
    const check = checkMessageRecord(record, 0, {
      expectedPhysicalOffset: physicalOffset,
      checkCrc: false,
    });
    return check.status === 'ok' ? record : null;
  }

  /** STORETIMESTAMP of the record at `physicalOffset` (Java pickupStoreTimestamp); -1 if unreadable. */
  pickupStoreTimestamp(physicalOffset: number, sizeBytes: number): number {
    const headBytes = Math.min(sizeBytes, 128);
    if (headBytes < MIN_RECORD_SIZE_BYTES) return -1;
    const head = this.read(physicalOffset, headBytes);
    if (head === null || head.readInt32BE(MAGICCODE_POSITION) !== MESSAGE_MAGIC_CODE) return -1;
    const layout = recordLayout(head.readInt32BE(SYSFLAG_POSITION));
    return readInt64BE(head, layout.storeTimestampPosition);
  }

  protected readableFile(physicalOffset: number, sizeBytes: number): StoreFile | null {
    if (!Number.isSafeInteger(physicalOffset) || sizeBytes <= 0) return null;
    if (physicalOffset < this.minPhysicalOffset || physicalOffset + sizeBytes > this.writtenPhysicalOffset) {
      return null;
    }
    const file = this.files.findFile(physicalOffset);
    if (file === undefined || physicalOffset + sizeBytes > file.fileEndOffset) return null;
    return file;
  }
}
