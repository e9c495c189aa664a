import { expect } from 'chai';
import { MAX_GAP_BYTES, MAX_SPAN_BYTES, planSpans, readRunsInSpans, type SpanSource } from './read-spans';
import { RecentSpans } from './recent-spans';
import { SpanRing } from './span-ring';
import type { StoreFile } from './store-file';

const SEGMENT = 1024 * 1024 * 1024;

/** A log of `bytes` whose reads are counted; byte i holds i & 0xff. */
function fakeLog(bytes: number, recent?: RecentSpans, readAhead = false): SpanSource & { reads: number[][] } {
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
    recent,
    readableEnd: readAhead ? (offset) => Math.max(offset, bytes) : undefined,
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

  it('a reader of 16 interleaved queues reads each stretch about once (the other queues copy from recent spans)', async () => {
    const log = fakeLog(2_000_000, new RecentSpans());
    const record = 350;
    const queues = 16;
    const runsOf = (queue: number, first: number) => {
      const runs: number[] = [];
      for (let i = first; i < first + 32; i++) runs.push((i * queues + queue) * record, record);
      return runs;
    };
    for (let queue = 0; queue < queues; queue++) {
      const got = await readRunsInSpans(log, runsOf(queue, 0), 32 * record, 4);
      const start = queue * record;
      expect(got![0]).to.equal(start & 0xff);
      expect(got![31 * record + 1]).to.equal(((31 * queues + queue) * record + 1) & 0xff);
    }
    const bytesRead = log.reads.reduce((sum, [, length]) => sum + length, 0);
    expect(bytesRead, 'bytes read for 16 × 32 records of 350 B').to.be.lessThan(2 * 32 * queues * record);
  });

  it('with a ring: the same bytes, spans read into the ring, and a kept span the ring overwrote is read again', async () => {
    const ring = new SpanRing(4 * 64 * 1024);
    const log = fakeLog(2_000_000, new RecentSpans(Date.now, ring));
    // 32 records of `size` bytes, 1500 bytes apart (the other queues' records between them)
    const runsAt = (first: number, size = 350) => {
      const runs: number[] = [];
      for (let i = 0; i < 32; i++) runs.push(first + i * 1500, size);
      return runs;
    };
    const check = (got: Buffer | null, first: number, size = 350) => {
      for (let i = 0; i < 32; i++) {
        expect(got![i * size]).to.equal((first + i * 1500) & 0xff);
        expect(got![i * size + size - 1]).to.equal((first + i * 1500 + size - 1) & 0xff);
      }
    };
    // four 47 KB spans at once (their reads overlap in time): none shares ring bytes with another
    const firsts = [0, 100_000, 200_000, 300_000];
    const all = await Promise.all(firsts.map((first) => readRunsInSpans(log, runsAt(first), 32 * 350, 4)));
    all.forEach((got, i) => check(got, firsts[i]));
    expect(log.reads).to.have.length(4);
    expect(ring.refused, 'all four fit the ring').to.equal(0);
    check(await readRunsInSpans(log, runsAt(100, 250), 32 * 250, 4), 100, 250); // copied from the kept span
    expect(log.reads).to.have.length(4);
    for (const first of [400_000, 500_000]) await readRunsInSpans(log, runsAt(first), 32 * 350, 4);
    check(await readRunsInSpans(log, runsAt(100, 250), 32 * 250, 4), 100, 250); // the ring came round: read again
    expect(log.reads).to.have.length(7);
  });

  it("reads on past a dense pull's last run, so the next pulls of the stretch read nothing; a sparse pull reads only its runs", async () => {
    const log = fakeLog(4_000_000, new RecentSpans(), true);
    /** 32 records of 350 B of one queue among 16 (one in 16 records), from record `first` on. */
    const queueRuns = (queue: number, first: number) =>
      Array.from({ length: 32 }, (_, i) => [(first + i) * 16 * 350 + queue * 350, 350]).flat();
    const check = (got: Buffer | null, runs: number[]) => {
      expect(got!.length).to.equal((runs.length / 2) * 350);
      for (let i = 0; i < runs.length; i += 2) expect(got![(i / 2) * 350]).to.equal(runs[i] & 0xff);
    };
    let runs = queueRuns(0, 0);
    check(await readRunsInSpans(log, runs, 32 * 350, 4), runs);
    expect(log.reads).to.deep.equal([[0, MAX_SPAN_BYTES]]); // its own stretch (179 KB) and on to 1 MiB
    for (let queue = 1; queue < 16; queue++) {
      runs = queueRuns(queue, 32); // the next 32 records of every queue: inside what was read ahead
      check(await readRunsInSpans(log, runs, 32 * 350, 4), runs);
    }
    expect(log.reads).to.have.length(1);
    // one queue among 1,024: its records 350 KiB apart, each read alone, nothing ahead
    const sparse = Array.from({ length: 4 }, (_, i) => [2_000_000 + i * 1024 * 350, 350]).flat();
    check(await readRunsInSpans(log, sparse, 4 * 350, 4), sparse);
    expect(log.reads.slice(1).map(([, length]) => length)).to.deep.equal([350, 350, 350, 350]);
  });
});
