import { expect } from 'chai';
import {
  CQ_STORE_UNIT_SIZE,
  isValidUnit,
  OS_PAGE_SIZE_BYTES,
  PRE_BLANK_UNIT_SIZE,
  worthFlushing,
} from './consume-queue-unit';

function unit(physicalOffset: number, sizeBytes: number): Buffer {
  const units = Buffer.alloc(CQ_STORE_UNIT_SIZE);
  units.writeBigInt64BE(BigInt(physicalOffset), 0);
  units.writeInt32BE(sizeBytes, 8);
  return units;
}

describe('consume-queue units', () => {
  it('counts a unit when it points somewhere, pre-blank fillers included (Java isValid)', () => {
    expect(isValidUnit(unit(0, 100), 0)).to.equal(true);
    expect(isValidUnit(unit(0, PRE_BLANK_UNIT_SIZE), 0)).to.equal(true);
    expect(isValidUnit(unit(0, 0), 0)).to.equal(false); // never written: zeros
    expect(isValidUnit(unit(-1, 100), 0)).to.equal(false);
  });

  // [flushedByte, writtenByte, fileBytes, leastPages, worth an fdatasync]
  const FILE = 6_000_000;
  const PAGE = OS_PAGE_SIZE_BYTES;
  const table: [number, number, number, number, boolean][] = [
    [0, 0, FILE, 0, false], // nothing new
    [100, 100, FILE, 2, false],
    [0, 20, FILE, 0, true], // leastPages 0: any new byte
    [0, PAGE, FILE, 2, false], // one page of two
    [0, 2 * PAGE, FILE, 2, true],
    [PAGE - 20, 2 * PAGE + 20, FILE, 2, true], // pages counted by boundaries crossed: 0 → 2
    [PAGE + 20, 2 * PAGE + 20, FILE, 2, false], // 1 → 2: one page, though a page's worth of bytes
    [FILE - 20, FILE + 20, FILE, 4, true], // a file was completed
  ];
  for (const [flushed, written, fileBytes, leastPages, expected] of table) {
    it(`worthFlushing(${flushed}, ${written}, file ${fileBytes}, ${leastPages} pages) is ${expected}`, () => {
      expect(worthFlushing(flushed, written, fileBytes, leastPages)).to.equal(expected);
    });
  }
});
