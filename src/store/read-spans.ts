// Cold reads of a pull, off the event loop. A pull's records are runs of the commit log ([physical
// offset, size] pairs); in a log that many queues wrote in turn, one queue's records sit a few KiB
// apart. One thread-pool read per record made a cold reader pay a pool round trip (and a syscall) per
// record; runs close together are read as one span instead: one read of the span into a scratch
// buffer, then each run copied out. A span stays within one segment, is at most MAX_SPAN_BYTES long,
// and takes the next run only across a gap of at most MAX_GAP_BYTES (the kernel's readahead reads
// such gaps anyway).
// A span holds the other queues' records of that stretch too; a reader of many queues asks for them
// next. So the last spans read are kept (RecentSpans in recent-spans.ts, at most RECENT_SPAN_BYTES, each for at most
// RECENT_SPAN_MS): a span wholly inside one of them is copied from memory, not read again. With a
// SpanRing, spans are read into the ring's reused memory (no new buffer per span; see span-ring.ts)
// and a kept span counts only while the ring still holds its bytes.
import type { RecentSpans } from './recent-spans';
import type { StoreFile } from './store-file';

export const MAX_SPAN_BYTES = 1024 * 1024;
export const MAX_GAP_BYTES = 64 * 1024;

/** Runs [firstRun, endRun) read together: bytes [startOffset, endOffset) of the log. */
export interface Span {
  firstRun: number;
  endRun: number;
  startOffset: number;
  endOffset: number;
  /** Read on past its last run (readAheadEnd): never read straight into the answer. */
  readAhead?: true;
}

/**
 * A pull whose records lie at least this densely in the stretch they span (16 queues written in
 * turn: 1/16; one queue alone: 1) has its last span read on to MAX_SPAN_BYTES: the other queues'
 * pulls (and its own next one) find those bytes kept instead of each reading its own stretch. A
 * reader of one queue among many (its records further apart) reads only what it asked for.
 */
const READ_AHEAD_MIN_DENSITY = 1 / 32;

/** Where `spans`' last span should end to read ahead, or its own end when it should not. */
function readAheadEnd(source: SpanSource, runs: readonly number[], totalBytes: number, last: Span): number {
  if (source.readableEnd === undefined || source.recent === undefined) return last.endOffset;
  const stretch = runs[runs.length - 2] + runs[runs.length - 1] - runs[0];
  if (stretch <= 0 || totalBytes / stretch < READ_AHEAD_MIN_DENSITY) return last.endOffset;
  return Math.max(last.endOffset, Math.min(last.startOffset + MAX_SPAN_BYTES, source.readableEnd(last.startOffset)));
}

/** Groups `runs` (in the answer's order) into spans; a run that goes backwards starts a new span. */
export function planSpans(runs: readonly number[], segmentBytes: number): Span[] {
  const spans: Span[] = [];
  let current: Span | undefined;
  for (let run = 0; run < runs.length / 2; run++) {
    const start = runs[run * 2];
    const end = start + runs[run * 2 + 1];
    const joins =
      current !== undefined &&
      start >= current.endOffset &&
      start - current.endOffset <= MAX_GAP_BYTES &&
      end - current.startOffset <= MAX_SPAN_BYTES &&
      Math.floor(start / segmentBytes) === Math.floor(current.startOffset / segmentBytes);
    if (joins && current !== undefined) {
      current.endRun = run + 1;
      current.endOffset = end;
    } else {
      current = { firstRun: run, endRun: run + 1, startOffset: start, endOffset: end };
      spans.push(current);
    }
  }
  return spans;
}

export interface SpanSource {
  readonly fileSizeBytes: number;
  /** The segment holding [physicalOffset, physicalOffset + sizeBytes), or null when not readable. */
  fileFor(physicalOffset: number, sizeBytes: number): StoreFile | null;
  /** Spans read lately (absent: every span is read). */
  readonly recent?: RecentSpans;
  /** End of the readable bytes of the segment holding `physicalOffset` (absent: no read-ahead). */
  readableEnd?(physicalOffset: number): number;
}

/**
 * Copies the runs of `span` that a recent span holds and marks them read; returns what is left to read:
 * the span itself, nothing, or the spans of its remaining runs.
 */
function copyKeptRuns(
  source: SpanSource,
  runs: readonly number[],
  span: Span,
  target: Buffer,
  targetPositions: number[],
  readOk: boolean[],
): Span[] {
  const recent = source.recent;
  if (recent === undefined) return [span];
  const left: number[] = [];
  const leftIndexes: number[] = [];
  for (let run = span.firstRun; run < span.endRun; run++) {
    const start = runs[run * 2];
    const kept = recent.find(start, start + runs[run * 2 + 1]);
    if (kept === undefined) {
      left.push(start, runs[run * 2 + 1]);
      leftIndexes.push(run);
      continue;
    }
    kept.copy(target, targetPositions[run]);
    readOk[run] = true;
  }
  if (leftIndexes.length === span.endRun - span.firstRun) return [span];
  // the remaining runs, planned again, with their indexes in `runs`
  return planSpans(left, source.fileSizeBytes).map((part) => ({
    ...part,
    firstRun: leftIndexes[part.firstRun],
    endRun: leftIndexes[part.endRun - 1] + 1,
  }));
}

/** One call of readRunsInSpans: the runs, where each lands in `target`, and which are in. */
class RunsRead {
  readonly target: Buffer;
  readonly targetPositions: number[] = [];
  readonly readOk: boolean[];

  constructor(
    private readonly source: SpanSource,
    readonly runs: readonly number[],
    totalBytes: number,
  ) {
    this.target = Buffer.allocUnsafe(totalBytes);
    let position = 0;
    for (let run = 0; run < runs.length / 2; run++) {
      this.targetPositions.push(position);
      position += runs[run * 2 + 1];
    }
    this.readOk = new Array<boolean>(runs.length / 2).fill(false);
  }

  /** Bytes of the runs read, from the first, up to the first run not read. */
  get filledBytes(): number {
    let filledBytes = 0;
    for (let run = 0; run < this.readOk.length && this.readOk[run]; run++) filledBytes += this.runs[run * 2 + 1];
    return filledBytes;
  }

  async readOne(run: number): Promise<boolean> {
    const sizeBytes = this.runs[run * 2 + 1];
    const file = this.source.fileFor(this.runs[run * 2], sizeBytes);
    if (file === null) return false;
    const filePosition = this.runs[run * 2] - file.fileFromOffset;
    const got = await file.readAsync(this.target, this.targetPositions[run], sizeBytes, filePosition);
    this.readOk[run] = got === sizeBytes;
    return this.readOk[run];
  }

  async readSpan(span: Span): Promise<void> {
    const { source, runs } = this;
    const spanBytes = span.endOffset - span.startOffset;
    const file = source.fileFor(span.startOffset, spanBytes);
    const single = span.endRun - span.firstRun === 1 && span.readAhead !== true;
    if (file === null) {
      // part of the span is not readable: its runs one by one, up to the first that is not
      if (!single)
        for (let run = span.firstRun; run < span.endRun && (this.readOk[run] || (await this.readOne(run))); run++);
      return;
    }
    const { bytes: scratch, lease } = single
      ? { bytes: this.target, lease: undefined }
      : (source.recent?.scratch(spanBytes) ?? { bytes: Buffer.allocUnsafe(spanBytes), lease: undefined });
    const at = single ? this.targetPositions[span.firstRun] : 0;
    let got: number;
    try {
      got = await file.readAsync(scratch, at, spanBytes, span.startOffset - file.fileFromOffset);
    } finally {
      source.recent?.readDone(lease);
    }
    // (copied out below before anything else can lease these ring bytes: no await in between)
    if (!single && got === spanBytes) source.recent?.keep(span.startOffset, scratch, lease);
    for (let run = span.firstRun; run < span.endRun; run++) {
      if (this.readOk[run]) continue; // copied from a recent span already
      const from = runs[run * 2] - span.startOffset;
      const sizeBytes = runs[run * 2 + 1];
      if (from + sizeBytes > got) break;
      if (!single) scratch.copy(this.target, this.targetPositions[run], from, from + sizeBytes);
      this.readOk[run] = true;
    }
  }
}

/**
 * The runs back to back in one new buffer, read on the thread pool, up to `maxParallelReads` spans at
 * a time. Stops at the first run that cannot be read: the answer holds only the runs before it, and is
 * null when there are none. Never leaves a read running when it returns (the caller's gate slot).
 */
export async function readRunsInSpans(
  source: SpanSource,
  runs: readonly number[],
  totalBytes: number,
  maxParallelReads: number,
): Promise<Buffer | null> {
  const read = new RunsRead(source, runs, totalBytes);
  const spans = planSpans(runs, source.fileSizeBytes).flatMap((span) =>
    copyKeptRuns(source, runs, span, read.target, read.targetPositions, read.readOk),
  );
  const last = spans.at(-1);
  if (last !== undefined) {
    const end = readAheadEnd(source, runs, totalBytes, last);
    if (end > last.endOffset) spans[spans.length - 1] = { ...last, endOffset: end, readAhead: true };
  }
  let nextSpan = 0;
  let failure: unknown;
  const reader = async (): Promise<void> => {
    while (nextSpan < spans.length && failure === undefined) {
      const span = spans[nextSpan++];
      try {
        await read.readSpan(span);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(maxParallelReads, spans.length) }, reader));
  if (failure !== undefined) throw failure;
  const filledBytes = read.filledBytes;
  return filledBytes === 0 ? null : read.target.subarray(0, filledBytes);
}
