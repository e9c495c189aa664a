// Warm reads of the commit log: bytes past the hot tail (hot-tail.ts) but probably still in the
// page cache, such as a consumer group catching up on a backlog this process wrote.
//
// Java reads its mapped log without a system call; one read(2) per pulled record cost us more than
// half of a hot pull (1.9 µs of 3.2 µs a 1 KiB message on the bench machine). In a log that many
// queues wrote in turn, one queue's records sit a few KiB apart, and a group reading every queue
// asks, within a few milliseconds, for all the records of the same stretch. So the log is read
// here in aligned blocks of BLOCK_BYTES, kept in the span ring's reused memory (span-ring.ts), and
// each record is copied out of its block: one system call serves every queue's records of a block.
//
//   block key   the block's first physical offset: fileFromOffset + k * BLOCK_BYTES within a segment
//   kept        while the ring still holds its bytes (ring order: the oldest block goes first)
//   not kept    a block cut short by the log's written end (later bytes are still to come)
//
// A reader that shares its blocks with nobody (one queue of many behind) would read every block
// for a few records; `LogBlocks` reads blocks only while the blocks it read lately cost less than
// reading the records they served one by one would have (`worthwhile`, READ_CALL_COST_BYTES), and
// otherwise copies only from blocks it still holds and leaves the rest to the caller's reads,
// reading a block again now and then to notice when the readers come back.
import type { SpanRing, SpanLease } from './span-ring';
import type { StoreFile } from './store-file';

/** What blocks are read from: a segment (a StoreFile, or a connection worker's read-only handle). */
export type BlockSource = Pick<StoreFile, 'fileFromOffset' | 'fileEndOffset' | 'read'>;

export const BLOCK_BYTES = 256 * 1024;
/** Blocks read whose use is judged together; a judged window's ratio decides the next one. */
const JUDGED_BLOCKS = 64;
/**
 * What one read(2) of a record costs beyond its bytes, in bytes read: on the bench machine a 1 KiB
 * read costs about as much as a 4 KiB share of a block read (2.5 µs against 0.6 ns a byte).
 * Blocks pay while the bytes they read are at most the bytes copied out of them plus this much
 * per record copied: with 1 KiB records that is when about a third of their records are used.
 */
const READ_CALL_COST_BYTES = 2048;
/** While blocks do not pay, one pull in this many still reads by blocks (to notice a change). */
const PROBE_EVERY_PULLS = 32;

interface Block {
  readonly lease: SpanLease;
  readonly startOffset: number;
}

export class LogBlocks {
  private readonly blocks = new Map<number, Block>();
  private readBytes = 0;
  private usedBytes = 0;
  private usedRecords = 0;
  private judgedBlocks = 0;
  private paying = true;
  private pullsSinceProbe = 0;
  /** Counters for tests and the curious. */
  blockReads = 0;
  copies = 0;

  constructor(private readonly ring: SpanRing) {}

  /** Whether the next pull should read by blocks (else record by record). */
  worthwhile(): boolean {
    if (this.paying) return true;
    if (++this.pullsSinceProbe < PROBE_EVERY_PULLS) return false;
    this.pullsSinceProbe = 0;
    return true;
  }

  /**
   * Copies the log bytes [physicalOffset, physicalOffset + sizeBytes), all in `file` and below
   * `writtenPhysicalOffset`, into `target` at `targetStart` from blocks, reading a missing block only
   * when `readMissing`. False when not copied (a block missing or read short): the caller reads the
   * bytes itself.
   */
  copyTo(
    file: BlockSource,
    writtenPhysicalOffset: number,
    target: Buffer,
    targetStart: number,
    physicalOffset: number,
    sizeBytes: number,
    readMissing: boolean,
  ): boolean {
    let at = physicalOffset;
    let into = targetStart;
    const end = physicalOffset + sizeBytes;
    while (at < end) {
      const blockStart = file.fileFromOffset + Math.floor((at - file.fileFromOffset) / BLOCK_BYTES) * BLOCK_BYTES;
      const bytes = this.block(file, blockStart, writtenPhysicalOffset, readMissing);
      if (bytes === null) return false;
      const from = at - blockStart;
      const length = Math.min(end - at, bytes.length - from);
      if (length <= 0) return false;
      bytes.copy(target, into, from, from + length);
      this.usedBytes += length;
      at += length;
      into += length;
    }
    this.copies++;
    this.usedRecords++;
    return true;
  }

  /** Forgets every block from `physicalOffset` on (the log was truncated there). */
  forgetFrom(physicalOffset: number): void {
    for (const [key, block] of this.blocks) {
      if (block.startOffset + block.lease.bytes.length > physicalOffset) this.blocks.delete(key);
    }
  }

  private block(
    file: BlockSource,
    blockStart: number,
    writtenPhysicalOffset: number,
    readMissing: boolean,
  ): Buffer | null {
    const kept = this.blocks.get(blockStart);
    if (kept !== undefined) {
      if (this.ring.holds(kept.lease)) return kept.lease.bytes;
      this.blocks.delete(blockStart);
    }
    if (!readMissing) return null;
    const fullBytes = Math.min(BLOCK_BYTES, file.fileEndOffset - blockStart);
    const lengthBytes = Math.min(fullBytes, writtenPhysicalOffset - blockStart);
    if (lengthBytes <= 0) return null;
    const lease = this.ring.lease(lengthBytes);
    const bytes = lease?.bytes ?? Buffer.allocUnsafe(lengthBytes);
    let got: number;
    try {
      got = file.read(bytes, 0, lengthBytes, blockStart - file.fileFromOffset);
    } finally {
      if (lease !== undefined) this.ring.release(lease);
    }
    this.noteRead(lengthBytes);
    if (got !== lengthBytes) return got > 0 ? bytes.subarray(0, got) : null;
    if (lease !== undefined && lengthBytes === fullBytes) {
      if (this.blocks.size >= 2 * (this.ring.sizeBytes / BLOCK_BYTES)) this.dropStale();
      this.blocks.set(blockStart, { lease, startOffset: blockStart });
    }
    return bytes;
  }

  private noteRead(lengthBytes: number): void {
    this.blockReads++;
    this.readBytes += lengthBytes;
    if (++this.judgedBlocks < JUDGED_BLOCKS) return;
    this.paying = this.readBytes <= this.usedBytes + READ_CALL_COST_BYTES * this.usedRecords;
    this.judgedBlocks = 0;
    this.readBytes = 0;
    this.usedBytes = 0;
    this.usedRecords = 0;
  }

  private dropStale(): void {
    for (const [key, block] of this.blocks) if (!this.ring.holds(block.lease)) this.blocks.delete(key);
  }
}
