import { expect } from 'chai';
import { MAX_GAP_BYTES, MAX_SPAN_BYTES, planSpans, readRunsInSpans, type SpanSource } from './read-spans';
import type { StoreFile } from './store-file';

const SEGMENT = 1024 * 1024 * 1024;

/** A log of `bytes` whose reads are counted; byte i holds i & 0xff. */
function fakeLog(bytes: number): SpanSource & { reads: number[][] } {
  const content = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) content[i] = i & 0xff;
  const reads: number[][] = [];
  const file = {
    fileFromOffset: 0,
    readAsync: async (target: Buffer, targetPosition: number, length: number, filePosition: number) => {
      reads.push([filePosition, length]);
      return content.copy(target, targetPosition, filePosition, Math.min(bytes, filePosition + length));
    },
  } as unknown as StoreFile;
  return {
    reads,
    fileSizeBytes: SEGMENT,
    fileFor: (offset, size) => (offset + size <= bytes ? file : null),
  };
}

describe('read spans (cold pulls read runs close together in one read)', () => {
  it('joins runs across small gaps, splits on a long gap, a backward run, the span limit or a segment end', () => {
    expect(planSpans([0, 100, 5000, 100, 9000, 100], SEGMENT).map((s) => [s.firstRun, s.endRun])).to.deep.equal([
      [0, 3],
    ]);
    const gap = [0, 100, 100 + MAX_GAP_BYTES + 1, 100];
    expect(planSpans(gap, SEGMENT)).to.have.length(2);
    expect(planSpans([5000, 100, 0, 100], SEGMENT)).to.have.length(2);
    expect(planSpans([0, 100, MAX_SPAN_BYTES - 50, 100], SEGMENT)).to.have.length(2);
    expect(planSpans([SEGMENT - 200, 100, SEGMENT, 100], SEGMENT)).to.have.length(2);
  });

  it('reads 32 interleaved records with one read and returns exactly their bytes, in order', async () => {
    const log = fakeLog(600_000);
    const runs: number[] = [];
    for (let i = 0; i < 32; i++) runs.push(1000 + i * 5600, 350);
    const got = await readRunsInSpans(log, runs, 32 * 350, 4);
    expect(log.reads).to.have.length(1);
    expect(got!.length).to.equal(32 * 350);
    for (let i = 0; i < 32; i++) {
      const start = 1000 + i * 5600;
      expect(got![i * 350]).to.equal(start & 0xff);
      expect(got![i * 350 + 349]).to.equal((start + 349) & 0xff);
    }
  });

  it('stops at the first run it cannot read (null when none)', async () => {
    const log = fakeLog(10_000);
    const got = await readRunsInSpans(log, [0, 100, 500, 100, 20_000, 100], 300, 4);
    expect(got!.length).to.equal(200);
    expect(await readRunsInSpans(log, [20_000, 100], 100, 4)).to.equal(null);
  });
});
