import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { parseFastjson } from '../../src/codec/fastjson-parse';
import { RequestCode } from '../../src/codec/request-code';
import { ResponseCode } from '../../src/codec/response-code';
import { FakeConsumer, sleep, until } from './consumption-support';
import { Cluster, pullHeader, sendHeader } from './harness';

describe('consumer groups over real sockets', function () {
  this.timeout(20000);
  const cluster = new Cluster();
  const topic = `GROUPS_${Date.now()}`;
  const consumers: FakeConsumer[] = [];
  const consumer = (id: string) => {
    const created = new FakeConsumer(id, cluster.brokerAddr);
    consumers.push(created);
    return created;
  };
  const notifies = (c: FakeConsumer) => c.ofCode(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED).length;

  before(async () => {
    await cluster.start();
    await cluster.toBroker(RequestCode.SEND_MESSAGE_V2, sendHeader(topic, 0), Buffer.from('m0'));
  });
  after(async () => {
    for (const c of consumers) c.close();
    await cluster.stop();
  });

  it('tells every member when one joins, changes its subscription, leaves or drops its connection', async () => {
    const a = consumer('127.0.0.1@a');
    const b = consumer('127.0.0.1@b');
    await a.heartbeat('gJoin', [{ topic }]);
    await sleep(50);
    expect(notifies(a), 'a first member is told too (its own join)').to.equal(1);
    await a.heartbeat('gJoin', [{ topic }]);
    await sleep(50);
    expect(notifies(a), 'a repeated heartbeat changes nothing').to.equal(1);

    await b.heartbeat('gJoin', [{ topic }]);
    await until('a and b told of the join', () => notifies(a) === 2 && notifies(b) === 1);
    expect(a.ofCode(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED)[1].extFields).to.deep.equal({ consumerGroup: 'gJoin' });
    const list = await a.call(RequestCode.GET_CONSUMER_LIST_BY_GROUP, { consumerGroup: 'gJoin' });
    expect((parseFastjson(list.body!) as { consumerIdList: string[] }).consumerIdList.sort()).to.deep.equal([
      '127.0.0.1@a',
      '127.0.0.1@b',
    ]);

    await b.heartbeat('gJoin', [{ topic }, { topic: `${topic}_other` }]);
    await until('told of the new subscription', () => notifies(a) === 3 && notifies(b) === 2);

    await b.call(RequestCode.UNREGISTER_CLIENT, { clientID: '127.0.0.1@b', consumerGroup: 'gJoin' });
    await until('a told of the leave', () => notifies(a) === 4);
    await b.heartbeat('gJoin', [{ topic }]);
    await until('a told of the return', () => notifies(a) === 5);
    b.close();
    await until('a told of the dropped connection', () => notifies(a) === 6);
    const after = await a.call(RequestCode.GET_CONSUMER_LIST_BY_GROUP, { consumerGroup: 'gJoin' });
    expect(parseFastjson(after.body!)).to.deep.equal({ consumerIdList: ['127.0.0.1@a'] });
  });

  it('forgets a member silent for 120 s and then answers the group has no consumer', async () => {
    const c = consumer('127.0.0.1@silent');
    await c.heartbeat('gSilent', [{ topic }]);
    cluster.broker.consumerManager.scanNotActiveChannel(Date.now() + 119_000);
    expect(cluster.broker.consumerManager.getConsumerGroupInfo('gSilent')).to.not.equal(undefined);
    cluster.broker.consumerManager.scanNotActiveChannel(Date.now() + 121_000);
    const list = await cluster.toBroker(RequestCode.GET_CONSUMER_LIST_BY_GROUP, { consumerGroup: 'gSilent' });
    expect(list.code).to.equal(ResponseCode.SYSTEM_ERROR);
    expect(list.remark).to.equal('no consumer for this group, gSilent');
  });

  it('auto-creates and persists the group config, and creates its %RETRY% topic, on heartbeat', async () => {
    const c = consumer('127.0.0.1@auto');
    await c.heartbeat('gAuto', [{ topic }]);
    expect(cluster.broker.subscriptionGroupManager.findSubscriptionGroupConfig('gAuto')).to.not.equal(undefined);
    expect(cluster.broker.topicConfigManager.selectTopicConfig('%RETRY%gAuto')?.readQueueNums).to.equal(1);
    const file = path.join(cluster.broker.messageStoreConfig.storePathRootDir, 'config', 'subscriptionGroup.json');
    expect(fs.readFileSync(file, 'utf8')).to.contain('"groupName":"gAuto"');
  });

  it('pulls without a subscription flag only with the heartbeat subscription, and only if it is the latest', async () => {
    const noGroup = await cluster.toBroker(
      RequestCode.PULL_MESSAGE,
      pullHeader('gNone', topic, 0, 0, { sysFlag: '0' }),
    );
    expect(noGroup.code).to.equal(ResponseCode.SUBSCRIPTION_NOT_EXIST);
    const c = consumer('127.0.0.1@sub');
    await c.heartbeat('gSub', [{ topic, subVersion: 100 }]);
    const otherTopic = await c.call(
      RequestCode.PULL_MESSAGE,
      pullHeader('gSub', `${topic}_x`, 0, 0, { sysFlag: '0', subVersion: '100' }),
    );
    expect(otherTopic.code).to.be.oneOf([ResponseCode.SUBSCRIPTION_NOT_EXIST, ResponseCode.TOPIC_NOT_EXIST]);
    const newer = await c.call(
      RequestCode.PULL_MESSAGE,
      pullHeader('gSub', topic, 0, 0, { sysFlag: '0', subVersion: '101' }),
    );
    expect(newer.code).to.equal(ResponseCode.SUBSCRIPTION_NOT_LATEST);
    const latest = await c.call(
      RequestCode.PULL_MESSAGE,
      pullHeader('gSub', topic, 0, 0, { sysFlag: '0', subVersion: '100' }),
    );
    expect(latest.code).to.equal(ResponseCode.SUCCESS);
  });

  it('answers pulls outside [min, max] with PULL_OFFSET_MOVED and the corrected offset', async () => {
    const beyond = await cluster.toBroker(
      RequestCode.PULL_MESSAGE,
      pullHeader('gMoved', topic, 0, 5, { sysFlag: '4' }),
    );
    expect(beyond.code).to.equal(ResponseCode.PULL_OFFSET_MOVED);
    expect(beyond.extFields).to.include({ nextBeginOffset: '0', minOffset: '0', maxOffset: '1' });
    const emptyQueue = await cluster.toBroker(
      RequestCode.PULL_MESSAGE,
      pullHeader('gMoved', topic, 3, 7, { sysFlag: '4' }),
    );
    expect(emptyQueue.code).to.equal(ResponseCode.PULL_OFFSET_MOVED);
    expect(emptyQueue.extFields!.nextBeginOffset).to.equal('0');
  });

  it('answers QUERY_CONSUMER_OFFSET with the committed offset, or 0 for a young queue as Java does', async () => {
    const unknown = await cluster.toBroker(RequestCode.QUERY_CONSUMER_OFFSET, {
      consumerGroup: 'gQ',
      topic: `${topic}_none`,
      queueId: '0',
    });
    expect([unknown.code, unknown.extFields?.offset]).to.deep.equal([ResponseCode.SUCCESS, '0']);
    await cluster.toBroker(RequestCode.UPDATE_CONSUMER_OFFSET, {
      consumerGroup: 'gQ',
      topic,
      queueId: '0',
      commitOffset: '1',
    });
    const stored = await cluster.toBroker(RequestCode.QUERY_CONSUMER_OFFSET, {
      consumerGroup: 'gQ',
      topic,
      queueId: '0',
    });
    expect(stored.extFields!.offset).to.equal('1');
  });
});
