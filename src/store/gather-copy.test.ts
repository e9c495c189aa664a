import { expect } from 'chai';
import fc from 'fast-check';
import { GatherCopy } from './gather-copy';
import { mappedReadsAvailable, nativeGather } from './mapped-view';

/** Runs as [sourcePosition, lengthBytes] laid back to back in the target, copied one by one. */
function copiedOneByOne(source: Buffer, runs: [number, number][]): Buffer {
  const target = Buffer.alloc(runs.reduce((sum, [, length]) => sum + length, 0));
  let at = 0;
  for (const [from, length] of runs) at += source.copy(target, at, from, from + length);
  return target;
}

function gathered(sources: Buffer[], runs: [number, number, number][], targetBytes: number): Buffer {
  const target = Buffer.alloc(targetBytes);
  const gather = new GatherCopy();
  gather.begin(target);
  let at = 0;
  for (const [which, from, length] of runs) {
    gather.add(sources[which], from, at, length);
    at += length;
  }
  gather.end();
  return target;
}

describe('gather copy (native/mapped-file.c gather)', () => {
  const source = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7 + 3) & 0xff));

  it('is there wherever the addon is', () => {
    expect(nativeGather() !== null).to.equal(mappedReadsAvailable());
  });

  it('copies any runs of any sources as Buffer.copy would, across source changes and full lists', () => {
    const other = Buffer.from(source).reverse();
    const run = fc.tuple(
      fc.integer({ min: 0, max: 1 }),
      fc.integer({ min: 0, max: 4095 }),
      fc.integer({ min: 0, max: 300 }),
    );
    fc.assert(
      fc.property(fc.array(run, { maxLength: 150 }), (raw) => {
        const runs = raw.map(([which, from, length]): [number, number, number] => [
          which,
          from,
          Math.min(length, 4096 - from),
        ]);
        const total = runs.reduce((sum, [, , length]) => sum + length, 0);
        const expected = Buffer.concat(
          runs.map(([which, from, length]) => copiedOneByOne([source, other][which], [[from, length]])),
        );
        expect(gathered([source, other], runs, total)).to.deep.equal(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('discards the runs not flushed yet: the target keeps its bytes and the next begin is clean', () => {
    const gather = new GatherCopy();
    const target = Buffer.alloc(64, 0xee);
    gather.begin(target);
    gather.add(source, 100, 0, 32);
    gather.discard();
    // without the addon every run is copied at once: there is nothing to discard
    if (nativeGather() !== null) expect(target.equals(Buffer.alloc(64, 0xee))).to.equal(true);
    const next = Buffer.alloc(16);
    gather.begin(next);
    gather.add(source, 8, 0, 16);
    gather.end();
    expect(next.equals(source.subarray(8, 24))).to.equal(true);
  });

  it('reads a source in shared memory (the hot tail shared with connection workers)', () => {
    const shared = Buffer.from(new SharedArrayBuffer(4096));
    source.copy(shared);
    expect(
      gathered(
        [shared],
        [
          [0, 100, 50],
          [0, 4000, 96],
        ],
        146,
      ),
    ).to.deep.equal(
      copiedOneByOne(source, [
        [100, 50],
        [4000, 96],
      ]),
    );
  });

  const gather = nativeGather();
  const runsOf = (...numbers: number[]) => Float64Array.from(numbers);
  // [what, source bytes, target bytes, runs]: each must throw and copy nothing
  const refused: [string, number, number, Float64Array][] = [
    ['a run past the source end', 100, 100, runsOf(0, 0, 10, 95, 10, 10)],
    ['a run past the target end', 100, 100, runsOf(0, 95, 10)],
    ['a negative position', 100, 100, runsOf(-1, 0, 10)],
    ['a fractional length', 100, 100, runsOf(0, 0, 1.5)],
    ['a NaN position', 100, 100, runsOf(Number.NaN, 0, 1)],
    ['an infinite length', 100, 100, runsOf(0, 0, Number.POSITIVE_INFINITY)],
  ];
  for (const [what, sourceBytes, targetBytes, runs] of refused) {
    it(`refuses ${what} with a RangeError before copying anything`, () => {
      if (gather === null) return expect(mappedReadsAvailable()).to.equal(false); // Buffer.copy: nothing to refuse
      const target = Buffer.alloc(targetBytes);
      expect(() => gather!(Buffer.alloc(sourceBytes, 1), target, runs, runs.length / 3)).to.throw(RangeError);
      expect(target.every((byte) => byte === 0)).to.equal(true);
    });
  }

  it('refuses arguments of the wrong kind, and more runs than the array holds, with a TypeError', () => {
    if (gather === null) return expect(mappedReadsAvailable()).to.equal(false);
    const bytes = Buffer.alloc(10);
    const call = gather as unknown as (...args: unknown[]) => void;
    expect(() => call([1, 2], bytes, runsOf(0, 0, 1), 1)).to.throw(TypeError);
    expect(() => call(bytes, new Uint16Array(4), runsOf(0, 0, 1), 1)).to.throw(TypeError);
    expect(() => call(bytes, bytes, [0, 0, 1], 1)).to.throw(TypeError);
    expect(() => call(bytes, bytes, runsOf(0, 0, 1), 2)).to.throw(TypeError);
  });
});
