import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeMessageRecord } from '../codec/message/message-record';
import { parseHostAddress } from '../codec/message/host-address';
import { decodeMessageId } from '../codec/message/message-id';
import { type DefaultMessageStore, PutMessageStatus } from './message-store';
import { message, openStore, tempStoreHome, testConfig } from './store-test-helpers';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('DefaultMessageStore flush modes', () => {
  let home: string;
  let store: DefaultMessageStore;

  afterEach(() => {
    store.shutdown();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('SYNC_FLUSH answers PUT_OK after an fdatasync, one for a whole group', async () => {
    home = tempStoreHome();
    store = openStore(testConfig(home, { flushDiskType: 'SYNC_FLUSH' }));
    const commitLog = (store as unknown as { commitLog: { flush(): Promise<number> } }).commitLog;
    const original = commitLog.flush.bind(commitLog);
    let flushes = 0;
    commitLog.flush = () => {
      flushes++;
      return original();
    };
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => store.putMessage(message('T', 0, `m${i}`))));
    expect(results.every((r) => r.status === PutMessageStatus.PUT_OK)).to.equal(true);
    expect(flushes).to.be.within(1, 3);
    expect(store.getMaxOffsetInQueue('T', 0)).to.equal(50);
  });

  it('SYNC_FLUSH answers FLUSH_DISK_TIMEOUT when the disk does not answer in time, data still stored', async () => {
    home = tempStoreHome();
    store = openStore(testConfig(home, { flushDiskType: 'SYNC_FLUSH', syncFlushTimeout: 50 }));
    const commitLog = (store as unknown as { commitLog: { flush(): Promise<number> } }).commitLog;
    const original = commitLog.flush.bind(commitLog);
    let release: () => void = () => undefined;
    commitLog.flush = () => new Promise<number>((resolve) => (release = () => void original().then(resolve)));
    const slow = await store.putMessage(message('T', 0, 'slow'));
    expect(slow.status).to.equal(PutMessageStatus.FLUSH_DISK_TIMEOUT);
    expect(slow.appendResult!.queueOffset).to.equal(0);
    // Not on disk yet, so not visible to consumers either.
    expect(store.getMaxOffsetInQueue('T', 0)).to.equal(0);
    const noWait = await store.putMessage(message('T', 0, 'fire-and-forget', undefined, 'WAIT\u0001false\u0002'));
    expect(noWait.status).to.equal(PutMessageStatus.PUT_OK);
    expect(noWait.appendResult!.queueOffset).to.equal(1);
    commitLog.flush = original;
    release();
    await sleep(50);
    expect(store.getMaxOffsetInQueue('T', 0)).to.equal(2);
  });

  it('ASYNC_FLUSH flushes in the background and advances the checkpoint', async () => {
    home = tempStoreHome();
    store = openStore(testConfig(home, { flushIntervalCommitLog: 10, flushIntervalConsumeQueue: 10 }));
    const put = await store.putMessage(message('T', 0, 'x'));
    const checkpointPath = path.join(home, 'store', 'checkpoint');
    // Both flush services (commit log: physic time at 0; consume queues: logics time at 8) have
    // written the checkpoint; they run independently, in either order.
    const flushedBoth = (): boolean => {
      if (!fs.existsSync(checkpointPath)) return false;
      const bytes = fs.readFileSync(checkpointPath);
      return bytes.readBigInt64BE(0) > 0n && bytes.readBigInt64BE(8) > 0n;
    };
    // Timers of 10 ms; a loaded machine may take a while to run them.
    for (let waitedMs = 0; waitedMs < 5000 && !flushedBoth(); waitedMs += 20) await sleep(20);
    const internals = store as unknown as { commitLog: { flushedPhysicalOffset: number } };
    expect(internals.commitLog.flushedPhysicalOffset).to.equal(store.getMaxPhyOffset());
    const checkpoint = fs.readFileSync(checkpointPath);
    expect(Number(checkpoint.readBigInt64BE(0))).to.equal(put.appendResult!.storeTimestampMs);
    expect(Number(checkpoint.readBigInt64BE(8))).to.equal(put.appendResult!.storeTimestampMs);
  });
});

describe('DefaultMessageStore time queries and admin helpers', () => {
  let home: string;
  let store: DefaultMessageStore;

  beforeEach(() => {
    home = tempStoreHome();
    store = openStore(testConfig(home));
  });
  afterEach(() => {
    store.shutdown();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('finds queue offsets by store time (Java binary search semantics)', async () => {
    const times: number[] = [];
    for (let i = 0; i < 6; i++) {
      const result = await store.putMessage(message('T', 0, `m${i}`));
      times.push(result.appendResult!.storeTimestampMs);
      await sleep(15);
    }
    expect(store.getOffsetInQueueByTime('T', 0, times[3])).to.equal(3);
    expect(store.getOffsetInQueueByTime('T', 0, times[0] - 100000)).to.equal(0);
    expect(store.getOffsetInQueueByTime('T', 0, times[5] + 100000)).to.equal(5);
    expect(store.getOffsetInQueueByTime('T', 0, times[2] + 1)).to.equal(2);
    expect(store.getOffsetInQueueByTime('T', 0, times[3] - 1)).to.equal(3);
    expect(store.getOffsetInQueueByTime('nope', 0, times[3])).to.equal(0);
    expect(store.getEarliestMessageTime('T', 0)).to.equal(times[0]);
    expect(store.getEarliestMessageTime('nope', 0)).to.equal(-1);
    expect(store.getMessageStoreTimeStamp('T', 0, 4)).to.equal(times[4]);
    expect(store.getMessageStoreTimeStamp('T', 0, 6)).to.equal(-1);
  });

  it('reports young data as in memory', async () => {
    await store.putMessage(message('T', 0, 'x'));
    expect(store.checkInDiskByConsumeOffset('T', 0, 0)).to.equal(false);
    expect(store.checkInDiskByConsumeOffset('T', 0, 5)).to.equal(false);
  });

  it('deletes topics and starts them again from offset 0', async () => {
    await store.putMessage(message('T', 0, 'x'));
    await store.putMessage(message('T', 1, 'y'));
    store.deleteTopics(['T']);
    expect(store.topics()).to.deep.equal([]);
    expect(fs.existsSync(path.join(home, 'store', 'consumequeue', 'T'))).to.equal(false);
    const again = await store.putMessage(message('T', 0, 'z'));
    expect(again.appendResult!.queueOffset).to.equal(0);
  });

  it('writes IPv6 hosts with the 0x10 / 0x20 sysFlag bits set by the store', async () => {
    const v6 = parseHostAddress('[fd00::2]:10911')!;
    const result = await store.putMessage({
      ...message('T', 0, 'v6'),
      bornHost: v6,
      storeHost: v6,
    });
    expect(result.appendResult!.msgId).to.have.length(56);
    expect(decodeMessageId(result.appendResult!.msgId)!.storeHost).to.deep.equal(v6);
    const { record } = decodeMessageRecord(store.lookMessageByOffset(result.appendResult!.physicalOffset)!, 0);
    expect(record.sysFlag & 0x30).to.equal(0x30);
    expect(record.storeHost).to.deep.equal(v6);
  });
});
