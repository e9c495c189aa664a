import { expect } from 'chai';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

  it('closes descriptors left unused', () => {
    expect(read([0, 10])?.equals(log.subarray(0, 10))).to.equal(true);
    expect(reader.openSegments).to.equal(1);
    reader.closeIdle(Date.now() + 60_000);
    expect(reader.openSegments).to.equal(0);
    expect(read([5, 10])?.equals(log.subarray(5, 15))).to.equal(true);
  });
});
