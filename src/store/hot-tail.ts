// HotTail: the last bytes written to the commit log, kept in memory so that pulls of what was just
// written (caught-up consumers: every group woken by a message reads it at once) copy from memory
// instead of asking the kernel for each run. Java reads those bytes from its mapped file without a
// system call; a read(2) per pulled run was a fifth of the broker's thread under fan-out.
//
// A ring of `capacityBytes`: the byte at physical offset p sits at ring[p % capacityBytes] while
// startPhysicalOffset <= p < endPhysicalOffset. Bytes are copied in after they were written to their
// segment, in log order; an append that does not continue the tail (a segment roll skips the filler,
// a slave starts at the master's offset, recovery truncates) starts the tail again at its offset.
// The caller checks that a range is readable (inside the log's written range) before asking here.
//
// Shared (`share`, for the connection workers that read pull bodies: HotTailReader): the ring is
// then shared memory, and [start, end) is published in two shared words. The writer moves `start`
// up before it overwrites a byte and `end` only after the bytes are in; a reader copies, then checks
// that `start` did not pass its bytes meanwhile (and keeps READER_MARGIN_BYTES away from the next
// bytes to be overwritten, so that the writer would have to write that much during one copy to race it).
import assert from 'node:assert';
import type { GatherCopy } from './gather-copy';

/** Bytes kept by default: about a quarter of a second of 1 KiB sends at 60k/s. */
export const HOT_TAIL_BYTES = 16 * 1024 * 1024;
/** A reader of a shared tail leaves alone the oldest bytes, the next to be overwritten. */
const READER_MARGIN_BYTES = 1024 * 1024;
const START = 0;
const END = 1;

/**
 * Of `length` bytes (at most the ring's size) starting at `ringPosition`, those before the ring's
 * end; the rest continue at position 0.
 */
function firstRunBytes(ringBytes: number, ringPosition: number, length: number): number {
  return Math.min(length, ringBytes - ringPosition);
}

/** Copies the `length` bytes of log offset `physicalOffset` out of `ring` (byte p at p % ring size). */
function copyFromRing(ring: Buffer, target: Buffer, targetStart: number, physicalOffset: number, length: number): void {
  const ringPosition = physicalOffset % ring.length;
  const first = firstRunBytes(ring.length, ringPosition, length);
  ring.copy(target, targetStart, ringPosition, ringPosition + first);
  if (first < length) ring.copy(target, targetStart + first, 0, length - first); // wrapped
}

/** As copyFromRing, through `gather` (gather-copy.ts): the bytes are in the target once it is flushed. */
function gatherFromRing(
  ring: Buffer,
  gather: GatherCopy,
  targetStart: number,
  physicalOffset: number,
  length: number,
): void {
  const ringPosition = physicalOffset % ring.length;
  const first = firstRunBytes(ring.length, ringPosition, length);
  gather.add(ring, ringPosition, targetStart, first);
  if (first < length) gather.add(ring, 0, targetStart + first, length - first); // wrapped
}

/** What another thread needs to read a shared tail (HotTailReader). */
export interface SharedHotTail {
  ring: SharedArrayBuffer;
  /** [start, end) as two BigInt64 words */
  bounds: SharedArrayBuffer;
}

export class HotTail {
  private ring: Buffer | null = null;
  private startPhysicalOffset = 0;
  private endPhysicalOffset = 0;
  /** The published [start, end) once shared. */
  private bounds: BigInt64Array | null = null;
  hits = 0;

  constructor(readonly capacityBytes = HOT_TAIL_BYTES) {
    assert.ok(Number.isInteger(capacityBytes) && capacityBytes >= 0, 'hot tail capacity');
  }

  /** [start, end) of the bytes held. */
  get range(): [number, number] {
    return [this.startPhysicalOffset, this.endPhysicalOffset];
  }

  /** Forgets everything; the next append at `physicalOffset` continues from there. */
  reset(physicalOffset: number): void {
    this.startPhysicalOffset = this.endPhysicalOffset = physicalOffset;
    const bounds = this.bounds;
    if (bounds === null) return;
    Atomics.store(bounds, START, BigInt(Number.MAX_SAFE_INTEGER)); // nothing readable meanwhile
    Atomics.store(bounds, END, BigInt(physicalOffset));
    Atomics.store(bounds, START, BigInt(physicalOffset));
  }

  /** Moves the ring to shared memory (once) and answers what a HotTailReader needs. */
  share(): SharedHotTail {
    if (this.bounds === null) {
      const ring = new SharedArrayBuffer(this.capacityBytes);
      if (this.ring !== null) this.ring.copy(Buffer.from(ring));
      this.ring = Buffer.from(ring);
      this.bounds = new BigInt64Array(new SharedArrayBuffer(16));
      this.bounds[START] = BigInt(this.startPhysicalOffset);
      this.bounds[END] = BigInt(this.endPhysicalOffset);
    }
    return { ring: this.ring!.buffer as SharedArrayBuffer, bounds: this.bounds.buffer as SharedArrayBuffer };
  }

  /** Keeps `length` bytes of `source` (from `sourceStart`) that now sit at `physicalOffset` in the log. */
  append(physicalOffset: number, source: Buffer, sourceStart: number, length: number): void {
    if (this.capacityBytes === 0 || length <= 0) return;
    if (physicalOffset !== this.endPhysicalOffset) this.reset(physicalOffset);
    this.ring ??= Buffer.allocUnsafe(this.capacityBytes);
    let from = sourceStart;
    let at = physicalOffset;
    if (length > this.capacityBytes) {
      from += length - this.capacityBytes; // only the last capacityBytes can be kept
      at += length - this.capacityBytes;
    }
    const end = physicalOffset + length;
    this.startPhysicalOffset = Math.max(this.startPhysicalOffset, end - this.capacityBytes);
    // shared: readers learn first that the bytes about to be overwritten are gone
    if (this.bounds !== null) Atomics.store(this.bounds, START, BigInt(this.startPhysicalOffset));
    const ringPosition = at % this.capacityBytes;
    const first = firstRunBytes(this.capacityBytes, ringPosition, end - at);
    source.copy(this.ring, ringPosition, from, from + first);
    if (first < end - at) source.copy(this.ring, 0, from + first, from + (end - at)); // wrapped
    this.endPhysicalOffset = end;
    if (this.bounds !== null) Atomics.store(this.bounds, END, BigInt(end)); // and then that these are in
  }

  /** Copies [physicalOffset, physicalOffset + length) into `target` at `targetStart`; false when not all held. */
  copyTo(target: Buffer, targetStart: number, physicalOffset: number, length: number): boolean {
    if (!this.holds(physicalOffset, length)) return false;
    copyFromRing(this.ring!, target, targetStart, physicalOffset, length);
    this.hits++;
    return true;
  }

  /** As copyTo, through `gather` (gather-copy.ts): the bytes are in the target once it is flushed. */
  gatherTo(gather: GatherCopy, targetStart: number, physicalOffset: number, length: number): boolean {
    if (!this.holds(physicalOffset, length)) return false;
    gatherFromRing(this.ring!, gather, targetStart, physicalOffset, length);
    this.hits++;
    return true;
  }

  /** True when every byte of [physicalOffset, physicalOffset + length) is in the ring. */
  private holds(physicalOffset: number, length: number): boolean {
    return (
      this.ring !== null &&
      physicalOffset >= this.startPhysicalOffset &&
      physicalOffset + length <= this.endPhysicalOffset
    );
  }
}

/** Another thread's view of a shared HotTail (a connection worker reading pull bodies). */
export class HotTailReader {
  private readonly ring: Buffer;
  private readonly bounds: BigInt64Array;
  /** The bytes readers may copy now, as of `begin` (end − capacity + margin, or start if later). */
  private safeFrom = 0;
  private end = 0;
  /** The oldest byte copied since `begin`. */
  private oldestCopied = Number.POSITIVE_INFINITY;

  constructor(shared: SharedHotTail) {
    this.ring = Buffer.from(shared.ring);
    this.bounds = new BigInt64Array(shared.bounds);
  }

  /** Starts a series of copies (one answer's runs): reads the published bounds once. */
  begin(): void {
    const start = Number(Atomics.load(this.bounds, START));
    this.end = Number(Atomics.load(this.bounds, END));
    // the next appends overwrite the bytes from end − capacity on: keep away from those
    this.safeFrom = Math.max(start, this.end - this.ring.length + READER_MARGIN_BYTES);
    this.oldestCopied = Number.POSITIVE_INFINITY;
  }

  /**
   * As HotTail.gatherTo, within the bounds `begin` read: the bytes are in the target once the gather
   * is flushed, and `intact` says after that flush whether to trust them.
   */
  gatherTo(gather: GatherCopy, targetStart: number, physicalOffset: number, length: number): boolean {
    if (physicalOffset < this.safeFrom || physicalOffset + length > this.end) return false;
    if (physicalOffset < this.oldestCopied) this.oldestCopied = physicalOffset; // for `intact`
    gatherFromRing(this.ring, gather, targetStart, physicalOffset, length);
    return true;
  }

  /** False when the writer may have overwritten bytes copied since `begin` while they were copied. */
  intact(): boolean {
    return (
      this.oldestCopied === Number.POSITIVE_INFINITY || this.oldestCopied >= Number(Atomics.load(this.bounds, START))
    );
  }
}
