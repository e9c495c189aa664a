// /metrics over real sockets: a known workload (N sends, M consumed by a group, one send-back)
// and the exporter-named families say exactly so, with the exporter's label names and order.
import { expect } from 'chai';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { decodeMessageId } from '../../src/codec/message/message-id';
import { createResponseCommand } from '../../src/codec/remoting-command';
import { RequestCode } from '../../src/codec/request-code';
import { ResponseCode } from '../../src/codec/response-code';
import { FakeConsumer } from './consumption-support';
import { Cluster, pullHeader, sendHeader } from './harness';
import { EXPORTER_NAMES, httpGet, parseExposition, Scrape } from './metrics-support';

const N = 10;
const M = 6;
const GROUP = 'cgMetrics';

describe('/metrics: rocketmq-exporter families from a known workload', function () {
  this.timeout(20000);
  const cluster = new Cluster();
  const topic = `METRICS_${Date.now()}`;
  let consumer: FakeConsumer;
  let url: string;
  let firstSendMs: number;

  const scrape = async (): Promise<Scrape> => {
    const answer = await httpGet(url);
    expect(answer.status).to.equal(200);
    return new Scrape(parseExposition(answer.body));
  };

  before(async () => {
    await cluster.start();
    await cluster.broker.startMetricsServer(0);
    url = `http://127.0.0.1:${cluster.broker.metricsServer!.port}/metrics`;
    firstSendMs = Date.now();
    // N equal-sized messages: M on queue 0 (consumed), the rest on queue 1 (not consumed).
    for (let i = 0; i < N; i++) {
      const sent = await cluster.toBroker(
        RequestCode.SEND_MESSAGE_V2,
        sendHeader(topic, i < M ? 0 : 1),
        Buffer.from(`body-${i % 10}`),
      );
      expect(sent.code, sent.remark).to.equal(ResponseCode.SUCCESS);
    }
    consumer = new FakeConsumer('127.0.0.1@metrics', cluster.brokerAddr);
    // A scrape asks every consumer for its running info: answer at once (no status yet).
    consumer.answers.set(RequestCode.GET_CONSUMER_RUNNING_INFO, (request) =>
      createResponseCommand(request, ResponseCode.SUCCESS, { body: Buffer.from('{"statusTable":{}}') }),
    );
    expect((await consumer.heartbeat(GROUP, [{ topic }, { topic: `%RETRY%${GROUP}` }])).code).to.equal(
      ResponseCode.SUCCESS,
    );
    const pulled = await cluster.toBroker(
      RequestCode.PULL_MESSAGE,
      pullHeader(GROUP, topic, 0, 0, { maxMsgNums: String(M) }),
    );
    expect(pulled.code, pulled.remark).to.equal(ResponseCode.SUCCESS);
    const commit = await cluster.toBroker(RequestCode.UPDATE_CONSUMER_OFFSET, {
      consumerGroup: GROUP,
      topic,
      queueId: '0',
      commitOffset: String(M),
    });
    expect(commit.code).to.equal(ResponseCode.SUCCESS);
    // One tick of the minute windows (every 10 s in a running broker): tps = count / 10 s.
    cluster.broker.brokerStatsManager.samplingInSeconds();
  });
  after(async () => {
    consumer?.close();
    await cluster.stop();
  });

  it('gives broker, producer and consumer rates as the exporter computes them (minute tps, two decimals)', async () => {
    const page = await scrape();
    const brokerLabels = { cluster: 'DefaultCluster', brokerIP: cluster.brokerAddr, broker: 'broker-a' };
    expect(page.value('rocketmq_broker_tps', brokerLabels)).to.equal(N / 10);
    expect(page.value('rocketmq_broker_qps', brokerLabels)).to.equal(M / 10);
    expect(page.one('rocketmq_broker_tps').labels.map(([name]) => name)).to.deep.equal([
      'cluster',
      'brokerIP',
      'broker',
    ]);
    const topicLabels = { cluster: 'DefaultCluster', broker: 'broker-a', topic };
    expect(page.value('rocketmq_producer_tps', topicLabels)).to.equal(N / 10);
    expect(page.one('rocketmq_producer_tps', topicLabels).labels.map(([name]) => name)).to.deep.equal([
      'cluster',
      'broker',
      'topic',
    ]);
    const groupLabels = { ...topicLabels, group: GROUP };
    expect(page.value('rocketmq_consumer_tps', groupLabels)).to.equal(M / 10);
    expect(page.one('rocketmq_consumer_tps', groupLabels).labels.map(([name]) => name)).to.deep.equal([
      'cluster',
      'broker',
      'topic',
      'group',
    ]);
    // Sizes: the N records are all the commit log holds, and are equal-sized.
    const commitLogBytes = page.value('rocketmq_brokeruntime_commitlog_maxoffset');
    expect(page.value('rocketmq_throughput_in_total', { topic })).to.equal(commitLogBytes);
    expect(page.value('rocketmq_producer_message_size', topicLabels)).to.equal(
      Math.round((commitLogBytes / 10) * 100) / 100,
    );
    expect(page.value('rocketmq_producer_put_size', topicLabels)).to.equal(
      page.value('rocketmq_producer_message_size', topicLabels),
    );
    expect(page.value('rocketmq_throughput_out_total', { topic, consumer_group: GROUP })).to.equal(
      (commitLogBytes / N) * M,
    );
    expect(page.value('rocketmq_consumer_message_size', groupLabels)).to.equal(
      Math.round((((commitLogBytes / N) * M) / 10) * 100) / 100,
    );
    expect(page.value('rocketmq_consumer_get_size', groupLabels)).to.equal(
      page.value('rocketmq_consumer_message_size', groupLabels),
    );
    expect(
      page.value('rocketmq_messages_in_total', {
        cluster: 'DefaultCluster',
        node_type: 'broker',
        node_id: 'broker-a',
        topic,
      }),
    ).to.equal(N);
    expect(page.value('rocketmq_messages_out_total', { topic, consumer_group: GROUP })).to.equal(M);
  });

  it("gives offsets, group diff N-M, online consumers and latency with the exporter's labels", async () => {
    const page = await scrape();
    expect(page.value('rocketmq_producer_offset', { cluster: 'DefaultCluster', broker: 'broker-a', topic })).to.equal(
      N,
    );
    const groupLabels = { cluster: 'DefaultCluster', broker: 'broker-a', topic, group: GROUP };
    expect(page.value('rocketmq_consumer_offset', groupLabels)).to.equal(M);
    const diff = page.one('rocketmq_group_diff', { group: GROUP, topic });
    expect(diff.labels).to.deep.equal([
      ['group', GROUP],
      ['topic', topic],
      ['countOfOnlineConsumers', '1'],
      ['msgModel', '1'],
    ]);
    expect(diff.value).to.equal(N - M);
    expect(page.value('rocketmq_consumer_lag_messages', { topic, consumer_group: GROUP })).to.equal(N - M);
    const count = page.one('rocketmq_group_count', { group: GROUP });
    expect(count.labels.map(([name]) => name)).to.deep.equal(['caddr', 'localaddr', 'group']);
    expect(count.labels[0][1]).to.match(/^127\.0\.0\.1:\d+$/);
    expect(count.labels[1][1]).to.equal('127.0.0.1@metrics');
    expect(count.value).to.equal(1);
    const latencyMs = page.value('rocketmq_group_get_latency_by_storetime', groupLabels);
    expect(latencyMs)
      .to.be.at.least(0)
      .and.at.most(Date.now() - firstSendMs + 1);
    expect(page.value('rocketmq_consumer_connections')).to.equal(1);
  });

  it("gives the brokeruntime_* values mqadmin brokerStatus reads, with the exporter's labels", async () => {
    const page = await scrape();
    const put = page.one('rocketmq_brokeruntime_msg_put_total_today_now');
    expect(put.value).to.equal(N);
    const labels = Object.fromEntries(put.labels);
    expect(put.labels.map(([name]) => name)).to.deep.equal([
      'cluster',
      'brokerIP',
      'brokerHost',
      'des',
      'boottime',
      'broker_version',
    ]);
    expect(labels).to.include({
      cluster: 'DefaultCluster',
      brokerIP: cluster.brokerAddr,
      brokerHost: '',
      des: 'V4_7_1',
      broker_version: '355',
    });
    expect(Number(labels.boottime)).to.equal(cluster.broker.brokerStatsManager.storeStats.bootTimestampMs);
    expect(page.value('rocketmq_brokeruntime_msg_gettotal_today_now')).to.equal(M);
    expect(page.value('rocketmq_brokeruntime_putmessage_times_total')).to.equal(N);
    expect(page.value('rocketmq_brokeruntime_put_message_size_total')).to.equal(
      page.value('rocketmq_brokeruntime_commitlog_maxoffset'),
    );
    expect(page.value('rocketmq_brokeruntime_commitlog_minoffset')).to.equal(0);
    const buckets = page.samples.filter((s) => s.name.startsWith('rocketmq_brokeruntime_pmdt_'));
    expect(buckets).to.have.length(13);
    expect(buckets.reduce((sum, s) => sum + s.value, 0)).to.equal(N);
    expect(page.value('rocketmq_brokeruntime_commitlogdir_capacity_total')).to.be.greaterThan(
      page.value('rocketmq_brokeruntime_commitlogdir_capacity_free'),
    );
    expect(page.value('rocketmq_brokeruntime_send_threadpoolqueue_capacity')).to.equal(10_000);
  });

  it('asks each connected consumer for its running info and gives rocketmq_client_* per topic', async () => {
    // As a 4.7.1 client writes ConsumerRunningInfo: MessageQueue objects as mqTable keys.
    const running =
      `{"jstack":"","mqTable":{{"brokerName":"broker-a","queueId":0,"topic":"${topic}"}:{"cachedMsgCount":0}},` +
      `"properties":{"consumeType":"CONSUME_PASSIVELY"},"statusTable":{"${topic}":{"consumeFailedMsgs":3,"consumeFailedTPS":0.5,` +
      `"consumeOKTPS":12.25,"consumeRT":4.0,"pullRT":1.5,"pullTPS":20.0}},"subscriptionSet":[]}`;
    const before = await scrape();
    expect(before.all('rocketmq_client_consume_ok_msg_tps')).to.deep.equal([]);
    consumer.answers.set(RequestCode.GET_CONSUMER_RUNNING_INFO, (request) =>
      createResponseCommand(request, ResponseCode.SUCCESS, { body: Buffer.from(running) }),
    );
    const page = await scrape();
    const asked = consumer.ofCode(RequestCode.GET_CONSUMER_RUNNING_INFO).at(-1)!;
    expect(asked.extFields).to.deep.equal({
      consumerGroup: GROUP,
      clientId: '127.0.0.1@metrics',
      jstackEnable: 'false',
    });
    const failed = page.one('rocketmq_client_consume_fail_msg_count', { group: GROUP, topic });
    expect(failed.labels.map(([name]) => name)).to.deep.equal(['clientAddr', 'clientId', 'group', 'topic']);
    expect(failed.labels[0][1]).to.equal(page.one('rocketmq_group_count', { group: GROUP }).labels[0][1]);
    expect(failed.labels[1][1]).to.equal('127.0.0.1@metrics');
    expect(failed.value).to.equal(3);
    expect(page.value('rocketmq_client_consume_fail_msg_tps', { topic })).to.equal(0.5);
    expect(page.value('rocketmq_client_consume_ok_msg_tps', { topic })).to.equal(12.25);
    expect(page.value('rocketmq_client_consume_rt', { topic })).to.equal(4);
    expect(page.value('rocketmq_client_consumer_pull_rt', { topic })).to.equal(1.5);
    expect(page.value('rocketmq_client_consumer_pull_tps', { topic })).to.equal(20);
  });

  it('gives no rocketmq_group_diff for a broadcasting group (as the exporter), but its lag beyond it', async () => {
    const broadcaster = new FakeConsumer('127.0.0.1@broadcast', cluster.brokerAddr);
    try {
      broadcaster.answers.set(RequestCode.GET_CONSUMER_RUNNING_INFO, (request) =>
        createResponseCommand(request, ResponseCode.SUCCESS, { body: Buffer.from('{}') }),
      );
      expect((await broadcaster.heartbeat('cgBroadcast', [{ topic }], 'BROADCASTING')).code).to.equal(
        ResponseCode.SUCCESS,
      );
      const page = await scrape();
      expect(page.all('rocketmq_group_diff', { group: 'cgBroadcast' })).to.deep.equal([]);
      expect(page.value('rocketmq_group_count', { group: 'cgBroadcast' })).to.equal(1);
      expect(page.value('rocketmq_consumer_lag_messages', { topic, consumer_group: 'cgBroadcast' })).to.equal(N);
      expect(page.value('rocketmq_group_diff', { group: GROUP, topic })).to.equal(N - M);
    } finally {
      broadcaster.close();
    }
  });

  it('counts a send-back to the DLQ in rocketmq_send_back_nums and rocketmq_topic_dlq_offset', async () => {
    const sent = await cluster.toBroker(RequestCode.SEND_MESSAGE_V2, sendHeader(topic, 2), Buffer.from('fails'));
    const msgId = sent.extFields!.msgId;
    const back = {
      offset: String(decodeMessageId(msgId)!.physicalOffset),
      group: GROUP,
      delayLevel: '-1',
      originMsgId: msgId,
      originTopic: topic,
      maxReconsumeTimes: '16',
    };
    expect((await cluster.toBroker(RequestCode.CONSUMER_SEND_MSG_BACK, back)).code).to.equal(ResponseCode.SUCCESS);
    cluster.broker.brokerStatsManager.samplingInSeconds();
    const page = await scrape();
    expect(
      page.value('rocketmq_send_back_nums', { cluster: 'DefaultCluster', broker: 'broker-a', topic, group: GROUP }),
    ).to.equal(1);
    expect(page.one('rocketmq_topic_dlq_offset', { group: GROUP }).labels).to.deep.equal([
      ['cluster', 'DefaultCluster'],
      ['broker', 'broker-a'],
      ['group', GROUP],
    ]);
    expect(page.value('rocketmq_topic_dlq_offset', { group: GROUP })).to.equal(1);
    expect(page.value('rocketmq_producer_offset', { topic })).to.equal(N + 1);
    expect(page.value('rocketmq_group_diff', { group: GROUP, topic })).to.equal(N + 1 - M);
  });
});

/** A port that was free a moment ago (the broker's metricsPort must be a real port to turn /metrics on). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('/metrics: configuration, the page and the process metrics', function () {
  this.timeout(20000);
  const cluster = new Cluster();
  let url: string;

  before(async () => {
    const port = await freePort();
    await cluster.start({ metricsPort: port });
    url = `http://127.0.0.1:${port}/metrics`;
  });
  after(() => cluster.stop());

  it('serves metricsPort from the broker config, and is off without it', async () => {
    expect(cluster.broker.metricsServer?.port).to.equal(Number(new URL(url).port));
    const off = await cluster.newBroker(fs.mkdtempSync(path.join(os.tmpdir(), 'rmq-metrics-off-')));
    try {
      expect(off.brokerConfig.metricsPort).to.equal(0);
      expect(off.metricsServer).to.equal(undefined);
    } finally {
      await off.shutdown();
    }
  });

  it('refuses a metricsPort out of range before starting anything', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rmq-metrics-bad-'));
    let failure: Error | undefined;
    await cluster.newBroker(home, { metricsPort: 70000 }).catch((error: Error) => (failure = error));
    expect(failure?.message).to.equal('metricsPort=70000: must be 0 (off) or a port number 1..65535');
  });

  it("answers the Prometheus text format with every exporter family and prom-client's process metrics", async () => {
    const answer = await httpGet(url);
    expect(answer.status).to.equal(200);
    expect(answer.contentType).to.equal('text/plain; version=0.0.4; charset=utf-8');
    const typed = new Set([...answer.body.matchAll(/^# TYPE (\S+) (\w+)$/gm)].map((m) => m[1]));
    for (const name of EXPORTER_NAMES) expect(typed, name).to.include(name);
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(typed, name).to.include(name);
    }
    const page = new Scrape(parseExposition(answer.body));
    expect(page.value('rocketmq_broker_tps')).to.equal(0);
    expect(page.value('rocketmq_topic_number')).to.equal(cluster.broker.topicConfigManager.topicConfigTable.size);
  });

  it('answers 404 off /metrics and 405 for another method', async () => {
    expect((await httpGet(url.replace('/metrics', '/'))).status).to.equal(404);
    expect((await httpGet(url, 'POST')).status).to.equal(405);
    const head = await httpGet(url, 'HEAD');
    expect(head.status).to.equal(200);
    expect(head.body).to.equal('');
  });
});
