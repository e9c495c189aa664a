import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { CommitLog } from './commit-log';
import { FileHandleCache } from './file-handle-cache';
import { readInt64BE } from '../codec/message/buffer-int64';
import { CONSUME_QUEUE_MAPPINGS, ConsumeQueue } from './consume-queue';
import { CQ_STORE_UNIT_SIZE } from './consume-queue-unit';
import { FileMapping, MappingBudget, mapReadOnly, mappedReadsAvailable } from './mapped-view';
import { mappingsOf, twoTurns } from './store-test-helpers';

const SEGMENT_BYTES = 1024 * 1024;

/** The byte at physical offset p: (p * 13 + salt) & 0xff. */
function pattern(fromOffset: number, lengthBytes: number, salt: number): Buffer {
  const bytes = Buffer.allocUnsafe(lengthBytes);
  for (let i = 0; i < lengthBytes; i++) bytes[i] = ((fromOffset + i) * 13 + salt) & 0xff;
  return bytes;
}

function hasCompiler(): boolean {
  try {
    execFileSync(process.env.CC ?? 'cc', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('mapped commit-log reads (native/mapped-file.c)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapped-view-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A log with one segment whose first `writtenBytes` bytes are written to the file only (not the hot tail). */
  function logWithColdBytes(writtenBytes: number, salt: number): CommitLog {
    const log = new CommitLog(dir, SEGMENT_BYTES, 4096, new FileHandleCache());
    expect(log.appendData(0, Buffer.alloc(0))).to.equal(true); // creates the segment at 0
    log.files.first()!.write(pattern(0, writtenBytes, salt), 0, writtenBytes, 0);
    log.writtenPhysicalOffset = writtenBytes;
    return log;
  }

  it('is built wherever a C compiler is (npm run build: scripts/build-native.mjs)', () => {
    if (process.env.ROCKETMQ_MAPPED_READS === 'false') expect(mappedReadsAvailable()).to.equal(false);
    else expect(mappedReadsAvailable()).to.equal(hasCompiler());
  });

  it('refuses a bad descriptor or length without a crash', () => {
    expect(mapReadOnly(-1, 4096)).to.equal(undefined);
    expect(mapReadOnly(0, 0)).to.equal(undefined);
  });

  // Without the addon (no compiler: the test above says so) these check the pread path the same way.
  it('reads the same bytes mapped as by pread, records of many queues interleaved (mapped: no block reads)', () => {
    const log = logWithColdBytes(600_000, 1);
    const runs: number[] = [];
    for (let at = 17; at + 700 < 600_000; at += 7 * 1111) runs.push(at, 700);
    const total = (runs.length / 2) * 700;
    const mapped = log.readRuns(runs, total);
    expect(log.logBlocks.blockReads === 0).to.equal(mappedReadsAvailable());
    log.mappedReads = false;
    const preadBytes = log.readRuns(runs, total);
    expect(log.logBlocks.blockReads).to.be.greaterThan(0);
    expect(mapped).to.deep.equal(preadBytes);
    expect(mapped!.subarray(0, 700)).to.deep.equal(pattern(17, 700, 1));
    log.mappedReads = true;
    expect(log.read(20_000, 300)).to.deep.equal(pattern(20_000, 300, 1));
    log.files.closeAll();
  });

  it('sees what is written after the mapping was made (one page cache), and nothing past the written end', () => {
    const log = logWithColdBytes(100_000, 2);
    expect(log.read(1000, 100)).to.deep.equal(pattern(1000, 100, 2)); // maps the segment
    log.files.first()!.write(pattern(100_000, 50_000, 3), 0, 50_000, 100_000);
    expect(log.read(120_000, 100)).to.equal(null); // not yet written as far as readers know
    log.writtenPhysicalOffset = 150_000;
    expect(log.read(120_000, 100)).to.deep.equal(pattern(120_000, 100, 3));
    expect(log.readRuns([99_990, 20], 20)).to.deep.equal(
      Buffer.concat([pattern(99_990, 10, 2), pattern(100_000, 10, 3)]),
    );
    log.files.closeAll();
  });

  it('unmaps a segment when it is closed (a deleted segment frees its disk space at once)', async () => {
    const log = logWithColdBytes(10_000, 4);
    const file = log.files.first()!;
    const view = file.mappedView();
    expect(view !== null).to.equal(mappedReadsAvailable());
    expect(mappingsOf(file.filePath)).to.equal(view === null ? 0 : 1);
    file.destroy();
    expect(view?.length ?? 0).to.equal(0); // detached: a stale view reads nothing
    await twoTurns();
    expect(mappingsOf(file.filePath)).to.equal(0);
  });

  it('reads consume-queue units from their file mapping, merged with the units not yet written', () => {
    const queue = new ConsumeQueue(dir, 'T', 0, 1000 * CQ_STORE_UNIT_SIZE, new FileHandleCache());
    for (let queueOffset = 0; queueOffset < 300; queueOffset++) {
      queue.stageUnit(queueOffset, queueOffset * 1000, 100, 7);
      if (queueOffset === 249) queue.commit(); // 250 units in the file, the rest in memory
      queue.publish();
    }
    const filePath = path.join(dir, 'T', '0', '00000000000000000000');
    const before = CONSUME_QUEUE_MAPPINGS.mappedFiles;
    const units = queue.readUnits(240, 32)!;
    expect(units.length).to.equal(32 * CQ_STORE_UNIT_SIZE);
    for (let i = 0; i < 32; i++) expect(readInt64BE(units, i * CQ_STORE_UNIT_SIZE)).to.equal((240 + i) * 1000);
    const mapped = mappedReadsAvailable() ? 1 : 0;
    expect(mappingsOf(filePath)).to.equal(mapped);
    expect(CONSUME_QUEUE_MAPPINGS.mappedFiles).to.equal(before + mapped);
    queue.commit();
    expect(readInt64BE(queue.readUnits(299, 1)!, 0)).to.equal(299_000); // written after the mapping was made
    queue.files.closeAll();
    expect(CONSUME_QUEUE_MAPPINGS.mappedFiles).to.equal(before);
  });

  it('maps no more files than its budget; the rest read by pread, and a released mapping makes room', () => {
    const budget = new MappingBudget(1);
    const paths = [0, 1].map((i) => path.join(dir, `f${i}`));
    for (const filePath of paths) fs.writeFileSync(filePath, Buffer.alloc(8192, 0x41));
    const fds = paths.map((filePath) => fs.openSync(filePath, 'r'));
    const [first, second] = fds.map((fd) => new FileMapping(() => fd, 8192, budget));
    const target = Buffer.alloc(4);
    expect(first.copyTo(target, 0, 100, 4)).to.equal(mappedReadsAvailable());
    expect(budget.mappedFiles).to.equal(mappedReadsAvailable() ? 1 : 0);
    if (mappedReadsAvailable()) expect(second.copyTo(target, 0, 100, 4)).to.equal(false); // over budget: pread
    first.release();
    second.release();
    expect(budget.mappedFiles).to.equal(0);
    expect(second.copyTo(target, 0, 100, 4)).to.equal(mappedReadsAvailable()); // room again
    expect(target.toString()).to.equal(mappedReadsAvailable() ? 'AAAA' : '\0\0\0\0');
    second.release();
    for (const fd of fds) fs.closeSync(fd);
  });
});
