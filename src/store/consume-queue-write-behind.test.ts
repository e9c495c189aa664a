import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readInt64BE } from '../codec/message/buffer-int64';
import { ConsumeQueue } from './consume-queue';
import { CQ_STORE_UNIT_SIZE, MAX_UNWRITTEN_UNITS } from './consume-queue-unit';
import { FileHandleCache } from './file-handle-cache';
import { decodeMessageRecord } from '../codec/message/message-record';
import { message, useTempStore } from './store-test-helpers';

const UNITS_PER_FILE = 100;

function physicalOffsets(units: Buffer | null): number[] {
  expect(units).not.to.equal(null);
  const out: number[] = [];
  for (let at = 0; at < units!.length; at += CQ_STORE_UNIT_SIZE) out.push(readInt64BE(units!, at));
  return out;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

describe('ConsumeQueue write-behind', () => {
  let home: string;
  let queue: ConsumeQueue;
  const queueDir = (): string => path.join(home, 'T', '0');
  const fileBytes = (): number => {
    const file = path.join(queueDir(), '00000000000000000000');
    return fs.existsSync(file)
      ? fs
          .readFileSync(file)
          .subarray(0, 400 * CQ_STORE_UNIT_SIZE)
          .filter((b) => b !== 0).length
      : 0;
  };

  function stage(from: number, to: number): void {
    for (const queueOffset of range(from, to)) queue.stageUnit(queueOffset, queueOffset * 1000, 100, 7);
  }

  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'rmq-cq-'));
    queue = new ConsumeQueue(home, 'T', 0, UNITS_PER_FILE * CQ_STORE_UNIT_SIZE, new FileHandleCache());
  });
  afterEach(() => {
    queue.close();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('shows published units to readers at once, from memory, before any file write', () => {
    stage(0, 10);
    expect(queue.readUnits(0, 32)).to.equal(null); // staged is not visible
    queue.publish();
    expect(queue.maxQueueOffset).to.equal(10);
    expect(queue.maxPhysicalOffset).to.equal(9 * 1000 + 100);
    expect(queue.hasStagedUnits).to.equal(true);
    expect(fileBytes()).to.equal(0);
    expect(physicalOffsets(queue.readUnits(3, 32))).to.deep.equal(range(3, 10).map((q) => q * 1000));
  });

  it('writes all waiting units in one go on commit, and reads across the written/memory edge', async () => {
    stage(0, 30);
    queue.publish();
    queue.commit();
    expect(queue.hasStagedUnits).to.equal(false);
    expect(queue.writtenQueueOffset).to.equal(30);
    stage(30, 50);
    queue.publish();
    expect(queue.writtenQueueOffset).to.equal(30);
    const expected = range(20, 50).map((q) => q * 1000);
    expect(physicalOffsets(queue.readUnits(20, 64))).to.deep.equal(expected);
    expect(physicalOffsets(await queue.readUnitsAsync(20, 64))).to.deep.equal(expected);
  });

  it('stops a read at the end of the file that holds its first unit, memory or not', () => {
    stage(0, 150);
    queue.publish();
    expect(physicalOffsets(queue.readUnits(90, 64))).to.deep.equal(range(90, 100).map((q) => q * 1000));
    expect(physicalOffsets(queue.readUnits(100, 64))).to.deep.equal(range(100, 150).map((q) => q * 1000));
  });

  it(`writes by itself once ${MAX_UNWRITTEN_UNITS} units wait (bounded memory)`, () => {
    queue = new ConsumeQueue(home, 'T', 0, 1000 * CQ_STORE_UNIT_SIZE, new FileHandleCache());
    stage(0, MAX_UNWRITTEN_UNITS - 1);
    queue.publish();
    expect(queue.writtenQueueOffset).to.equal(0);
    stage(MAX_UNWRITTEN_UNITS - 1, MAX_UNWRITTEN_UNITS);
    queue.publish();
    expect(queue.writtenQueueOffset).to.equal(MAX_UNWRITTEN_UNITS);
    expect(queue.hasStagedUnits).to.equal(false);
  });

  it('writes what waits before a flush, so flushedQueueOffset never passes the file', async () => {
    stage(0, 40);
    queue.publish();
    queue.flushSync();
    expect(queue.flushedQueueOffset).to.equal(40);
    expect(fileBytes()).to.be.greaterThan(0);
  });
});

describe('DefaultMessageStore with consume queues written behind', () => {
  const fx = useTempStore({ flushIntervalConsumeQueue: 60_000 });

  it('rebuilds the units a killed process had only in memory', async () => {
    for (let i = 0; i < 120; i++) await fx.store.putMessage(message('T', i % 3, `m${i}`));
    expect(fx.store.getMaxOffsetInQueue('T', 1)).to.equal(40);
    fx.reopen('kill'); // as kill -9: no flush, memory lost
    for (let queueId = 0; queueId < 3; queueId++) {
      expect(fx.store.getMaxOffsetInQueue('T', queueId)).to.equal(40);
      const bodies: string[] = [];
      for (let next = 0; next < 40; ) {
        const got = fx.store.getMessage('g', 'T', queueId, next, 32);
        expect(got.messageCount).to.be.greaterThan(0);
        bodies.push(...got.messageBuffers.map((b) => decodeMessageRecord(b, 0).record.body.toString()));
        next = got.nextBeginOffset;
      }
      expect(bodies).to.deep.equal(range(0, 40).map((n) => `m${n * 3 + queueId}`));
    }
  });
});
