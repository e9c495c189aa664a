// The spans a cold read read lately (read-spans.ts), kept for the pulls of the other queues that
// read the same stretch: a span wholly inside a kept one is copied from memory, not read again. At
// most RECENT_SPAN_BYTES are kept, each for at most RECENT_SPAN_MS; with a SpanRing a kept span
// counts only while the ring still holds its bytes.
import type { SpanLease, SpanRing } from './span-ring';

export const RECENT_SPAN_BYTES = 32 * 1024 * 1024;
export const RECENT_SPAN_MS = 2000;

interface KeptSpan {
  readonly startOffset: number;
  readonly bytes: Buffer;
  readonly atMs: number;
  readonly lease: SpanLease | undefined;
}

/** Index of the first span in `byStart` (ascending startOffset) that starts after `offset`. */
function firstStartingAfter(byStart: readonly KeptSpan[], offset: number): number {
  let low = 0;
  let high = byStart.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (byStart[middle].startOffset <= offset) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The spans read last, for the pulls of the other queues that read the same stretch. A cold pull
 * looks up each of its runs, and a log many queues wrote in turn gives one run per record, while
 * 32 MiB of spans is a few hundred: so they are also kept by start offset, and a lookup searches
 * only those that start within the longest span's length before the run.
 */
export class RecentSpans {
  /** Newest first: the order they go in (by RECENT_SPAN_BYTES and RECENT_SPAN_MS). */
  private spans: KeptSpan[] = [];
  /** The same spans by ascending startOffset, for find. */
  private byStart: KeptSpan[] = [];
  private heldBytes = 0;
  private longestBytes = 0;
  hits = 0;

  constructor(
    private readonly clock: () => number = Date.now,
    /** Scratch memory for span reads (absent: a new buffer per span). */
    private readonly ring?: SpanRing,
  ) {}

  /** Bytes to read a span of `lengthBytes` into: from the ring when it has them free, else new. */
  scratch(lengthBytes: number): { bytes: Buffer; lease: SpanLease | undefined } {
    const lease = this.ring?.lease(lengthBytes);
    return { bytes: lease?.bytes ?? Buffer.allocUnsafe(lengthBytes), lease };
  }

  /** The read into `scratch` is over (whether or not it succeeded). */
  readDone(lease: SpanLease | undefined): void {
    if (lease !== undefined) this.ring?.release(lease);
  }

  /** The bytes [startOffset, endOffset) of the log when a kept span holds all of them. */
  find(startOffset: number, endOffset: number): Buffer | undefined {
    const oldestMs = this.clock() - RECENT_SPAN_MS;
    for (let i = firstStartingAfter(this.byStart, startOffset) - 1; i >= 0; i--) {
      const span = this.byStart[i];
      if (startOffset - span.startOffset >= this.longestBytes) break; // none further back reaches it
      if (span.atMs < oldestMs) continue;
      if (span.lease !== undefined && !this.ring!.holds(span.lease)) continue; // the ring came round
      if (endOffset - span.startOffset <= span.bytes.length) {
        this.hits++;
        const from = startOffset - span.startOffset;
        return span.bytes.subarray(from, from + endOffset - startOffset);
      }
    }
    return undefined;
  }

  keep(startOffset: number, bytes: Buffer, lease?: SpanLease): void {
    if (bytes.length > RECENT_SPAN_BYTES) return;
    const span = { startOffset, bytes, atMs: this.clock(), lease };
    this.spans.unshift(span);
    this.byStart.splice(firstStartingAfter(this.byStart, startOffset), 0, span);
    this.heldBytes += bytes.length;
    this.longestBytes = Math.max(this.longestBytes, bytes.length);
    const oldestMs = this.clock() - RECENT_SPAN_MS;
    while (this.spans.length > 0) {
      const last = this.spans[this.spans.length - 1];
      if (this.heldBytes <= RECENT_SPAN_BYTES && last.atMs >= oldestMs) break;
      this.spans.pop();
      this.dropFromIndex(last);
    }
  }

  /** Forgets every span from `physicalOffset` on (the log was truncated there). */
  forgetFrom(physicalOffset: number): void {
    const below = (span: KeptSpan): boolean => span.startOffset + span.bytes.length <= physicalOffset;
    this.spans = this.spans.filter(below);
    this.byStart = this.byStart.filter(below);
    this.heldBytes = this.spans.reduce((sum, span) => sum + span.bytes.length, 0);
    this.longestBytes = this.spans.reduce((longest, span) => Math.max(longest, span.bytes.length), 0);
  }

  private dropFromIndex(span: KeptSpan): void {
    this.heldBytes -= span.bytes.length;
    // spans with the same start sit together: search back from the first that starts after it
    for (let i = firstStartingAfter(this.byStart, span.startOffset) - 1; i >= 0; i--) {
      if (this.byStart[i] !== span) continue;
      this.byStart.splice(i, 1);
      break;
    }
    if (span.bytes.length === this.longestBytes) {
      this.longestBytes = this.spans.reduce((longest, kept) => Math.max(longest, kept.bytes.length), 0);
    }
  }
}
