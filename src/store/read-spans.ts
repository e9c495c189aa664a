// Cold reads of a pull, off the event loop. A pull's records are runs of the commit log ([physical
// offset, size] pairs); in a log that many queues wrote in turn, one queue's records sit a few KiB
// apart. One thread-pool read per record made a cold reader pay a pool round trip (and a syscall) per
// record; runs close together are read as one span instead: one read of the span into a scratch
// buffer, then each run copied out. A span stays within one segment, is at most MAX_SPAN_BYTES long,
// and takes the next run only across a gap of at most MAX_GAP_BYTES (the kernel's readahead reads
// such gaps anyway).
import type { StoreFile } from './store-file';

export const MAX_SPAN_BYTES = 1024 * 1024;
export const MAX_GAP_BYTES = 64 * 1024;

/** Runs [firstRun, endRun) read together: bytes [startOffset, endOffset) of the log. */
export interface Span {
  firstRun: number;
  endRun: number;
  startOffset: number;
  endOffset: number;
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
  const target = Buffer.allocUnsafe(totalBytes);
  const runCount = runs.length / 2;
  const targetPositions: number[] = [];
  let position = 0;
  for (let run = 0; run < runCount; run++) {
    targetPositions.push(position);
    position += runs[run * 2 + 1];
  }
  const readOk: boolean[] = new Array<boolean>(runCount).fill(false);
  const spans = planSpans(runs, source.fileSizeBytes);
  let nextSpan = 0;
  let failure: unknown;
  const readOne = async (run: number): Promise<boolean> => {
    const sizeBytes = runs[run * 2 + 1];
    const file = source.fileFor(runs[run * 2], sizeBytes);
    if (file === null) return false;
    const got = await file.readAsync(target, targetPositions[run], sizeBytes, runs[run * 2] - file.fileFromOffset);
    readOk[run] = got === sizeBytes;
    return readOk[run];
  };
  const readSpan = async (span: Span): Promise<void> => {
    const spanBytes = span.endOffset - span.startOffset;
    const file = source.fileFor(span.startOffset, spanBytes);
    const single = span.endRun - span.firstRun === 1;
    if (file === null) {
      // part of the span is not readable: its runs one by one, up to the first that is not
      if (!single) for (let run = span.firstRun; run < span.endRun && (await readOne(run)); run++);
      return;
    }
    const scratch = single ? target : Buffer.allocUnsafe(spanBytes);
    const at = single ? targetPositions[span.firstRun] : 0;
    const got = await file.readAsync(scratch, at, spanBytes, span.startOffset - file.fileFromOffset);
    for (let run = span.firstRun; run < span.endRun; run++) {
      const from = runs[run * 2] - span.startOffset;
      const sizeBytes = runs[run * 2 + 1];
      if (from + sizeBytes > got) break;
      if (!single) scratch.copy(target, targetPositions[run], from, from + sizeBytes);
      readOk[run] = true;
    }
  };
  const reader = async (): Promise<void> => {
    while (nextSpan < spans.length && failure === undefined) {
      const span = spans[nextSpan++];
      try {
        await readSpan(span);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(maxParallelReads, spans.length) }, reader));
  if (failure !== undefined) throw failure;
  let filledBytes = 0;
  for (let run = 0; run < runCount && readOk[run]; run++) filledBytes += runs[run * 2 + 1];
  return filledBytes === 0 ? null : target.subarray(0, filledBytes);
}
