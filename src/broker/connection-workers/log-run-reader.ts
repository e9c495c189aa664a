// A connection worker's reads of the commit log: the bodies of the pull answers the main thread
// made by reference (WRITE_LOG events, log-write-format.ts), so that reading and copying a pull's
// records leaves the thread that answers the sends.
//
// - The main thread refers only to bytes below its written end, and a segment's written bytes never
//   change on a master, so reading them through another descriptor is safe; the written end each
//   event carries bounds the blocks read here (a block cut short by it is not kept).
// - The newest bytes come from the main thread's hot tail, in shared memory (HotTailReader).
// - Warm bytes are copied from this thread's own read-only mapping of the segment (mapped-view.ts;
//   a master's written bytes never change, and a segment keeps its full size while it exists), or,
//   without the addon, read as on the main thread, in aligned blocks that serve every queue's
//   records of a stretch (LogBlocks, in a span ring of this thread's own).
// - Segments are opened (and mapped) read-only on first use; a descriptor unused for IDLE_CLOSE_MS is
//   closed and its mapping released, so a segment the retention cleaner deleted does not keep its
//   disk space for long.
// - A run that cannot be read (a segment deleted meanwhile, a short file) fails the whole answer:
//   the frame's length is already fixed, so its connection is closed and the consumer pulls again.
import fs from 'node:fs';
import path from 'node:path';
import type { LogBodyRef } from '../../codec/remoting-command';
import { GatherCopy } from '../../store/gather-copy';
import type { HotTailReader } from '../../store/hot-tail';
import { type BlockSource, LogBlocks } from '../../store/log-blocks';
import { FileMapping } from '../../store/mapped-view';
import { RECENT_SPAN_BYTES } from '../../store/recent-spans';
import { SpanRing } from '../../store/span-ring';
import { offsetToFileName, readFully } from '../../store/store-file';

/** Descriptors kept open at most; the least recently used is closed to open another. */
const MAX_OPEN_SEGMENTS = 8;
const IDLE_CLOSE_MS = 10_000;

class SegmentHandle implements BlockSource {
  lastUsedMs = Date.now();
  /** This thread's read-only mapping of the segment (mapped-view.ts). */
  readonly mapping: FileMapping;

  constructor(
    readonly fd: number,
    readonly fileFromOffset: number,
    readonly fileEndOffset: number,
  ) {
    this.mapping = new FileMapping(() => fd, fileEndOffset - fileFromOffset);
  }

  read(target: Buffer, targetPosition: number, length: number, filePosition: number): number {
    return readFully(this.fd, target, targetPosition, length, filePosition);
  }

  close(): void {
    this.mapping.release();
    fs.closeSync(this.fd);
  }
}

export class LogRunReader {
  private readonly segments = new Map<number, SegmentHandle>();
  private readonly blocks = new LogBlocks(new SpanRing(RECENT_SPAN_BYTES));
  /** An answer's runs from the hot tail and the mappings, copied in one native call per source. */
  private readonly gather = new GatherCopy();
  /** The highest written end the main thread reported: blocks never read past it. */
  private writtenPhysicalOffset = 0;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly dirPath: string,
    private readonly segmentBytes: number,
    /** the main thread's newest bytes, copied without a system call when they hold a run */
    private readonly tail?: HotTailReader,
  ) {
    this.sweeper = setInterval(() => this.closeIdle(Date.now()), IDLE_CLOSE_MS);
    this.sweeper.unref();
  }

  /** Reads the runs of `ref` back to back into `target`; false when any of their bytes could not be read. */
  read(ref: LogBodyRef, target: Buffer): boolean {
    if (target.length < ref.totalBytes) return false;
    if (ref.writtenPhysicalOffset > this.writtenPhysicalOffset) this.writtenPhysicalOffset = ref.writtenPhysicalOffset;
    const tail = this.tail;
    tail?.begin();
    if (!this.readRuns(ref, target, tail)) return false;
    // the tail's writer passed bytes while they were copied (it would have to write a MiB meanwhile)
    return tail === undefined || tail.intact() || this.readRuns(ref, target, undefined);
  }

  private readRuns(ref: LogBodyRef, target: Buffer, tail: HotTailReader | undefined): boolean {
    const { runs } = ref;
    const gather = this.gather;
    let into = 0;
    let readBlocks: boolean | undefined;
    gather.begin(target);
    try {
      for (let i = 0; i < runs.length; i += 2) {
        const physicalOffset = runs[i];
        const sizeBytes = runs[i + 1];
        if (tail?.gatherTo(gather, into, physicalOffset, sizeBytes) === true) {
          into += sizeBytes;
          continue;
        }
        const segment = this.segment(physicalOffset, sizeBytes, gather);
        if (segment === null) return false;
        if (segment.mapping.gatherTo(gather, into, physicalOffset - segment.fileFromOffset, sizeBytes)) {
          into += sizeBytes;
          continue;
        }
        const copied = this.blocks.copyTo(
          segment,
          this.writtenPhysicalOffset,
          target,
          into,
          physicalOffset,
          sizeBytes,
          (readBlocks ??= this.blocks.worthwhile()),
        );
        if (!copied && segment.read(target, into, sizeBytes, physicalOffset - segment.fileFromOffset) !== sizeBytes)
          return false;
        into += sizeBytes;
      }
      gather.flush(); // the gathered runs land in the target here (a native error is caught below)
    } catch {
      return false; // EIO and the like: the answer is not sent
    } finally {
      gather.discard(); // after a run that could not be read: nothing more is copied into the target
    }
    return into === ref.totalBytes;
  }

  /** Segments open now (tests). */
  get openSegments(): number {
    return this.segments.size;
  }

  close(): void {
    clearInterval(this.sweeper);
    for (const segment of this.segments.values()) segment.close();
    this.segments.clear();
  }

  /** Closes the descriptors unused since `nowMs - IDLE_CLOSE_MS` (exported for tests via the interval). */
  closeIdle(nowMs: number): void {
    for (const [key, segment] of this.segments) {
      if (nowMs - segment.lastUsedMs < IDLE_CLOSE_MS) continue;
      this.segments.delete(key);
      segment.close();
    }
  }

  /** The segment holding the run, opened if need be (after `gather` copied from any mapping it may close). */
  private segment(physicalOffset: number, sizeBytes: number, gather: GatherCopy): SegmentHandle | null {
    const fileFromOffset = physicalOffset - (physicalOffset % this.segmentBytes);
    if (physicalOffset + sizeBytes > fileFromOffset + this.segmentBytes) return null; // a run never crosses segments
    const kept = this.segments.get(fileFromOffset);
    if (kept !== undefined) {
      kept.lastUsedMs = Date.now();
      return kept;
    }
    if (this.segments.size >= MAX_OPEN_SEGMENTS) {
      gather.flush();
      this.closeLeastUsed();
    }
    let fd: number;
    try {
      fd = fs.openSync(path.join(this.dirPath, offsetToFileName(fileFromOffset)), 'r');
    } catch {
      return null;
    }
    const segment = new SegmentHandle(fd, fileFromOffset, fileFromOffset + this.segmentBytes);
    this.segments.set(fileFromOffset, segment);
    return segment;
  }

  private closeLeastUsed(): void {
    let oldest: SegmentHandle | undefined;
    for (const segment of this.segments.values())
      if (oldest === undefined || segment.lastUsedMs < oldest.lastUsedMs) oldest = segment;
    if (oldest === undefined) return;
    this.segments.delete(oldest.fileFromOffset);
    oldest.close();
  }
}
