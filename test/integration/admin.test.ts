import { expect } from 'chai';
import { type FastjsonMap, type FastjsonObject, parseFastjson } from '../../src/codec/fastjson-parse';
import { RequestCode } from '../../src/codec/request-code';
import { ResponseCode } from '../../src/codec/response-code';
import { FakeConsumer } from './consumption-support';
import { Cluster, pullHeader, sendHeader } from './harness';

/** The keys a Java 4.7.1 broker puts in GET_BROKER_RUNTIME_INFO (before any delayed message). */
const JAVA_RUNTIME_KEYS = [
  'EndTransactionQueueSize',
  'EndTransactionThreadPoolQueueCapacity',
  'bootTimestamp',
  'brokerVersion',
  'brokerVersionDesc',
  'commitLogDirCapacity',
  'commitLogDiskRatio',
  'commitLogMaxOffset',
  'commitLogMinOffset',
  'consumeQueueDiskRatio',
  'dispatchBehindBytes',
  'dispatchMaxBuffer',
  'earliestMessageTimeStamp',
  'getFoundTps',
  'getMessageEntireTimeMax',
  'getMissTps',
  'getTotalTps',
  'getTransferedTps',
  'msgGetTotalTodayMorning',
  'msgGetTotalTodayNow',
  'msgGetTotalYesterdayMorning',
  'msgPutTotalTodayMorning',
  'msgPutTotalTodayNow',
  'msgPutTotalYesterdayMorning',
  'pageCacheLockTimeMills',
  'pullThreadPoolQueueCapacity',
  'pullThreadPoolQueueHeadWaitTimeMills',
  'pullThreadPoolQueueSize',
  'putMessageAverageSize',
  'putMessageDistributeTime',
  'putMessageEntireTimeMax',
  'putMessageSizeTotal',
  'putMessageTimesTotal',
  'putTps',
  'queryThreadPoolQueueCapacity',
  'queryThreadPoolQueueHeadWaitTimeMills',
  'queryThreadPoolQueueSize',
  'remainHowManyDataToFlush',
  'remainTransientStoreBufferNumbs',
  'runtime',
  'sendThreadPoolQueueCapacity',
  'sendThreadPoolQueueHeadWaitTimeMills',
  'sendThreadPoolQueueSize',
  'startAcceptSendRequestTimeStamp',
];

const body = (response: { body?: Buffer }) => parseFastjson(response.body!) as FastjsonObject;
/** A MessageQueue-keyed map as {queueId: value}, checking every key names this topic on broker-a. */
function byQueueId(map: unknown, topic: string): Record<number, FastjsonObject> {
  const out: Record<number, FastjsonObject> = {};
  for (const [key, value] of map as FastjsonMap) {
    expect(key).to.include({ brokerName: 'broker-a', topic });
    out[Number((key as FastjsonObject).queueId)] = value as FastjsonObject;
  }
  return out;
}

describe('broker admin codes over real sockets', function () {
  this.timeout(20000);
  const cluster = new Cluster();
  const topic = `AdminT_${Date.now()}`;
  let consumer: FakeConsumer;

  before(async () => {
    await cluster.start();
    for (const queueId of [0, 0, 1])
      await cluster.toBroker(RequestCode.SEND_MESSAGE_V2, sendHeader(topic, queueId), Buffer.from('hello'));
    consumer = new FakeConsumer('127.0.0.1@admin', cluster.brokerAddr);
    await consumer.heartbeat('cgAdmin', [{ topic }]);
    const pulled = await cluster.toBroker(RequestCode.PULL_MESSAGE, pullHeader('cgAdmin', topic, 0, 0));
    expect(pulled.code).to.equal(ResponseCode.SUCCESS);
    await cluster.toBroker(RequestCode.UPDATE_CONSUMER_OFFSET, {
      consumerGroup: 'cgAdmin',
      topic,
      queueId: '0',
      commitOffset: '2',
    });
  });
  after(async () => {
    consumer.close();
    await cluster.stop();
  });

  it('reports every runtime-info key of the Java broker, in its formats', async () => {
    const response = await cluster.toBroker(RequestCode.GET_BROKER_RUNTIME_INFO);
    const table = body(response).table as Record<string, string>;
    expect(Object.keys(table)).to.include.members(JAVA_RUNTIME_KEYS);
    expect(table).to.include({
      brokerVersionDesc: 'V4_7_1',
      brokerVersion: '355',
      msgPutTotalTodayNow: '3',
      msgGetTotalTodayNow: '2',
    });
    expect(table.runtime).to.match(/^\[ 0 days, 0 hours, 0 minutes, \d+ seconds \]$/);
    expect(table.getTotalTps).to.match(/^\d+\.\d+ \d+\.\d+ \d+\.\d+$/);
    expect(table.commitLogDirCapacity).to.match(/^Total : [\d.]+ [KMGTPE]iB, Free : [\d.]+ [KMGTPE]iB\.$/);
    expect(Number(table.earliestMessageTimeStamp)).to.be.closeTo(Date.now(), 60_000);
  });

  it('answers topic stats per write queue, and TOPIC_NOT_EXIST for an unknown topic', async () => {
    const response = await cluster.toBroker(RequestCode.GET_TOPIC_STATS_INFO, { topic });
    expect(response.body!.toString()).to.match(/^\{"offsetTable":\{\{"brokerName":"broker-a","queueId":0,"topic":"/);
    const queues = byQueueId(body(response).offsetTable, topic);
    expect(Object.keys(queues)).to.have.length(4);
    expect(queues[0]).to.include({ minOffset: 0, maxOffset: 2 });
    expect(queues[1]).to.include({ minOffset: 0, maxOffset: 1 });
    expect(queues[2]).to.deep.equal({ lastUpdateTimestamp: 0, maxOffset: 0, minOffset: 0 });
    const unknown = await cluster.toBroker(RequestCode.GET_TOPIC_STATS_INFO, { topic: 'NoSuchTopic' });
    expect([unknown.code, unknown.remark]).to.deep.equal([
      ResponseCode.TOPIC_NOT_EXIST,
      'topic[NoSuchTopic] not exist',
    ]);
    const noHeader = await cluster.toBroker(RequestCode.GET_TOPIC_STATS_INFO, {});
    expect(noHeader.code).to.equal(ResponseCode.SYSTEM_ERROR);
    expect(noHeader.remark).to.contain('topic');
  });

  it('answers consume stats per read queue, empty for an unknown group', async () => {
    const response = await cluster.toBroker(RequestCode.GET_CONSUME_STATS, { consumerGroup: 'cgAdmin', topic });
    const stats = body(response);
    expect(response.body!.toString()).to.match(/^\{"consumeTps":0\.0,"offsetTable":\{\{"brokerName"/);
    const queues = byQueueId(stats.offsetTable, topic);
    expect(queues[0]).to.include({ brokerOffset: 2, consumerOffset: 2 });
    expect(queues[1]).to.deep.equal({ brokerOffset: 1, consumerOffset: 0, lastTimestamp: 0 });
    const allTopics = body(await cluster.toBroker(RequestCode.GET_CONSUME_STATS, { consumerGroup: 'cgAdmin' }));
    expect((allTopics.offsetTable as FastjsonMap).size).to.equal(4);
    const unknown = await cluster.toBroker(RequestCode.GET_CONSUME_STATS, { consumerGroup: 'nobody' });
    expect(unknown.body!.toString()).to.equal('{"consumeTps":0.0,"offsetTable":{}}');
    const brokerWide = body(await cluster.toBroker(RequestCode.GET_BROKER_CONSUME_STATS, { isOrder: 'false' }));
    expect(brokerWide.totalDiff).to.equal(1);
    expect(JSON.stringify(brokerWide.consumeStatsList)).to.contain('cgAdmin');
  });

  it('lists consumer and producer connections, and who consumes a topic', async () => {
    const consumers = body(
      await cluster.toBroker(RequestCode.GET_CONSUMER_CONNECTION_LIST, { consumerGroup: 'cgAdmin' }),
    );
    expect(consumers).to.include({
      consumeType: 'CONSUME_PASSIVELY',
      messageModel: 'CLUSTERING',
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    });
    expect((consumers.connectionSet as FastjsonObject[])[0]).to.include({
      clientId: '127.0.0.1@admin',
      language: 'JAVA',
    });
    expect(Object.keys(consumers.subscriptionTable as object)).to.deep.equal([topic]);
    const offline = await cluster.toBroker(RequestCode.GET_CONSUMER_CONNECTION_LIST, { consumerGroup: 'nobody' });
    expect([offline.code, offline.remark]).to.deep.equal([
      ResponseCode.CONSUMER_NOT_ONLINE,
      'the consumer group[nobody] not online',
    ]);
    const producer = Buffer.from(
      JSON.stringify({ clientID: '127.0.0.1@p', consumerDataSet: [], producerDataSet: [{ groupName: 'pgAdmin' }] }),
    );
    await cluster.toBroker(RequestCode.HEART_BEAT, undefined, producer);
    const producers = body(
      await cluster.toBroker(RequestCode.GET_PRODUCER_CONNECTION_LIST, { producerGroup: 'pgAdmin' }),
    );
    expect((producers.connectionSet as FastjsonObject[]).map((c) => c.clientId)).to.deep.equal(['127.0.0.1@p']);
    expect(
      (await cluster.toBroker(RequestCode.GET_PRODUCER_CONNECTION_LIST, { producerGroup: 'nobody' })).code,
    ).to.equal(ResponseCode.SYSTEM_ERROR);
    const who = body(await cluster.toBroker(RequestCode.QUERY_TOPIC_CONSUME_BY_WHO, { topic }));
    expect(who.groupList).to.deep.equal(['cgAdmin']);
  });

  it('views stats after the 10 s sample, and refuses a key never counted', async () => {
    cluster.broker.brokerStatsManager.samplingInSeconds();
    const put = await cluster.toBroker(RequestCode.VIEW_BROKER_STATS_DATA, {
      statsName: 'TOPIC_PUT_NUMS',
      statsKey: topic,
    });
    expect(put.body!.toString()).to.match(
      /^\{"statsDay":\{"avgpt":0\.0,"sum":0,"tps":0\.0\},"statsHour":\{.*\},"statsMinute":\{"avgpt":1\.0,"sum":3,"tps":0\.3\}\}$/,
    );
    const get = body(
      await cluster.toBroker(RequestCode.VIEW_BROKER_STATS_DATA, {
        statsName: 'GROUP_GET_NUMS',
        statsKey: `${topic}@cgAdmin`,
      }),
    );
    expect((get.statsMinute as FastjsonObject).sum).to.equal(2);
    const unknown = await cluster.toBroker(RequestCode.VIEW_BROKER_STATS_DATA, {
      statsName: 'TOPIC_PUT_NUMS',
      statsKey: 'nope',
    });
    expect([unknown.code, unknown.remark]).to.deep.equal([
      ResponseCode.SYSTEM_ERROR,
      'The stats <TOPIC_PUT_NUMS> <nope> not exist',
    ]);
  });

  it('answers time spans, correction offsets, system topics and consume-queue units', async () => {
    const spans = body(await cluster.toBroker(RequestCode.QUERY_CONSUME_TIME_SPAN, { topic, group: 'cgAdmin' }));
    const first = (spans.consumeTimeSpanSet as FastjsonObject[])[0];
    expect(first).to.include({ delayTime: 0 });
    expect(first.minTimeStampStr).to.match(/^\d{4}-\d\d-\d\d#\d\d:\d\d:\d\d:\d{3}$/);
    const correction = await cluster.toBroker(RequestCode.QUERY_CORRECTION_OFFSET, { topic, compareGroup: 'other' });
    expect(correction.body!.toString()).to.equal('{"correctionOffsets":{0:2}}');
    const system = body(await cluster.toBroker(RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_BROKER));
    expect(system.topicList).to.include.members([
      'TBW102',
      'SCHEDULE_TOPIC_XXXX',
      'broker-a',
      'DefaultCluster',
      'RMQ_SYS_TRANS_HALF_TOPIC',
    ]);
    const units = body(
      await cluster.toBroker(RequestCode.QUERY_CONSUME_QUEUE, {
        topic,
        queueId: '0',
        index: '0',
        count: '10',
        consumerGroup: 'cgAdmin',
      }),
    );
    expect(units).to.include({ maxQueueIndex: 2, minQueueIndex: 0, filterData: 'null' });
    expect((units.queueData as FastjsonObject[]).map((unit) => unit.physicOffset)).to.have.length(2);
    const missing = await cluster.toBroker(RequestCode.QUERY_CONSUME_QUEUE, {
      topic,
      queueId: '7',
      index: '0',
      count: '1',
    });
    expect([missing.code, missing.remark]).to.deep.equal([ResponseCode.SYSTEM_ERROR, `7@${topic} is not exist!`]);
  });

  it('accepts broker config updates as Java does: unknown keys and bad values are ignored', async () => {
    const update = (text: string) => cluster.toBroker(RequestCode.UPDATE_BROKER_CONFIG, undefined, Buffer.from(text));
    expect((await update('noSuchKey=1\nflushConsumerOffsetInterval=abc\n')).code).to.equal(ResponseCode.SUCCESS);
    expect((await update('flushConsumerOffsetInterval=4000\n')).code).to.equal(ResponseCode.SUCCESS);
    const config = (await cluster.toBroker(RequestCode.GET_BROKER_CONFIG)).body!.toString();
    expect(config).to.contain('flushConsumerOffsetInterval=4000\n').and.not.contain('noSuchKey');
  });

  // The DLedger commit log, a master turning slave, a bad role.
  it('refuses, through broker config updates, settings it cannot honour', async () => {
    const update = (text: string) => cluster.toBroker(RequestCode.UPDATE_BROKER_CONFIG, undefined, Buffer.from(text));
    expect(
      (await update('enableDLegerCommitLog=true\nbrokerRole=SLAVE\nflushConsumerOffsetInterval=4500\n')).code,
    ).to.equal(ResponseCode.SUCCESS);
    let config = (await cluster.toBroker(RequestCode.GET_BROKER_CONFIG)).body!.toString();
    expect(config).not.to.contain('enableDLegerCommitLog=true');
    expect(config).contain('flushConsumerOffsetInterval=4500\n').and.not.contain('SLAVE');
    expect((await update('brokerRole=sync_master\n')).code).to.equal(ResponseCode.SUCCESS);
    expect((await cluster.toBroker(RequestCode.GET_BROKER_CONFIG)).body!.toString()).to.contain(
      'brokerRole=ASYNC_MASTER\n',
    );
    // ASYNC_MASTER <-> SYNC_MASTER applies at once, as in Java.
    expect((await update('brokerRole=SYNC_MASTER\n')).code).to.equal(ResponseCode.SUCCESS);
    config = (await cluster.toBroker(RequestCode.GET_BROKER_CONFIG)).body!.toString();
    expect(config).to.contain('brokerRole=SYNC_MASTER\n');
    expect((await update('brokerRole=ASYNC_MASTER\n')).code).to.equal(ResponseCode.SUCCESS);
  });

  it('clones offsets between groups', async () => {
    const cloned = await cluster.toBroker(RequestCode.CLONE_GROUP_OFFSET, {
      srcGroup: 'cgAdmin',
      destGroup: 'cgCopy',
      topic,
      offline: 'false',
    });
    expect(cloned.code).to.equal(ResponseCode.SUCCESS);
    expect(cluster.broker.consumerOffsetManager.queryOffset('cgCopy', topic, 0)).to.equal(2);
  });

  it('deletes a topic but refuses a system topic, and cleans consume queues of unknown topics', async () => {
    const system = await cluster.toBroker(RequestCode.DELETE_TOPIC_IN_BROKER, { topic: 'SCHEDULE_TOPIC_XXXX' });
    expect([system.code, system.remark]).to.deep.equal([
      ResponseCode.SYSTEM_ERROR,
      'The topic[SCHEDULE_TOPIC_XXXX] is conflict with system topic.',
    ]);
    const gone = `Gone_${Date.now()}`;
    await cluster.toBroker(RequestCode.SEND_MESSAGE_V2, sendHeader(gone, 0), Buffer.from('x'));
    expect((await cluster.toBroker(RequestCode.DELETE_TOPIC_IN_BROKER, { topic: gone })).code).to.equal(
      ResponseCode.SUCCESS,
    );
    expect(cluster.broker.messageStore.topics()).to.not.include(gone);
    expect((await cluster.toBroker(RequestCode.GET_TOPIC_STATS_INFO, { topic: gone })).code).to.equal(
      ResponseCode.TOPIC_NOT_EXIST,
    );
    for (const code of [RequestCode.CLEAN_UNUSED_TOPIC, RequestCode.CLEAN_EXPIRED_CONSUMEQUEUE]) {
      expect((await cluster.toBroker(code)).code).to.equal(ResponseCode.SUCCESS);
    }
    expect(cluster.broker.messageStore.topics()).to.include(topic);
  });
});
