import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import { DefaultMessageStore, PutMessageStatus } from './message-store';
import { MessageStoreConfig } from './message-store-config';
import { message, openStore, tempStoreHome, testConfig } from './store-test-helpers';

// Where recovery starts checking the commit log: the durable offset our checkpoint records,
// or Java's segment rule when that cannot be trusted.
describe('DefaultMessageStore recovery start', () => {
  let home: string;
  let config: MessageStoreConfig;
  let store: DefaultMessageStore;
  const offsets: number[] = [];
  const checkpointPath = () => path.join(config.storePathRootDir, 'checkpoint');

  async function write(from: number, to: number): Promise<void> {
    for (let i = from; i < to; i++) {
      const result = await store.putMessage(message('T', i % 3, `m${i}-${'x'.repeat(i % 40)}`));
      expect(result.status).to.equal(PutMessageStatus.PUT_OK);
      offsets[i] = result.appendResult!.physicalOffset;
    }
  }

  function expectAll(count: number): void {
    let total = 0;
    for (let queueId = 0; queueId < 3; queueId++) total += store.getMaxOffsetInQueue('T', queueId);
    expect(total).to.equal(count);
    expect(store.getMaxPhyOffset()).to.be.greaterThan(offsets[count - 1]);
    expect(store.lookMessageByOffset(offsets[count - 1])).to.not.equal(null);
  }

  beforeEach(() => {
    home = tempStoreHome();
    config = testConfig(home, {
      mappedFileSizeCommitLog: 4096,
      flushIntervalCommitLog: 3600000,
      flushIntervalConsumeQueue: 3600000,
    });
    store = openStore(config);
  });
  afterEach(() => {
    store.shutdown();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('checks nothing after a clean shutdown', async () => {
    await write(0, 100);
    const end = store.getMaxPhyOffset();
    store.shutdown();
    store = openStore(config);
    expect(store.recovery).to.include({ lastExitOk: true, checkedFromPhysicalOffset: end, endPhysicalOffset: end });
    expectAll(100);
  });

  it('after a crash checks only what was written since the last checkpoint', async () => {
    await write(0, 100);
    await store.flush();
    await write(100, 130);
    store.haltWithoutCleanup();
    store = openStore(config);
    expect(store.recovery).to.include({ lastExitOk: false, checkedFromPhysicalOffset: offsets[100] });
    expectAll(130);
  });

  it('after a crash and a recovery without new writes, the next crash checks nothing', async () => {
    await write(0, 50);
    store.haltWithoutCleanup(); // nothing flushed: the first recovery checks from segment 0
    store = openStore(config);
    expect(store.recovery!.checkedFromPhysicalOffset).to.equal(0);
    const end = store.getMaxPhyOffset();
    await store.flush(); // one checkpoint pass, no new message
    store.haltWithoutCleanup();
    store = openStore(config);
    expect(store.recovery).to.include({ checkedFromPhysicalOffset: end, endPhysicalOffset: end });
    expectAll(50);
  });

  it("falls back to Java's segment rule once a Java broker has written the checkpoint", async () => {
    await write(0, 100);
    await store.flush();
    store.haltWithoutCleanup();
    const page = fs.readFileSync(checkpointPath());
    page.writeBigInt64BE(page.readBigInt64BE(0) + 1n, 0); // Java's flush moved physicMsgTimestamp
    fs.writeFileSync(checkpointPath(), page);
    store = openStore(config);
    expect(store.recovery!.checkedFromPhysicalOffset % config.mappedFileSizeCommitLog).to.equal(0);
    expect(store.recovery!.checkedFromPhysicalOffset).to.be.lessThan(offsets[99]);
    expectAll(100);
  });

  it("falls back to Java's segment rule when the recorded offset is not a record boundary", async () => {
    await write(0, 100);
    await store.flush();
    store.haltWithoutCleanup();
    const page = fs.readFileSync(checkpointPath());
    page.writeBigInt64BE(BigInt(offsets[50] + 3), 48);
    page.writeBigInt64BE(BigInt(offsets[50] + 3), 56);
    fs.writeFileSync(checkpointPath(), page);
    store = openStore(config);
    expect(store.recovery!.checkedFromPhysicalOffset % config.mappedFileSizeCommitLog).to.equal(0);
    expectAll(100);
  });

  it('rebuilds consume queues deleted after a clean shutdown (Java reput rule)', async () => {
    await write(0, 100);
    store.shutdown();
    fs.rmSync(path.join(config.storePathRootDir, 'consumequeue'), { recursive: true });
    store = openStore(config);
    expect(store.recovery!.checkedFromPhysicalOffset).to.equal(0);
    expectAll(100);
  });

  it('keeps the Java checkpoint fields where Java reads them', async () => {
    await write(0, 10);
    store.shutdown();
    const page = fs.readFileSync(checkpointPath());
    expect(page.length).to.equal(4096);
    const segment = fs.readFileSync(path.join(config.storePathCommitLog, '00000000000000000000'));
    const storeTimestamp = segment.readBigInt64BE(offsets[9] + 56); // STORETIMESTAMP (IPv4)
    expect(page.readBigInt64BE(0)).to.equal(storeTimestamp); // physicMsgTimestamp
    expect(page.readBigInt64BE(8)).to.equal(storeTimestamp); // logicsMsgTimestamp
    expect(page.subarray(24, 32).toString('latin1')).to.equal('RMQTSCP1');
  });
});
