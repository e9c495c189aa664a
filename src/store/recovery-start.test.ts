import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PutMessageStatus } from './message-store';
import { message, useTempStore } from './store-test-helpers';

// Where recovery starts checking the commit log: the durable offset our checkpoint records,
// or Java's segment rule when that cannot be trusted.
describe('DefaultMessageStore recovery start', () => {
  const fx = useTempStore({
    mappedFileSizeCommitLog: 4096,
    flushIntervalCommitLog: 3600000,
    flushIntervalConsumeQueue: 3600000,
  });
  const offsets: number[] = [];
  const checkpointPath = () => path.join(fx.config().storePathRootDir, 'checkpoint');

  async function write(from: number, to: number): Promise<void> {
    for (let i = from; i < to; i++) {
      const result = await fx.store.putMessage(message('T', i % 3, `m${i}-${'x'.repeat(i % 40)}`));
      expect(result.status).to.equal(PutMessageStatus.PUT_OK);
      offsets[i] = result.appendResult!.physicalOffset;
    }
  }

  function expectAll(count: number): void {
    let total = 0;
    for (let queueId = 0; queueId < 3; queueId++) total += fx.store.getMaxOffsetInQueue('T', queueId);
    expect(total).to.equal(count);
    expect(fx.store.getMaxPhyOffset()).to.be.greaterThan(offsets[count - 1]);
    expect(fx.store.lookMessageByOffset(offsets[count - 1])).to.not.equal(null);
  }

  it('checks nothing after a clean shutdown', async () => {
    await write(0, 100);
    const end = fx.store.getMaxPhyOffset();
    fx.reopen('clean');
    expect(fx.store.recovery).to.include({ lastExitOk: true, checkedFromPhysicalOffset: end, endPhysicalOffset: end });
    expectAll(100);
  });

  it('after a crash checks only what was written since the last checkpoint', async () => {
    await write(0, 100);
    await fx.store.flush();
    await write(100, 130);
    fx.reopen('kill');
    expect(fx.store.recovery).to.include({ lastExitOk: false, checkedFromPhysicalOffset: offsets[100] });
    expectAll(130);
  });

  it('after a crash and a recovery without new writes, the next crash checks nothing', async () => {
    await write(0, 50);
    fx.reopen('kill'); // nothing flushed: the first recovery checks from segment 0
    expect(fx.store.recovery!.checkedFromPhysicalOffset).to.equal(0);
    const end = fx.store.getMaxPhyOffset();
    await fx.store.flush(); // one checkpoint pass, no new message
    fx.reopen('kill');
    expect(fx.store.recovery).to.include({ checkedFromPhysicalOffset: end, endPhysicalOffset: end });
    expectAll(50);
  });

  it("falls back to Java's segment rule once a Java broker has written the checkpoint", async () => {
    await write(0, 100);
    await fx.store.flush();
    fx.close('kill');
    const page = fs.readFileSync(checkpointPath());
    page.writeBigInt64BE(page.readBigInt64BE(0) + 1n, 0); // Java's flush moved physicMsgTimestamp
    fs.writeFileSync(checkpointPath(), page);
    fx.open();
    expect(fx.store.recovery!.checkedFromPhysicalOffset % fx.config().mappedFileSizeCommitLog).to.equal(0);
    expect(fx.store.recovery!.checkedFromPhysicalOffset).to.be.lessThan(offsets[99]);
    expectAll(100);
  });

  it("falls back to Java's segment rule when the recorded offset is not a record boundary", async () => {
    await write(0, 100);
    await fx.store.flush();
    fx.close('kill');
    const page = fs.readFileSync(checkpointPath());
    page.writeBigInt64BE(BigInt(offsets[50] + 3), 48);
    page.writeBigInt64BE(BigInt(offsets[50] + 3), 56);
    fs.writeFileSync(checkpointPath(), page);
    fx.open();
    expect(fx.store.recovery!.checkedFromPhysicalOffset % fx.config().mappedFileSizeCommitLog).to.equal(0);
    expectAll(100);
  });

  it('rebuilds consume queues deleted after a clean shutdown (Java reput rule)', async () => {
    await write(0, 100);
    fx.close('clean');
    fs.rmSync(path.join(fx.config().storePathRootDir, 'consumequeue'), { recursive: true });
    fx.open();
    expect(fx.store.recovery!.checkedFromPhysicalOffset).to.equal(0);
    expectAll(100);
  });

  it('keeps the Java checkpoint fields where Java reads them', async () => {
    await write(0, 10);
    fx.close('clean');
    const page = fs.readFileSync(checkpointPath());
    expect(page.length).to.equal(4096);
    const segment = fs.readFileSync(path.join(fx.config().storePathCommitLog, '00000000000000000000'));
    const storeTimestamp = segment.readBigInt64BE(offsets[9] + 56); // STORETIMESTAMP (IPv4)
    expect(page.readBigInt64BE(0)).to.equal(storeTimestamp); // physicMsgTimestamp
    expect(page.readBigInt64BE(8)).to.equal(storeTimestamp); // logicsMsgTimestamp
    expect(page.subarray(24, 32).toString('latin1')).to.equal('RMQTSCP1');
  });
});
