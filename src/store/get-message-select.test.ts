import { expect } from 'chai';
import { MAGICCODE_POSITION, MESSAGE_MAGIC_CODE } from '../codec/message/message-record-layout';
import { readSelected, type Selection } from './get-message-select';
import { BODY_BY_REFERENCE } from './get-message-types';
import { GetMessageStatus } from './put-message-status';

const SEGMENT_BYTES = 1 << 20;

/** A stand-in record: its size and the magic code, then filler. */
function record(sizeBytes: number, magic = MESSAGE_MAGIC_CODE): Buffer {
  const bytes = Buffer.alloc(sizeBytes, 0x5a);
  bytes.writeInt32BE(sizeBytes, 0);
  bytes.writeInt32BE(magic, MAGICCODE_POSITION);
  return bytes;
}

function selection(sizes: number[]): Selection {
  const physicalOffsets: number[] = [];
  let at = 4096;
  for (const size of sizes) {
    physicalOffsets.push(at);
    at += size + 100; // records of other queues lie between
  }
  const totalBytes = sizes.reduce((sum, size) => sum + size, 0);
  return {
    status: GetMessageStatus.FOUND,
    scannedUnits: sizes.length,
    physicalOffsets,
    sizes,
    unitIndexes: sizes.map((_, i) => i),
    totalBytes,
    lastPulledPhysicalOffset: physicalOffsets[physicalOffsets.length - 1],
  };
}

/** Runs readSelected, answering its one read with `bytes`. */
function run(sel: Selection, bytes: Buffer | null, out: Buffer[] | null): number {
  const steps = readSelected(SEGMENT_BYTES, sel, out);
  const first = steps.next();
  expect(first.done).to.equal(false);
  const last = steps.next(bytes);
  expect(last.done).to.equal(true);
  return last.value as number;
}

describe('readSelected (the records of a pull, one view each or in one piece)', () => {
  const sizes = [120, 200, 96];
  const whole = Buffer.concat(sizes.map((size) => record(size)));

  it('hands out one view per record, or the records as one body without a view each', () => {
    const views: Buffer[] = [];
    expect(run(selection(sizes), whole, views)).to.equal(3);
    expect(views.map((view) => view.length)).to.deep.equal(sizes);
    const sel = selection(sizes);
    expect(run(sel, whole, null)).to.equal(3);
    expect(sel.body).to.equal(whole); // the read buffer itself: nothing cut, nothing copied
  });

  const broken: [string, (bytes: Buffer) => void][] = [
    ['a wrong MAGICCODE', (bytes) => bytes.writeInt32BE(0x12345678, 120 + MAGICCODE_POSITION)],
    ['a size field that disagrees with the unit', (bytes) => bytes.writeInt32BE(201, 120)],
  ];
  for (const [what, breakIt] of broken) {
    it(`stops before the second record with ${what}, in both forms`, () => {
      const bytes = Buffer.from(whole);
      breakIt(bytes);
      const views: Buffer[] = [];
      expect(run(selection(sizes), bytes, views)).to.equal(1);
      expect(views).to.have.length(1);
      const sel = selection(sizes);
      expect(run(sel, bytes, null)).to.equal(1);
      expect(sel.body?.equals(whole.subarray(0, 120))).to.equal(true);
    });
  }

  it('stops at a read that came back short, and counts nothing for a failed read', () => {
    const sel = selection(sizes);
    expect(run(sel, whole.subarray(0, 120 + 150), null)).to.equal(1);
    expect(sel.body?.length).to.equal(120);
    const failed = selection(sizes);
    expect(run(failed, null, null)).to.equal(0);
    expect(failed.body).to.equal(undefined);
  });

  it('takes a unit size too small to hold a record header as unreadable (no range error)', () => {
    const sel = selection([120, 6]);
    const bytes = Buffer.concat([record(120), Buffer.alloc(6)]);
    expect(run(sel, bytes, null)).to.equal(1);
  });

  it('answered BODY_BY_REFERENCE, reads nothing and keeps the runs', () => {
    const sel = selection(sizes);
    expect(run(sel, BODY_BY_REFERENCE, null)).to.equal(3);
    expect(sel.body).to.equal(undefined);
    expect(sel.bodyRuns).to.deep.equal([4096, 120, 4316, 200, 4616, 96]);
  });
});
