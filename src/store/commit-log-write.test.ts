import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CommitLog } from './commit-log';
import { FileHandleCache } from './file-handle-cache';

const SEGMENT_BYTES = 64 * 1024;

/** Stages `text` as raw bytes (the log does not look inside what the put service stages). */
function stage(log: CommitLog, text: string): number {
  const bytes = Buffer.from(text);
  const physicalOffset = log.reserve(bytes.length);
  bytes.copy(log.stagingBuffer, log.stagingPosition);
  log.advance(bytes.length);
  return physicalOffset;
}

function written(done: (callback: (error: Error | null) => void) => void): Promise<Error | null> {
  return new Promise((resolve) => done(resolve));
}

describe('CommitLog writes on the thread pool', () => {
  let dir: string;
  let log: CommitLog;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commit-log-write-'));
    log = new CommitLog(dir, SEGMENT_BYTES, 4096, new FileHandleCache());
  });
  afterEach(() => {
    log.files.closeAll();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('makes bytes readable only once written, and stages the next ones meanwhile', async () => {
    stage(log, 'first');
    const first = written((done) => log.commitStagedAsync(done));
    expect(log.writeInFlight).to.equal(true);
    expect(log.writtenPhysicalOffset, 'not visible while in flight').to.equal(0);
    expect(stage(log, 'second'), 'staged after the bytes in flight').to.equal(5);
    expect(await first).to.equal(null);
    expect(log.writeInFlight).to.equal(false);
    expect(log.writtenPhysicalOffset).to.equal(5);
    expect(log.read(0, 5)?.toString()).to.equal('first');
    expect(await written((done) => log.commitStagedAsync(done))).to.equal(null);
    expect(log.read(0, 11)?.toString()).to.equal('firstsecond');
  });

  it('absorbs the write in flight when it must write now, keeping log order', async () => {
    stage(log, 'aaaa');
    const first = written((done) => log.commitStagedAsync(done));
    stage(log, 'bbbb');
    log.commitStaged(); // staging full or a segment roll: written now, after the bytes in flight
    expect(log.writtenPhysicalOffset).to.equal(8);
    expect(log.read(0, 8)?.toString()).to.equal('aaaabbbb');
    expect(await first, 'its callback still runs, without error').to.equal(null);
    expect(log.writtenPhysicalOffset).to.equal(8);
    expect(fs.readFileSync(log.files.findFile(0)!.filePath).subarray(0, 8).toString()).to.equal('aaaabbbb');
  });

  it('settles the write in flight synchronously for shutdown', () => {
    stage(log, 'zz');
    let settled: Error | null | undefined;
    log.commitStagedAsync((error) => {
      settled = error;
    });
    log.settleInFlight();
    expect(settled).to.equal(null);
    expect(log.writeInFlight).to.equal(false);
    expect(log.read(0, 2)?.toString()).to.equal('zz');
  });

  it('answers a failed write with its error and advances nothing', async () => {
    stage(log, 'lost');
    const file = log.files.findFile(0)!;
    file.writeAsync = () => Promise.reject(new Error('EIO: i/o error, write'));
    const error = await written((done) => log.commitStagedAsync(done));
    expect(error?.message).to.match(/EIO/);
    expect(log.writtenPhysicalOffset).to.equal(0);
    expect(log.read(0, 4)).to.equal(null);
  });
});
