import { expect } from 'chai';
import { parseHostAddress } from '../../src/codec/message/host-address';
import { decodeMessageProperties } from '../../src/codec/message/message-properties';
import { decodeMessageRecord, type MessageRecord } from '../../src/codec/message/message-record';
import { RequestCode } from '../../src/codec/request-code';
import { ResponseCode } from '../../src/codec/response-code';
import { TIMER_TOPIC } from '../../src/broker/timer/timer-wheel-layout';
import { Cluster, pullHeader, sendHeader } from './harness';
import { props, pullRecords, sleep, until } from './message-types-support';

/** Collects everything arriving in one queue, with arrival times, by long polling. */
class QueueWatcher {
  readonly arrivals: { record: MessageRecord; atMs: number }[] = [];
  private running = true;
  private readonly loop: Promise<void>;

  constructor(
    private readonly cluster: Cluster,
    group: string,
    topic: string,
    queueId: number,
  ) {
    this.loop = this.poll(group, topic, queueId);
  }

  private async poll(group: string, topic: string, queueId: number): Promise<void> {
    let offset = 0;
    while (this.running) {
      const response = await this.cluster
        .toBroker(
          RequestCode.PULL_MESSAGE,
          pullHeader(group, topic, queueId, offset, { suspendTimeoutMillis: '1000' }),
          undefined,
          5000,
        )
        .catch(() => undefined);
      if (response?.code !== ResponseCode.SUCCESS) continue;
      const atMs = Date.now();
      for (let position = 0; position < response.body!.length; ) {
        const { record, sizeBytes } = decodeMessageRecord(response.body!, position);
        this.arrivals.push({ record, atMs });
        position += sizeBytes;
        offset = record.queueOffset + 1;
      }
    }
  }

  bodies(): string[] {
    return this.arrivals.map((arrival) => arrival.record.body.toString());
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}

describe('timer messages (delivery at any time) over real sockets', function () {
  this.timeout(30000);
  const cluster = new Cluster();
  const topic = `TIMER_${Date.now()}`;

  before(() => cluster.start());
  after(() => cluster.stop());

  async function send(queueId: number, body: string, properties: Record<string, string>, toTopic = topic) {
    const response = await cluster.toBroker(
      RequestCode.SEND_MESSAGE_V2,
      sendHeader(toTopic, queueId, props({ WAIT: 'true', ...properties })),
      Buffer.from(body),
    );
    expect(response.code, response.remark).to.equal(ResponseCode.SUCCESS);
    return response;
  }

  it('delivers in delivery-time order, each at its millisecond', async () => {
    const watcher = new QueueWatcher(cluster, 'gTimerOrder', topic, 0);
    const base = Date.now() + 400;
    const plan = [900, 300, 600, 301, 0];
    for (const [index, deltaMs] of plan.entries())
      await send(0, `m${index}`, { TIMER_DELIVER_MS: String(base + deltaMs) });
    await until('five deliveries', () => watcher.arrivals.length === 5, 5000);
    await watcher.stop();
    expect(watcher.bodies()).to.deep.equal(['m4', 'm1', 'm3', 'm2', 'm0']);
    for (const { record, atMs } of watcher.arrivals) {
      const properties = decodeMessageProperties(record.propertiesString);
      const dueMs = Number(properties.get('TIMER_OUT_MS'));
      expect(atMs - dueMs, record.body.toString()).to.be.within(-5, 250);
      expect(record.storeTimestampMs - dueMs).to.be.within(0, 100);
      expect(properties.has('TIMER_DELIVER_MS')).to.equal(false);
      expect(properties.get('REAL_TOPIC')).to.equal(topic);
    }
  });

  it('honours TIMER_DELAY_SEC and __STARTDELIVERTIME, and delivers past times at once', async () => {
    const before = cluster.broker.messageStore.getMaxOffsetInQueue(topic, 1);
    const sentAt = Date.now();
    await send(1, 'past', { __STARTDELIVERTIME: String(sentAt - 60_000) });
    expect(cluster.broker.messageStore.getMaxOffsetInQueue(topic, 1)).to.equal(before + 1);
    const [past] = await pullRecords(cluster, 'gTimer1', topic, 1, before);
    expect(decodeMessageProperties(past.propertiesString).has('__STARTDELIVERTIME')).to.equal(false);
    await send(1, 'delay-sec', { TIMER_DELAY_SEC: '1' });
    await send(1, 'start-deliver', { __STARTDELIVERTIME: String(sentAt + 700) });
    await until(
      'two timed deliveries',
      () => cluster.broker.messageStore.getMaxOffsetInQueue(topic, 1) === before + 3,
      3000,
    );
    const elapsedMs = Date.now() - sentAt;
    expect(elapsedMs).to.be.within(950, 1400);
    const records = await pullRecords(cluster, 'gTimer1', topic, 1, before + 1);
    expect(records.map((record) => record.body.toString())).to.deep.equal(['start-deliver', 'delay-sec']);
  });

  it('refuses a delivery time beyond 60 days, ignores a malformed one, lets a DELAY level win', async () => {
    const tooFar = await cluster.toBroker(
      RequestCode.SEND_MESSAGE_V2,
      sendHeader(topic, 2, props({ TIMER_DELIVER_MS: String(Date.now() + 61 * 86_400_000) })),
      Buffer.from('x'),
    );
    expect(tooFar.code).to.equal(ResponseCode.MESSAGE_ILLEGAL);
    const before = cluster.broker.messageStore.getMaxOffsetInQueue(topic, 2);
    await send(2, 'malformed', { TIMER_DELIVER_MS: 'soon' });
    expect(cluster.broker.messageStore.getMaxOffsetInQueue(topic, 2)).to.equal(before + 1);
    const schedule = cluster.broker.messageStore.getMaxOffsetInQueue('SCHEDULE_TOPIC_XXXX', 0);
    await send(2, 'level', { DELAY: '1', TIMER_DELAY_SEC: '30' });
    expect(cluster.broker.messageStore.getMaxOffsetInQueue('SCHEDULE_TOPIC_XXXX', 0)).to.equal(schedule + 1);
    const direct = await cluster.toBroker(RequestCode.SEND_MESSAGE_V2, sendHeader(TIMER_TOPIC, 0), Buffer.from('x'));
    expect(direct.code).to.equal(ResponseCode.NO_PERMISSION);
  });

  it('rolls entries of a coarse slot down and delivers them on time', async () => {
    // An entry parked in the level-1 slot of the current minute (queue 64 + minute mod 64) as if
    // it had been placed there earlier: the begun slot is rolled down to level 0.
    const dueMs = Date.now() + 800;
    const queueId = 64 + (Math.floor(dueMs / 60_000) % 64);
    const host = parseHostAddress('127.0.0.1:1')!;
    const propertiesString = props({ REAL_TOPIC: topic, REAL_QID: '3', TIMER_OUT_MS: String(dueMs), WAIT: 'true' });
    const put = await cluster.broker.messageStore.putMessage({
      topic: TIMER_TOPIC,
      queueId,
      flag: 0,
      body: Buffer.from('rolled'),
      propertiesString,
      tagsCode: 0,
      sysFlag: 0,
      bornTimestampMs: Date.now(),
      bornHost: host,
      storeHost: host,
      reconsumeTimes: 0,
      preparedTransactionOffset: 0,
    });
    expect(put.status).to.equal('PUT_OK');
    await until('the rolled delivery', () => cluster.broker.messageStore.getMaxOffsetInQueue(topic, 3) === 1, 3000);
    expect(Date.now() - dueMs).to.be.within(-5, 300);
  });

  it('refreshes records parked for long, so commit-log retention never deletes them', async () => {
    const parkedTotal = () =>
      Array.from({ length: 240 }, (_, queueId) =>
        cluster.broker.messageStore.getMaxOffsetInQueue(TIMER_TOPIC, queueId),
      ).reduce((a, b) => a + b, 0);
    const before = parkedTotal();
    await send(0, 'in-3-minutes', { TIMER_DELAY_SEC: '180' });
    expect(parkedTotal()).to.equal(before + 1);
    await sleep(20);
    cluster.broker.timerMessageService.requestRefresh(0);
    await until('the refreshed copy', () => parkedTotal() === before + 2, 3000);
    await cluster.broker.timerMessageService.idle();
    // Only the newest copy is pending now: a second pass re-appends that one, once.
    await sleep(20);
    cluster.broker.timerMessageService.requestRefresh(0);
    await until('the second copy', () => parkedTotal() === before + 3, 3000);
    await cluster.broker.timerMessageService.idle();
    await sleep(100);
    expect(parkedTotal()).to.equal(before + 3);
  });

  it('keeps parked messages across a restart and delivers them when due', async () => {
    const dueMs = Date.now() + 1500;
    const restartTopic = `${topic}_R`;
    await send(0, 'survivor', { TIMER_DELIVER_MS: String(dueMs) }, restartTopic);
    await send(0, 'overdue-after-restart', { TIMER_DELIVER_MS: String(Date.now() + 300) }, restartTopic);
    const port = cluster.broker.listenPort;
    await cluster.broker.shutdown();
    cluster.client.close(cluster.brokerAddr);
    await sleep(600);
    await cluster.startBroker({ listenPort: port });
    await until(
      'both deliveries after the restart',
      () => cluster.broker.messageStore.getMaxOffsetInQueue(restartTopic, 0) === 2,
      4000,
    );
    expect(Date.now()).to.be.at.least(dueMs - 5);
    const records = await pullRecords(cluster, 'gTimer4', restartTopic, 0, 0);
    expect(records.map((record) => record.body.toString())).to.deep.equal(['overdue-after-restart', 'survivor']);
  });
});
