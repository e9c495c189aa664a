import { expect } from 'chai';
import { javaStringHashCode } from '../codec/java-hash';
import { decodeMessageRecord } from '../codec/message/message-record';
import type { MessageFilter } from './get-message';
import { type GetMessageResult, GetMessageStatus } from './message-store';
import { AsyncGate } from './async-gate';
import { ConsumeQueue } from './consume-queue';
import { message, useTempStore } from './store-test-helpers';

/** The answer's records: its views, or its one body cut at each record's size. */
function records(result: GetMessageResult): Buffer[] {
  if (result.body === undefined) return result.messageBuffers;
  const out: Buffer[] = [];
  for (let at = 0; at < result.body.length; at += result.body.readInt32BE(at)) {
    out.push(result.body.subarray(at, at + result.body.readInt32BE(at)));
  }
  return out;
}

function queueOffsets(result: GetMessageResult): number[] {
  return records(result).map((buffer) => decodeMessageRecord(buffer, 0).record.queueOffset);
}

describe('DefaultMessageStore.getMessageNonBlocking', () => {
  const fx = useTempStore({ mappedFileSizeCommitLog: 256 * 1024 });

  async function fill(count: number, tagsOf: (i: number) => string): Promise<void> {
    for (let i = 0; i < count; i++) {
      await fx.store.putMessage(message('T', i % 2, Buffer.alloc(100, i & 0xff), tagsOf(i)));
    }
  }

  it('answers at once (no promise) for bytes written by this run', async () => {
    await fill(40, () => 'a');
    const got = fx.store.getMessageNonBlocking({ topic: 'T', queueId: 0, queueOffset: 0, maxMsgNums: 32 });
    expect(got).not.to.be.instanceOf(Promise);
    expect(got as GetMessageResult).to.include({ status: GetMessageStatus.FOUND, messageCount: 20 });
  });

  it('reads a backlog loaded from an earlier run off the loop, with the same answer', async () => {
    await fill(400, (i) => (i % 3 === 0 ? 'x' : 'y'));
    fx.reopen('clean');
    const blocking = fx.store.getMessage('g', 'T', 1, 10, 32);
    const pending = fx.store.getMessageNonBlocking({ topic: 'T', queueId: 1, queueOffset: 10, maxMsgNums: 32 });
    expect(pending).to.be.instanceOf(Promise);
    const got = (await pending)!;
    expect(got).to.include({ status: GetMessageStatus.FOUND, messageCount: 32, nextBeginOffset: 42 });
    expect(queueOffsets(got)).to.deep.equal(queueOffsets(blocking));
    // one body, no view per record, byte for byte the blocking answer's records
    expect(got.messageBuffers).to.have.length(0);
    expect(got.body!.equals(Buffer.concat(blocking.messageBuffers))).to.equal(true);
    expect(got.bufferTotalSize).to.equal(got.body!.length);
  });

  it('applies tag and record filters on the cold path as the blocking path does', async () => {
    await fill(300, (i) => (i % 3 === 0 ? 'x' : 'y'));
    fx.reopen('clean');
    const byTag: MessageFilter = (tagsCode) => tagsCode === javaStringHashCode('x');
    const byRecord: MessageFilter = Object.assign((tagsCode: number) => tagsCode !== 0, {
      matchesRecord: (record: Buffer) => decodeMessageRecord(record, 0).record.body[0] % 2 === 0,
    });
    for (const filter of [byTag, byRecord]) {
      const blocking = fx.store.getMessage('g', 'T', 0, 0, 16, filter);
      const got = (await fx.store.getMessageNonBlocking({
        topic: 'T',
        queueId: 0,
        queueOffset: 0,
        maxMsgNums: 16,
        filter,
      }))!;
      expect(got.status).to.equal(GetMessageStatus.FOUND);
      expect(got.nextBeginOffset).to.equal(blocking.nextBeginOffset);
      expect(queueOffsets(got)).to.deep.equal(queueOffsets(blocking));
      expect(got.messageCount).to.be.greaterThan(0);
      // records a second-stage filter read one by one stay one view each
      expect(got.body === undefined).to.equal(filter === byRecord);
    }
  });

  it("reads only the records of the queue, not the other queues' records between them", async () => {
    // Four queues written in turn: each queue's records are a record apart in the commit log.
    for (let i = 0; i < 160; i++) await fx.store.putMessage(message('T', i % 4, Buffer.alloc(300, i & 0xff)));
    const hot = fx.store.getMessage('g', 'T', 2, 0, 32);
    fx.reopen('clean');
    const cold = (await fx.store.getMessageNonBlocking({ topic: 'T', queueId: 2, queueOffset: 0, maxMsgNums: 32 }))!;
    for (const got of [hot, cold]) {
      expect(got).to.include({ status: GetMessageStatus.FOUND, messageCount: 32 });
      expect(queueOffsets(got)).to.deep.equal(Array.from({ length: 32 }, (_, i) => i));
      // every record lies in one buffer of exactly the records' bytes: no gap was read
      const shared = records(got)[0].buffer;
      expect(records(got).every((buffer) => buffer.buffer === shared)).to.equal(true);
      expect(shared.byteLength).to.equal(got.bufferTotalSize);
    }
  });

  it("reads a cold queue's units once for many pulls, and answers as the blocking path does", async () => {
    await fill(2000, () => 'a');
    fx.reopen('clean');
    let unitReads = 0;
    const readUnitsAsync = ConsumeQueue.prototype.readUnitsAsync;
    ConsumeQueue.prototype.readUnitsAsync = function (this: ConsumeQueue, ...args) {
      unitReads++;
      return readUnitsAsync.apply(this, args);
    };
    try {
      for (let queueOffset = 0; queueOffset < 960; queueOffset += 32) {
        const got = (await fx.store.getMessageNonBlocking({ topic: 'T', queueId: 0, queueOffset, maxMsgNums: 32 }))!;
        const blocking = fx.store.getMessage('g', 'T', 0, queueOffset, 32);
        expect(got.nextBeginOffset).to.equal(blocking.nextBeginOffset);
        expect(got.body!.equals(Buffer.concat(blocking.messageBuffers))).to.equal(true);
      }
    } finally {
      ConsumeQueue.prototype.readUnitsAsync = readUnitsAsync;
    }
    // a read ahead stops at its file's end: one read per 100-unit file instead of one per pull (30)
    expect(unitReads).to.equal(10);
  });

  it('drops a cold read whose consumer went away while it waited for its turn (answer null)', async () => {
    await fill(40, () => 'a');
    fx.reopen('clean');
    // three pulls take the read gate's three slots, so the fourth waits in line
    const ahead = [0, 1, 0].map((queueId) =>
      fx.store.getMessageNonBlocking({ topic: 'T', queueId, queueOffset: 0, maxMsgNums: 32, abandoned: () => false }),
    );
    let gone = false;
    const waiting = fx.store.getMessageNonBlocking({
      topic: 'T',
      queueId: 1,
      queueOffset: 0,
      maxMsgNums: 32,
      abandoned: () => gone,
    });
    expect(waiting).to.be.instanceOf(Promise);
    gone = true;
    expect(await waiting).to.equal(null);
    for (const pending of ahead) {
      expect(await pending).to.include({ status: GetMessageStatus.FOUND, messageCount: 20 });
    }
  });

  it('keeps the status table for offsets outside the queue (no read needed)', async () => {
    await fill(10, () => 'a');
    fx.reopen('clean');
    expect(fx.store.getMessageNonBlocking({ topic: 'T', queueId: 0, queueOffset: 5, maxMsgNums: 32 })).to.include({
      status: GetMessageStatus.OFFSET_OVERFLOW_ONE,
    });
    expect(fx.store.getMessageNonBlocking({ topic: 'missing', queueId: 0, queueOffset: 0, maxMsgNums: 32 })).to.include(
      {
        status: GetMessageStatus.NO_MATCHED_LOGIC_QUEUE,
      },
    );
  });

  it('answers new messages at once even while the old backlog is cold', async () => {
    await fill(20, () => 'a');
    fx.reopen('clean');
    await fill(20, () => 'b');
    const got = fx.store.getMessageNonBlocking({ topic: 'T', queueId: 0, queueOffset: 10, maxMsgNums: 32 });
    expect(got).not.to.be.instanceOf(Promise);
    expect(queueOffsets(got as GetMessageResult)).to.deep.equal([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  });
});

describe('AsyncGate', () => {
  it('runs at most maxInFlight reads at once, in arrival order', async () => {
    const gate = new AsyncGate(2);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const read = (i: number) => async (): Promise<number> => {
      started.push(i);
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      return i;
    };
    const results = await Promise.all([0, 1, 2, 3, 4].map((i) => gate.run(read(i))));
    expect(results).to.deep.equal([0, 1, 2, 3, 4]);
    expect(peak).to.equal(2);
    expect(started).to.deep.equal([0, 1, 2, 3, 4]);
  });

  it('frees its slot when a read fails', async () => {
    const gate = new AsyncGate(1);
    const failed = gate.run(() => Promise.reject(new Error('EIO')));
    const next = gate.run(() => Promise.resolve('ok'));
    let message = '';
    await failed.catch((error: Error) => (message = error.message));
    expect(message).to.equal('EIO');
    expect(await next).to.equal('ok');
  });
});
