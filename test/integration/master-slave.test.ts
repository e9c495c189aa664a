// A master and a slave in this process on one NameServer: replication, reads from the slave,
// the slave's refusals and table sync, and SYNC_MASTER answers while the slave comes and goes.
import { expect } from 'chai';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { BrokerController } from '../../src/broker/broker-controller';
import { parseFastjson } from '../../src/codec/fastjson-parse';
import { RequestCode } from '../../src/codec/request-code';
import { ResponseCode } from '../../src/codec/response-code';
import { encodeReport } from '../../src/store/ha/ha-protocol';
import { Cluster, pullHeader, sendHeader } from './harness';

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function commitLogFiles(broker: BrokerController): Map<string, Buffer> {
  const dir = broker.messageStoreConfig.storePathCommitLog;
  return new Map(
    fs
      .readdirSync(dir)
      .sort()
      .map((name) => [name, fs.readFileSync(path.join(dir, name))]),
  );
}

function addressOf(broker: BrokerController): string {
  return `127.0.0.1:${broker.listenPort}`;
}

const SLAVE = { brokerId: 1, brokerRole: 'SLAVE' };

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free port p with p - 2 (VIP) free too, picked at random in 20000-31999 (at most 200 tries). */
async function freeBrokerPort(): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    if ((await canListen(port)) && (await canListen(port - 2))) return port;
  }
  throw new Error('no free broker port');
}
/** Short HA intervals; nothing counts as "in memory" (so the master suggests the slave to laggards). */
const FAST_HA = { haSendHeartbeatInterval: 500, haHousekeepingInterval: 3000, accessMessageInMemoryMaxRatio: 0 };

describe('master and slave brokers over real sockets', function () {
  this.timeout(60_000);
  const cluster = new Cluster();
  const topic = `HA_${Date.now()}`;
  const slaveHome = fs.mkdtempSync(path.join(os.tmpdir(), 'rmq-it-slave-'));
  let slave: BrokerController | undefined;

  before(async () => {
    // A real listen port: the slave reads the master's topics on its VIP port, listenPort - 2.
    await cluster.start({ ...FAST_HA, listenPort: await freeBrokerPort(), slaveReadEnable: true });
    slave = await cluster.newBroker(slaveHome, { ...SLAVE, ...FAST_HA });
  });
  after(async () => {
    await slave?.shutdown();
    await cluster.stop();
    fs.rmSync(slaveHome, { recursive: true, force: true });
  });

  const send = (body: string, queueId = 0, address = cluster.brokerAddr) =>
    cluster.request(address, RequestCode.SEND_MESSAGE_V2, sendHeader(topic, queueId), Buffer.from(body));

  it("replicates every byte: the slave's commit log equals the master's", async () => {
    for (let i = 0; i < 200; i++)
      expect((await send(`m-${i}-${'x'.repeat(6000 + i)}`, i % 4)).code).to.equal(ResponseCode.SUCCESS);
    await waitFor(
      'the slave to catch up',
      () => slave!.messageStore.getMaxPhyOffset() === cluster.broker.messageStore.getMaxPhyOffset(),
    );
    expect(cluster.broker.messageStore.getMaxPhyOffset()).to.be.greaterThan(1024 * 1024); // two segments
    expect(commitLogFiles(slave!)).to.deep.equal(commitLogFiles(cluster.broker));
  });

  it('lists the slave in the route under its brokerId, and the NameServer told it its master', async () => {
    const route = await cluster.request(cluster.namesrvAddr, RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic });
    const brokerAddrs = (parseFastjson(route.body!) as any).brokerDatas[0].brokerAddrs;
    expect(brokerAddrs['0'] ?? brokerAddrs.get?.(0)).to.equal(cluster.brokerAddr);
    expect(brokerAddrs['1'] ?? brokerAddrs.get?.(1)).to.equal(addressOf(slave!));
    expect(slave!.messageStore.ha.client?.master).to.equal(`127.0.0.1:${cluster.broker.messageStore.ha.port}`);
    expect(slave!.slaveSynchronize.masterAddr).to.equal(cluster.brokerAddr);
    const runtime = await cluster.request(addressOf(slave!), RequestCode.GET_BROKER_RUNTIME_INFO);
    expect(runtime.code).to.equal(ResponseCode.SUCCESS);
    const table = (parseFastjson(runtime.body!) as any).table;
    expect(table.commitLogMaxOffset).to.equal(String(cluster.broker.messageStore.getMaxPhyOffset()));
  });

  it('serves pulls from the slave (topic synced from the master) and never stores their commit offsets', async () => {
    await waitFor('the topic on the slave', () => slave!.topicConfigManager.selectTopicConfig(topic) !== undefined);
    const header = { ...pullHeader('cgSlave', topic, 1, 0), sysFlag: String(0x1 | 0x4), commitOffset: '7' };
    const fromSlave = await cluster.request(addressOf(slave!), RequestCode.PULL_MESSAGE, header);
    const fromMaster = await cluster.request(cluster.brokerAddr, RequestCode.PULL_MESSAGE, {
      ...header,
      consumerGroup: 'cgMaster',
    });
    expect(fromSlave.code, fromSlave.remark).to.equal(ResponseCode.SUCCESS);
    expect(fromSlave.body).to.deep.equal(fromMaster.body);
    expect(fromSlave.extFields).to.include({
      nextBeginOffset: fromMaster.extFields!.nextBeginOffset,
      suggestWhichBrokerId: '0',
    });
    // The master (slaveReadEnable, nothing "in memory") sends a consumer that lags to the slave.
    expect(fromMaster.extFields!.suggestWhichBrokerId).to.equal('1');
    expect(slave!.consumerOffsetManager.queryOffset('cgSlave', topic, 1)).to.equal(-1);
    expect(cluster.broker.consumerOffsetManager.queryOffset('cgMaster', topic, 1)).to.equal(7);
  });

  it('keeps the asked offset on a slave pulling out of range (PULL_RETRY_IMMEDIATELY, no correction)', async () => {
    const tooFar = await cluster.request(
      addressOf(slave!),
      RequestCode.PULL_MESSAGE,
      pullHeader('cgSlave', topic, 1, 1000),
    );
    expect(tooFar.code).to.equal(ResponseCode.PULL_RETRY_IMMEDIATELY);
    expect(tooFar.extFields).to.include({ nextBeginOffset: '1000', suggestWhichBrokerId: '0' });
  });

  it('refuses sends (SERVICE_NOT_AVAILABLE) and END_TRANSACTION (SLAVE_NOT_AVAILABLE) on the slave', async () => {
    const refused = await send('to the slave', 0, addressOf(slave!));
    expect(refused.code).to.equal(ResponseCode.SERVICE_NOT_AVAILABLE);
    expect(refused.remark).to.match(/^service not available now, maybe disk full, CL: /);
    const endTransaction = await cluster.request(addressOf(slave!), RequestCode.END_TRANSACTION, {
      producerGroup: 'pg',
      tranStateTableOffset: '0',
      commitLogOffset: '0',
      commitOrRollback: '8',
      fromTransactionCheck: 'false',
      msgId: 'x',
    });
    expect([endTransaction.code, endTransaction.remark]).to.deep.equal([ResponseCode.SLAVE_NOT_AVAILABLE, undefined]);
  });

  it('copies consumer offsets and subscription groups from the master every 10 s', async () => {
    await cluster.request(cluster.brokerAddr, RequestCode.UPDATE_CONSUMER_OFFSET, {
      consumerGroup: 'cgSync',
      topic,
      queueId: '2',
      commitOffset: '5',
    });
    await waitFor(
      'the offset on the slave',
      () => slave!.consumerOffsetManager.queryOffset('cgSync', topic, 2) === 5,
      25_000,
    );
    expect(slave!.subscriptionGroupManager.findSubscriptionGroupConfig('cgMaster')).to.not.equal(undefined);
  });

  describe('SYNC_MASTER', () => {
    before(async () => {
      const update = 'brokerRole=SYNC_MASTER\nsyncFlushTimeout=800\n';
      expect(
        (await cluster.request(cluster.brokerAddr, RequestCode.UPDATE_BROKER_CONFIG, undefined, Buffer.from(update)))
          .code,
      ).to.equal(ResponseCode.SUCCESS);
    });

    it('answers a send once the slave has it', async () => {
      const sent = await send('synced');
      expect(sent.code).to.equal(ResponseCode.SUCCESS);
      const end = cluster.broker.messageStore.getMaxPhyOffset();
      expect(slave!.messageStore.getMaxPhyOffset()).to.equal(end);
    });

    // SLAVE_NOT_AVAILABLE with the slave gone, FLUSH_SLAVE_TIMEOUT with a slave that never acknowledges,
    // then SUCCESS once the slave is back.
    it('answers as the slave goes away, stops acknowledging, then comes back', async () => {
      await slave!.shutdown();
      slave = undefined;
      await waitFor('the master to notice', () => cluster.broker.messageStore.ha.connectionCount === 0);
      const alone = await send('alone');
      expect(alone.code).to.equal(ResponseCode.SLAVE_NOT_AVAILABLE);
      expect(alone.extFields).to.have.property('msgId');
      const mute = net.connect({ host: '127.0.0.1', port: cluster.broker.messageStore.ha.port });
      mute.on('error', () => undefined);
      mute.on('data', () => undefined);
      await new Promise((resolve) => mute.once('connect', resolve));
      mute.write(encodeReport(cluster.broker.messageStore.getMaxPhyOffset()));
      await waitFor('the mute slave', () => cluster.broker.messageStore.ha.connectionCount === 1);
      const startedMs = Date.now();
      const unacknowledged = await send('nobody acknowledges');
      expect(unacknowledged.code).to.equal(ResponseCode.FLUSH_SLAVE_TIMEOUT);
      expect(Date.now() - startedMs).to.be.within(700, 3000);
      mute.destroy();
      await waitFor('the mute slave to go', () => cluster.broker.messageStore.ha.connectionCount === 0);
      slave = await cluster.newBroker(slaveHome, { ...SLAVE, ...FAST_HA });
      await waitFor(
        'the slave to catch up again',
        () => slave!.messageStore.getMaxPhyOffset() === cluster.broker.messageStore.getMaxPhyOffset(),
      );
      expect((await send('back')).code).to.equal(ResponseCode.SUCCESS);
      expect(commitLogFiles(slave)).to.deep.equal(commitLogFiles(cluster.broker));
    });
  });
});
