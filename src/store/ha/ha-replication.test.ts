import { expect } from 'chai';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { DefaultMessageStore } from '../message-store';
import type { MessageStoreConfig } from '../message-store-config';
import { PutMessageStatus } from '../put-message-status';
import { message, openStore, tempStoreHome, testConfig } from '../store-test-helpers';
import { allocTransfer, encodeReport } from './ha-protocol';

/** Polls every 10 ms for at most `timeoutMs`. */
async function waitFor(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function commitLogFiles(config: MessageStoreConfig): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const name of fs.readdirSync(config.storePathCommitLog).sort())
    files.set(name, fs.readFileSync(path.join(config.storePathCommitLog, name)));
  return files;
}

const FAST_HA: Partial<MessageStoreConfig> = {
  haListenPort: 0,
  haSendHeartbeatInterval: 200,
  haHousekeepingInterval: 2000,
};

describe('HA replication between two stores (master -> slave over the Java 4.7.1 HA protocol)', function () {
  this.timeout(30_000);
  const homes: string[] = [];
  const stores: DefaultMessageStore[] = [];

  async function open(overrides: Partial<MessageStoreConfig>, home = tempStoreHome()): Promise<DefaultMessageStore> {
    if (!homes.includes(home)) homes.push(home);
    const store = openStore(testConfig(home, { ...FAST_HA, ...overrides }));
    await store.ha.start('127.0.0.1');
    stores.push(store);
    return store;
  }

  function follow(slave: DefaultMessageStore, master: DefaultMessageStore): void {
    slave.ha.updateMasterAddress(`127.0.0.1:${master.ha.port}`);
  }

  async function putMany(store: DefaultMessageStore, count: number, from = 0): Promise<void> {
    for (let i = from; i < from + count; i++) {
      const result = await store.putMessage(
        message('T', i % 3, `body-${i}-${'x'.repeat(200 + (i % 700))}`, `tag${i % 2}`, `KEYS\u0001key-${i}\u0002`),
      );
      expect(result.status).to.equal(PutMessageStatus.PUT_OK);
    }
  }

  afterEach(() => {
    for (const store of stores.splice(0)) store.shutdown();
    for (const home of homes.splice(0)) fs.rmSync(home, { recursive: true, force: true });
  });

  it('copies the commit log byte for byte, across segments, and the slave serves pulls and key queries', async () => {
    const master = await open({});
    const slave = await open({ brokerRole: 'SLAVE' });
    follow(slave, master);
    await putMany(master, 400);
    await waitFor('the slave to catch up', () => slave.getMaxPhyOffset() === master.getMaxPhyOffset());
    expect(master.getMaxPhyOffset()).to.be.greaterThan(3 * master.config.mappedFileSizeCommitLog);
    expect(commitLogFiles(slave.config)).to.deep.equal(commitLogFiles(master.config));
    for (const queueId of [0, 1, 2]) {
      expect(slave.getMaxOffsetInQueue('T', queueId)).to.equal(master.getMaxOffsetInQueue('T', queueId));
      const fromSlave = slave.getMessage('g', 'T', queueId, 10, 8);
      expect(fromSlave.messageBuffers).to.deep.equal(master.getMessage('g', 'T', queueId, 10, 8).messageBuffers);
    }
    await waitFor(
      'the index',
      () => slave.queryMessage('T', 'key-399', 5, 0, Date.now() + 1000).messageBuffers.length === 1,
    );
    expect(master.ha.connectionCount).to.equal(1);
    expect(master.ha.slaveFallBehindMuch()).to.equal(0);
  });

  it("starts an empty slave at the beginning of the master's last segment (Java's rule), reading cold bytes off the loop", async () => {
    const master = await open({ accessMessageInMemoryMaxRatio: 0 }); // nothing is "hot": every frame is read on the thread pool
    await putMany(master, 300);
    const segmentSize = master.config.mappedFileSizeCommitLog;
    const lastSegment = master.getMaxPhyOffset() - (master.getMaxPhyOffset() % segmentSize);
    expect(lastSegment).to.be.greaterThan(0);
    const slave = await open({ brokerRole: 'SLAVE' });
    follow(slave, master);
    await waitFor('the slave to catch up', () => slave.getMaxPhyOffset() === master.getMaxPhyOffset());
    const slaveFiles = commitLogFiles(slave.config);
    const masterFiles = commitLogFiles(master.config);
    expect([...slaveFiles.keys()]).to.deep.equal([String(lastSegment).padStart(20, '0')]);
    expect(slaveFiles.get(String(lastSegment).padStart(20, '0'))).to.deep.equal(
      masterFiles.get(String(lastSegment).padStart(20, '0')),
    );
    expect(slave.getMinPhyOffset()).to.equal(lastSegment);
    // Queues start where the slave's log starts: a pull below answers OFFSET_TOO_SMALL (kept offset on a slave).
    expect(slave.getMaxOffsetInQueue('T', 0)).to.equal(master.getMaxOffsetInQueue('T', 0));
    expect(slave.getMinOffsetInQueue('T', 0)).to.be.greaterThan(0);
    expect(slave.getMessage('g', 'T', 0, 0, 4)).to.include({ status: 'OFFSET_TOO_SMALL', nextBeginOffset: 0 });
  });

  it('refuses puts on a slave with SERVICE_NOT_AVAILABLE', async () => {
    const slave = await open({ brokerRole: 'SLAVE' });
    expect((await slave.putMessage(message('T', 0, 'x'))).status).to.equal(PutMessageStatus.SERVICE_NOT_AVAILABLE);
  });

  // SLAVE_NOT_AVAILABLE without a slave, PUT_OK once the slave has the bytes, FLUSH_SLAVE_TIMEOUT when it never does.
  it('SYNC_MASTER: the put status follows the slave', async () => {
    const master = await open({ brokerRole: 'SYNC_MASTER', syncFlushTimeout: 400 });
    const alone = await master.putMessage(message('T', 0, 'alone'));
    expect(alone.status).to.equal(PutMessageStatus.SLAVE_NOT_AVAILABLE);
    expect(alone.appendResult?.queueOffset).to.equal(0);
    // The broker's own puts (Java WAIT=false: redeliveries, send-backs, transaction records) never wait.
    expect((await master.putMessage({ ...message('T', 0, 'internal'), brokerInternal: true })).status).to.equal(
      PutMessageStatus.PUT_OK,
    );
    expect((await master.putMessage(message('T', 0, 'no wait', undefined, 'WAIT\u0001false\u0002'))).status).to.equal(
      PutMessageStatus.PUT_OK,
    );
    const slave = await open({ brokerRole: 'SLAVE' });
    follow(slave, master);
    await waitFor(
      'the slave to connect',
      () => master.ha.connectionCount === 1 && master.ha.push2SlaveMaxOffsetValue > 0,
    );
    const results = await Promise.all([1, 2, 3].map((i) => master.putMessage(message('T', 0, `synced-${i}`))));
    expect(results.map((result) => result.status)).to.deep.equal(['PUT_OK', 'PUT_OK', 'PUT_OK']);
    expect(slave.getMaxPhyOffset()).to.be.at.least(
      results[2].appendResult!.physicalOffset + results[2].appendResult!.wroteBytes,
    );
    // A "slave" that reports once and then never acknowledges again.
    slave.shutdown();
    stores.splice(stores.indexOf(slave), 1);
    await waitFor('the slave to go', () => master.ha.connectionCount === 0);
    const mute = net.connect({ host: '127.0.0.1', port: master.ha.port });
    mute.on('data', () => undefined);
    mute.on('error', () => undefined);
    await new Promise((resolve) => mute.once('connect', resolve));
    mute.write(encodeReport(master.getMaxPhyOffset()));
    await waitFor('the mute slave', () => master.ha.connectionCount === 1);
    const startedMs = Date.now();
    const late = await master.putMessage(message('T', 0, 'never acknowledged'));
    expect(late.status).to.equal(PutMessageStatus.FLUSH_SLAVE_TIMEOUT);
    expect(Date.now() - startedMs).to.be.within(350, 2000);
    expect(late.appendResult?.queueOffset).to.equal(6);
    mute.destroy();
  });

  it("SYNC_MASTER with SYNC_FLUSH: a send waits for the disk and the slave; the slave's status wins", async () => {
    const master = await open({ brokerRole: 'SYNC_MASTER', flushDiskType: 'SYNC_FLUSH' });
    expect((await master.putMessage(message('T', 0, 'alone'))).status).to.equal(PutMessageStatus.SLAVE_NOT_AVAILABLE);
    const slave = await open({ brokerRole: 'SLAVE', flushDiskType: 'SYNC_FLUSH' });
    follow(slave, master);
    await waitFor('the slave to connect', () => master.ha.push2SlaveMaxOffsetValue === master.getMaxPhyOffset());
    const results = await Promise.all([1, 2, 3, 4].map((i) => master.putMessage(message('T', i % 2, `both-${i}`))));
    expect(results.map((result) => result.status)).to.deep.equal(['PUT_OK', 'PUT_OK', 'PUT_OK', 'PUT_OK']);
    expect(master.getMaxOffsetInQueue('T', 0)).to.equal(3);
    await waitFor('the slave', () => slave.getMaxOffsetInQueue('T', 0) === 3);
  });

  /** A master that answers the first report with one frame: the master's log from 0 to `endOffset`. */
  async function partialMaster(master: DefaultMessageStore, endOffset: number): Promise<net.Server> {
    const bytes =
      master.lookMessageByOffset(0) === null
        ? Buffer.alloc(0)
        : fs.readFileSync(path.join(master.config.storePathCommitLog, '00000000000000000000')).subarray(0, endOffset);
    const server = net.createServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () => {
        const frame = allocTransfer(0, bytes.length);
        bytes.copy(frame, 12);
        socket.write(frame);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return server;
  }

  for (const how of ['clean', 'kill'] as const) {
    // Its log ends inside a record's properties.
    it(`a slave stopped (${how}) mid-record refetches that record and ends byte-identical`, async () => {
      const master = await open({});
      await putMany(master, 20);
      const lastRecordEnd = master.getMaxPhyOffset();
      await putMany(master, 5, 20);
      const slaveHome = tempStoreHome();
      let slave = await open({ brokerRole: 'SLAVE' }, slaveHome);
      // The frame ends 3 bytes before the end of record 19: inside its properties (KEYS), past its body.
      const fake = await partialMaster(master, lastRecordEnd - 3);
      slave.ha.updateMasterAddress(`127.0.0.1:${(fake.address() as net.AddressInfo).port}`);
      await waitFor('the partial frame', () => slave.getMaxPhyOffset() === lastRecordEnd - 3);
      expect(slave.getMaxOffsetInQueue('T', 19 % 3)).to.equal(Math.floor(19 / 3)); // record 19 not dispatched
      if (how === 'clean') slave.shutdown();
      else slave.haltWithoutCleanup();
      stores.splice(stores.indexOf(slave), 1);
      fake.close();
      slave = await open({ brokerRole: 'SLAVE' }, slaveHome);
      expect(slave.getMaxPhyOffset()).to.be.below(lastRecordEnd - 3);
      follow(slave, master);
      await waitFor('the restarted slave to catch up', () => slave.getMaxPhyOffset() === master.getMaxPhyOffset());
      expect(commitLogFiles(slave.config)).to.deep.equal(commitLogFiles(master.config));
      expect(slave.getMaxOffsetInQueue('T', 1)).to.equal(master.getMaxOffsetInQueue('T', 1));
      expect(slave.getMessage('g', 'T', 1, 6, 1).messageBuffers).to.deep.equal(
        master.getMessage('g', 'T', 1, 6, 1).messageBuffers,
      );
    });
  }

  it('closes only the connection of a slave reporting an offset the master does not have', async () => {
    const master = await open({});
    await putMany(master, 10);
    const good = await open({ brokerRole: 'SLAVE' });
    follow(good, master);
    await waitFor('the good slave', () => good.getMaxPhyOffset() === master.getMaxPhyOffset());
    const liar = net.connect({ host: '127.0.0.1', port: master.ha.port });
    liar.on('error', () => undefined);
    const closed = new Promise((resolve) => liar.once('close', resolve));
    await new Promise((resolve) => liar.once('connect', resolve));
    liar.write(encodeReport(master.getMaxPhyOffset() + 1000));
    await closed;
    await putMany(master, 5, 10);
    await waitFor('the good slave to keep following', () => good.getMaxPhyOffset() === master.getMaxPhyOffset());
  });

  it('a slave drops a master that sends a frame at the wrong offset and appends nothing from it', async () => {
    const slave = await open({ brokerRole: 'SLAVE' });
    let reported = -1;
    const server = net.createServer((socket) => {
      socket.on('data', (chunk) => (reported = Number(chunk.readBigInt64BE(0))));
      socket.on('error', () => undefined);
      const frame = allocTransfer(12345, 4); // not a segment start of an empty log
      frame.write('abcd', 12);
      socket.write(frame);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const closedBySlave = new Promise<void>((resolve) =>
      server.once('connection', (socket) => socket.once('close', () => resolve())),
    );
    slave.ha.updateMasterAddress(`127.0.0.1:${(server.address() as net.AddressInfo).port}`);
    await closedBySlave;
    expect(reported).to.equal(0);
    expect(slave.getMaxPhyOffset()).to.equal(0);
    expect(
      fs.existsSync(slave.config.storePathCommitLog) ? fs.readdirSync(slave.config.storePathCommitLog) : [],
    ).to.deep.equal([]);
    server.close();
  });
});
