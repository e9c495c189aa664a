import { expect } from 'chai';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HotTail, HotTailReader } from '../../store/hot-tail';
import { BLOCK_BYTES } from '../../store/log-blocks';
import { mappedReadsAvailable } from '../../store/mapped-view';
import { mappingsOf, twoTurns } from '../../store/store-test-helpers';
import { offsetToFileName } from '../../store/store-file';
import { LogRunReader } from './log-run-reader';

const SEGMENT_BYTES = 4 * BLOCK_BYTES;

describe('LogRunReader (a connection worker reads pull bodies)', () => {
  let dir: string;
  let log: Buffer; // what the two segments hold, back to back
  let reader: LogRunReader;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'log-run-reader-'));
    log = crypto.randomBytes(2 * SEGMENT_BYTES);
    fs.writeFileSync(path.join(dir, offsetToFileName(0)), log.subarray(0, SEGMENT_BYTES));
    fs.writeFileSync(path.join(dir, offsetToFileName(SEGMENT_BYTES)), log.subarray(SEGMENT_BYTES));
    reader = new LogRunReader(dir, SEGMENT_BYTES);
  });

  afterEach(() => {
    reader.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const read = (runs: number[], writtenPhysicalOffset = log.length): Buffer | null => {
    let totalBytes = 0;
    for (let i = 1; i < runs.length; i += 2) totalBytes += runs[i];
    const target = Buffer.alloc(totalBytes);
    return reader.read({ runs, totalBytes, writtenPhysicalOffset }, target) ? target : null;
  };

  it('reads runs of both segments back to back, across block boundaries', () => {
    const runs = [10, 300, BLOCK_BYTES - 50, 100, SEGMENT_BYTES + 7, 2 * BLOCK_BYTES + 3];
    const expected = Buffer.concat([
      log.subarray(10, 310),
      log.subarray(BLOCK_BYTES - 50, BLOCK_BYTES + 50),
      log.subarray(SEGMENT_BYTES + 7, SEGMENT_BYTES + 7 + 2 * BLOCK_BYTES + 3),
    ]);
    for (let pass = 0; pass < 3; pass++) expect(read(runs)?.equals(expected)).to.equal(true);
    expect(reader.openSegments).to.equal(2);
  });

  it('never serves bytes of a block read while the log was written only part of it', () => {
    const written = BLOCK_BYTES / 2;
    fs.writeFileSync(path.join(dir, offsetToFileName(0)), Buffer.alloc(SEGMENT_BYTES)); // zeros past `written`
    const first = log.subarray(0, written);
    fs.writeFileSync(path.join(dir, offsetToFileName(0)), first, { flag: 'r+' });
    expect(read([0, 100], written)?.equals(log.subarray(0, 100))).to.equal(true);
    // the rest of the block is written now; a kept short block would answer zeros
    const fd = fs.openSync(path.join(dir, offsetToFileName(0)), 'r+');
    fs.writeSync(fd, log, written, BLOCK_BYTES, written);
    fs.closeSync(fd);
    expect(read([written + 10, 200], 2 * BLOCK_BYTES)?.equals(log.subarray(written + 10, written + 210))).to.equal(
      true,
    );
  });

  it('fails a run that crosses segments, a missing segment and a file cut short', () => {
    expect(read([SEGMENT_BYTES - 10, 20])).to.equal(null);
    fs.rmSync(path.join(dir, offsetToFileName(SEGMENT_BYTES)));
    expect(read([SEGMENT_BYTES + 10, 20])).to.equal(null);
    fs.truncateSync(path.join(dir, offsetToFileName(0)), 1000);
    const fresh = new LogRunReader(dir, SEGMENT_BYTES);
    try {
      const target = Buffer.alloc(100);
      expect(fresh.read({ runs: [950, 100], totalBytes: 100, writtenPhysicalOffset: log.length }, target)).to.equal(
        false,
      );
    } finally {
      fresh.close();
    }
  });

  it('copies through its own mapping of a segment and releases it with the descriptor', async () => {
    const segmentPath = path.join(dir, offsetToFileName(0));
    expect(read([BLOCK_BYTES + 1, 500])?.equals(log.subarray(BLOCK_BYTES + 1, BLOCK_BYTES + 501))).to.equal(true);
    expect(mappingsOf(segmentPath)).to.equal(mappedReadsAvailable() ? 1 : 0); // pread without the addon
    reader.closeIdle(Date.now() + 60_000);
    await twoTurns();
    expect(mappingsOf(segmentPath)).to.equal(0);
  });

  it('copies a run gathered from a mapping before opening a segment closes that mapping', () => {
    // nine segments (MAX_OPEN_SEGMENTS is 8), all used in the same millisecond: opening the ninth
    // closes the first opened, whose run of this answer is still waiting in the gather
    const segments = 9;
    const many = crypto.randomBytes(segments * SEGMENT_BYTES);
    for (let i = 0; i < segments; i++)
      fs.writeFileSync(
        path.join(dir, offsetToFileName(i * SEGMENT_BYTES)),
        many.subarray(i * SEGMENT_BYTES, (i + 1) * SEGMENT_BYTES),
      );
    const readMany = (runs: number[]): Buffer | null => {
      const target = Buffer.alloc(runs.length * 350);
      return reader.read({ runs, totalBytes: target.length, writtenPhysicalOffset: many.length }, target)
        ? target
        : null;
    };
    const realNow = Date.now;
    Date.now = () => 1_000_000;
    try {
      for (let i = 0; i < segments - 1; i++) expect(readMany([i * SEGMENT_BYTES, 700])).to.not.equal(null);
      const first = BLOCK_BYTES + 13;
      const last = (segments - 1) * SEGMENT_BYTES + 2 * BLOCK_BYTES + 7;
      const answer = readMany([first, 700, last, 700]);
      expect(
        answer?.equals(Buffer.concat([many.subarray(first, first + 700), many.subarray(last, last + 700)])),
      ).to.equal(true);
      expect(reader.openSegments).to.equal(8);
    } finally {
      Date.now = realNow;
    }
  });

  it('reads the newest runs from the hot tail and the rest from the segments, in order', () => {
    const tail = new HotTail(8 * SEGMENT_BYTES); // readers keep a margin away from the bytes written next
    tail.append(SEGMENT_BYTES, log, SEGMENT_BYTES, SEGMENT_BYTES); // the second segment, in memory
    const withTail = new LogRunReader(dir, SEGMENT_BYTES, new HotTailReader(tail.share()));
    try {
      const runs = [SEGMENT_BYTES + 100, 300, 50, 700, SEGMENT_BYTES + 5000, 64, 3 * BLOCK_BYTES, 900];
      const target = Buffer.alloc(300 + 700 + 64 + 900);
      expect(withTail.read({ runs, totalBytes: target.length, writtenPhysicalOffset: log.length }, target)).to.equal(
        true,
      );
      const expected = Buffer.concat([
        log.subarray(SEGMENT_BYTES + 100, SEGMENT_BYTES + 400),
        log.subarray(50, 750),
        log.subarray(SEGMENT_BYTES + 5000, SEGMENT_BYTES + 5064),
        log.subarray(3 * BLOCK_BYTES, 3 * BLOCK_BYTES + 900),
      ]);
      expect(target.equals(expected)).to.equal(true);
      expect(withTail.openSegments, 'the tail served the second segment').to.equal(1);
    } finally {
      withTail.close();
    }
  });

  it('closes descriptors left unused', () => {
    expect(read([0, 10])?.equals(log.subarray(0, 10))).to.equal(true);
    expect(reader.openSegments).to.equal(1);
    reader.closeIdle(Date.now() + 60_000);
    expect(reader.openSegments).to.equal(0);
    expect(read([5, 10])?.equals(log.subarray(5, 15))).to.equal(true);
  });
});
