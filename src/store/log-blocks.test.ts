import { expect } from 'chai';
import { BLOCK_BYTES, LogBlocks } from './log-blocks';
import { SpanRing } from './span-ring';
import type { StoreFile } from './store-file';

/** A segment at `fromOffset` whose byte at physical offset p holds (p * 7) & 0xff; reads are counted. */
function fakeSegment(fromOffset: number, sizeBytes: number): StoreFile & { reads: number[][] } {
  const reads: number[][] = [];
  return {
    reads,
    fileFromOffset: fromOffset,
    fileEndOffset: fromOffset + sizeBytes,
    read: (target: Buffer, targetPosition: number, length: number, filePosition: number) => {
      reads.push([filePosition, length]);
      const n = Math.max(0, Math.min(length, sizeBytes - filePosition));
      for (let i = 0; i < n; i++) target[targetPosition + i] = ((fromOffset + filePosition + i) * 7) & 0xff;
      return n;
    },
  } as unknown as StoreFile & { reads: number[][] };
}

function expectLogBytes(bytes: Buffer, physicalOffset: number): void {
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== (((physicalOffset + i) * 7) & 0xff)) expect.fail(`byte ${i} of the copy at ${physicalOffset}`);
  }
}

const SEGMENT_FROM = 1024 * 1024 * 1024;
const SEGMENT_BYTES = 4 * BLOCK_BYTES + 1000; // the last block is short

describe('log blocks (warm reads: one read per block serves every queue)', () => {
  it('copies records from blocks, one read per block, a record across two blocks included', () => {
    const file = fakeSegment(SEGMENT_FROM, SEGMENT_BYTES);
    const blocks = new LogBlocks(new SpanRing(8 * BLOCK_BYTES));
    const written = SEGMENT_FROM + SEGMENT_BYTES;
    const records = [
      [SEGMENT_FROM + 10, 1200],
      [SEGMENT_FROM + 5000, 1200],
      [SEGMENT_FROM + BLOCK_BYTES - 300, 1200], // crosses into the second block
      [SEGMENT_FROM + BLOCK_BYTES + 4000, 800],
      [SEGMENT_FROM + 4 * BLOCK_BYTES + 100, 900], // the short last block
    ];
    for (const [offset, size] of records) {
      const target = Buffer.alloc(size + 20);
      expect(blocks.copyTo(file, written, target, 20, offset, size, true)).to.equal(true);
      expectLogBytes(target.subarray(20), offset);
    }
    expect(file.reads).to.deep.equal([
      [0, BLOCK_BYTES],
      [BLOCK_BYTES, BLOCK_BYTES],
      [4 * BLOCK_BYTES, 1000],
    ]);
    expect(blocks.blockReads).to.equal(3);
  });

  it('does not keep a block cut short by the written end, and reads it again once it grew', () => {
    const file = fakeSegment(SEGMENT_FROM, SEGMENT_BYTES);
    const blocks = new LogBlocks(new SpanRing(8 * BLOCK_BYTES));
    const target = Buffer.alloc(100);
    expect(blocks.copyTo(file, SEGMENT_FROM + 5000, target, 0, SEGMENT_FROM + 4000, 100, true)).to.equal(true);
    expect(blocks.copyTo(file, SEGMENT_FROM + 9000, target, 0, SEGMENT_FROM + 8000, 100, true)).to.equal(true);
    expectLogBytes(target, SEGMENT_FROM + 8000);
    expect(file.reads).to.deep.equal([
      [0, 5000],
      [0, 9000],
    ]);
  });

  it('without readMissing copies only from blocks it holds; forgetFrom drops blocks past a truncation', () => {
    const file = fakeSegment(SEGMENT_FROM, SEGMENT_BYTES);
    const blocks = new LogBlocks(new SpanRing(8 * BLOCK_BYTES));
    const written = SEGMENT_FROM + SEGMENT_BYTES;
    const target = Buffer.alloc(100);
    expect(blocks.copyTo(file, written, target, 0, SEGMENT_FROM + 100, 100, false)).to.equal(false);
    expect(blocks.copyTo(file, written, target, 0, SEGMENT_FROM + 100, 100, true)).to.equal(true);
    expect(blocks.copyTo(file, written, target, 0, SEGMENT_FROM + 300, 100, false)).to.equal(true);
    expectLogBytes(target, SEGMENT_FROM + 300);
    blocks.forgetFrom(SEGMENT_FROM + 200_000);
    expect(blocks.copyTo(file, written, target, 0, SEGMENT_FROM + 300, 100, false)).to.equal(false);
    expect(file.reads).to.have.length(1);
  });

  it('reads a block again once the ring came round over it', () => {
    const file = fakeSegment(0, 16 * BLOCK_BYTES);
    const blocks = new LogBlocks(new SpanRing(4 * BLOCK_BYTES));
    const written = 16 * BLOCK_BYTES;
    const target = Buffer.alloc(100);
    for (let block = 0; block < 6; block++) blocks.copyTo(file, written, target, 0, block * BLOCK_BYTES, 100, true);
    expect(blocks.copyTo(file, written, target, 0, 5 * BLOCK_BYTES + 500, 100, false)).to.equal(true);
    expect(blocks.copyTo(file, written, target, 0, 0, 100, false)).to.equal(false);
    expect(blocks.copyTo(file, written, target, 0, 0, 100, true)).to.equal(true);
    expectLogBytes(target, 0);
    expect(blocks.blockReads).to.equal(7);
  });

  it('stops reading blocks for a reader that uses few of their records, and starts again for many', () => {
    const file = fakeSegment(0, 1024 * BLOCK_BYTES);
    const blocks = new LogBlocks(new SpanRing(32 * BLOCK_BYTES));
    const written = 1024 * BLOCK_BYTES;
    const target = Buffer.alloc(1024);
    const recordsPerBlock = BLOCK_BYTES / 1024;
    // one queue of 16 behind: every 16th 1 KiB record of the log
    let pulls = 0;
    let blockPulls = 0;
    for (let offset = 0; offset < 512 * BLOCK_BYTES; offset += 16 * 1024) {
      const readMissing = blocks.worthwhile();
      pulls++;
      if (readMissing) blockPulls++;
      if (!blocks.copyTo(file, written, target, 0, offset, 1024, readMissing)) file.read(target, 0, 1024, offset);
      expectLogBytes(target, offset);
    }
    expect(blockPulls).to.be.lessThan(pulls / 4);
    // every record of the next blocks: blocks pay again once a probe's window was judged
    const before = blocks.blockReads;
    for (let offset = 512 * BLOCK_BYTES; offset < 1024 * BLOCK_BYTES; offset += 1024) {
      const readMissing = blocks.worthwhile();
      if (!blocks.copyTo(file, written, target, 0, offset, 1024, readMissing)) file.read(target, 0, 1024, offset);
    }
    expect(blocks.blockReads - before).to.be.greaterThan(400);
    expect(recordsPerBlock).to.equal(256);
  });
});
