// /metrics of a master with a slave (rocketmq_broker_commitlog_diff) and of the NameServer, over real sockets.
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import winston from 'winston';
import type { BrokerController } from '../../src/broker/broker-controller';
import { RequestCode } from '../../src/codec/request-code';
import { ResponseCode } from '../../src/codec/response-code';
import { createNamesrvConfig } from '../../src/namesrv/namesrv-config';
import { NamesrvController } from '../../src/namesrv/namesrv-controller';
import { until } from './consumption-support';
import { Cluster, sendHeader } from './harness';
import { httpGet, parseExposition, Scrape } from './metrics-support';

describe('/metrics: a master gives rocketmq_broker_commitlog_diff per connected slave', function () {
  this.timeout(20000);
  const cluster = new Cluster();
  const slaveHome = fs.mkdtempSync(path.join(os.tmpdir(), 'rmq-metrics-slave-'));
  let slave: BrokerController | undefined;
  const FAST_HA = { haSendHeartbeatInterval: 200, haHousekeepingInterval: 3000 };

  before(async () => {
    await cluster.start(FAST_HA);
    await cluster.broker.startMetricsServer(0);
    slave = await cluster.newBroker(slaveHome, { brokerId: 1, brokerRole: 'SLAVE', ...FAST_HA });
  });
  after(async () => {
    await slave?.shutdown();
    await cluster.stop();
    fs.rmSync(slaveHome, { recursive: true, force: true });
  });

  it("is the master's max offset minus what the slave acknowledged: 0 once it caught up", async () => {
    const topic = `METRICS_HA_${Date.now()}`;
    for (let i = 0; i < 5; i++)
      expect(
        (await cluster.toBroker(RequestCode.SEND_MESSAGE_V2, sendHeader(topic, 0), Buffer.from(`ha-${i}`))).code,
      ).to.equal(ResponseCode.SUCCESS);
    const url = `http://127.0.0.1:${cluster.broker.metricsServer!.port}/metrics`;
    const masterMax = cluster.broker.messageStore.getMaxPhyOffset();
    await until(
      'the slave to acknowledge everything',
      () => slave!.messageStore.getMaxPhyOffset() === masterMax,
      10_000,
    );
    let diff = new Scrape([]).all('none');
    for (let tries = 0; tries < 100; tries++) {
      diff = new Scrape(parseExposition((await httpGet(url)).body)).all('rocketmq_broker_commitlog_diff');
      if (diff.length === 1 && diff[0].value === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(diff).to.have.length(1);
    expect(diff[0].value).to.equal(0);
    expect(diff[0].labels.map(([name]) => name)).to.deep.equal(['cluster', 'brokerIP', 'broker']);
    expect(diff[0].labels[1][1]).to.match(/^127\.0\.0\.1:\d+$/);
    const [ack] = cluster.broker.messageStore.ha.slaveAckOffsets();
    expect(ack.slaveAckOffset).to.equal(masterMax);
  });
});

describe('/metrics on the NameServer: clusters, brokers, topics and process metrics', function () {
  this.timeout(20000);
  const cluster = new Cluster();

  before(async () => {
    await cluster.start();
    await cluster.namesrv.startMetricsServer(0);
  });
  after(() => cluster.stop());

  it("counts the registered broker and the routes, with the broker's last registration time", async () => {
    const answer = await httpGet(`http://127.0.0.1:${cluster.namesrv.metricsServer!.port}/metrics`);
    expect(answer.status).to.equal(200);
    const page = new Scrape(parseExposition(answer.body));
    expect(page.value('rocketmq_namesrv_cluster_number')).to.equal(1);
    expect(page.value('rocketmq_namesrv_broker_number', { cluster: 'DefaultCluster' })).to.equal(1);
    expect(page.value('rocketmq_namesrv_topic_number')).to.equal(cluster.namesrv.routeInfoManager.topicQueueTable.size);
    const last = page.one('rocketmq_namesrv_broker_last_update_timestamp');
    expect(last.labels).to.deep.equal([
      ['cluster', 'DefaultCluster'],
      ['broker', 'broker-a'],
      ['brokerId', '0'],
      ['brokerAddr', cluster.brokerAddr],
    ]);
    expect(last.value).to.equal(
      cluster.namesrv.routeInfoManager.brokerLiveTable.get(cluster.brokerAddr)!.lastUpdateTimestampMs,
    );
    // prom-client's CPU counter counts from its own creation, so a scrape right after start may read 0
    expect(page.value('process_cpu_user_seconds_total')).to.be.at.least(0);
    expect(page.value('process_resident_memory_bytes')).to.be.greaterThan(1024 * 1024);
  });

  it('stops the endpoint with the NameServer', async () => {
    const url = `http://127.0.0.1:${cluster.namesrv.metricsServer!.port}/metrics`;
    const other = new NamesrvController(
      createNamesrvConfig({
        listenPort: 0,
        metricsPort: Number(new URL(url).port),
        kvConfigPath: path.join(cluster.home, 'other', 'kv.json'),
        configStorePath: path.join(cluster.home, 'other', 'n.properties'),
      }),
      { logger: winston.createLogger({ silent: true }) },
    );
    let failure: Error | undefined;
    await other.start().catch((error: Error) => (failure = error));
    expect(failure?.message).to.match(
      /^metrics endpoint cannot listen on 127\.0\.0\.1:\d+ \(metricsHost\/metricsPort\): listen EADDRINUSE/,
    );
    await cluster.namesrv.shutdown();
    expect(cluster.namesrv.metricsServer).to.equal(undefined);
    await httpGet(url).then(
      () => expect.fail('still listening'),
      (error: Error) => expect(error.message).to.match(/ECONNREFUSED/),
    );
  });
});
