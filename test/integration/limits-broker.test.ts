// The broker's own limits over real sockets (README "Limits"): held pulls per connection and in
// all, heartbeat body size, subscriptions per group, JSON nesting depth, topics and groups in
// total, properties length. Each refused request gets an answer whose remark names the key, and
// the same broker keeps serving the others.
import { expect } from 'chai';
import { setFastjsonMaxDepth, FASTJSON_MAX_DEPTH } from '../../src/codec/fastjson-parse';
import { RequestCode } from '../../src/codec/request-code';
import { ResponseCode } from '../../src/codec/response-code';
import { heartbeatBody, sleep } from './consumption-support';
import { Cluster, pullHeader, sendHeader } from './harness';
import { RawPeer, within } from './raw-peer';

const NO_SUSPEND = { sysFlag: '4', suspendTimeoutMillis: '0' };

describe('limits: broker tables and bodies', function () {
  this.timeout(30000);
  const cluster = new Cluster();
  const peers: RawPeer[] = [];
  const connect = async () => {
    const peer = await RawPeer.connect(cluster.brokerAddr);
    peers.push(peer);
    return peer;
  };

  before(() =>
    cluster.start({
      maxHeldPullsPerConnection: 2,
      maxHeldPulls: 3,
      maxHeartbeatBodyBytes: 4096,
      maxSubscriptionsPerGroup: 3,
      fastjsonMaxDepth: 16,
      maxPropertiesLength: 200,
    }),
  );
  after(async () => {
    for (const peer of peers) peer.close();
    await cluster.stop();
    setFastjsonMaxDepth(FASTJSON_MAX_DEPTH);
  });

  // The pulls already held still wake.
  it('held pulls: past maxHeldPullsPerConnection and maxHeldPulls a pull gets SYSTEM_BUSY naming the key', async () => {
    const topic = 'LimitHeld';
    expect((await cluster.toBroker(RequestCode.SEND_MESSAGE_V2, sendHeader(topic, 3), Buffer.from('m'))).code).to.equal(
      ResponseCode.SUCCESS,
    );
    const a = await connect();
    const heldA = [
      a.request(RequestCode.PULL_MESSAGE, pullHeader('heldGroup', topic, 0, 0)),
      a.request(RequestCode.PULL_MESSAGE, pullHeader('heldGroup', topic, 1, 0)),
    ];
    const refusedA = await a.request(RequestCode.PULL_MESSAGE, pullHeader('heldGroup', topic, 2, 0));
    expect([refusedA.code, refusedA.remark]).to.deep.equal([
      ResponseCode.SYSTEM_BUSY,
      '[HELD_PULL_LIMIT] 2 pulls held for this connection, maxHeldPullsPerConnection=2',
    ]);
    const b = await connect();
    const heldB = b.request(RequestCode.PULL_MESSAGE, pullHeader('heldGroup', topic, 2, 0));
    const refusedB = await b.request(RequestCode.PULL_MESSAGE, pullHeader('heldGroup', topic, 3, 1));
    expect([refusedB.code, refusedB.remark]).to.deep.equal([
      ResponseCode.SYSTEM_BUSY,
      '[HELD_PULL_LIMIT] 3 pulls held in all, maxHeldPulls=3',
    ]);
    expect(await within(Promise.race([...heldA, heldB]), 300), 'the held pulls wait').to.equal(false);
    expect(cluster.broker.pullRequestHoldService.heldCount).to.equal(3);
    expect(
      (await cluster.toBroker(RequestCode.SEND_MESSAGE_V2, sendHeader(topic, 0), Buffer.from('wake'))).code,
    ).to.equal(ResponseCode.SUCCESS);
    expect((await heldA[0]).code, 'a message wakes its held pull').to.equal(ResponseCode.SUCCESS);
    const heldAgain = a.request(RequestCode.PULL_MESSAGE, pullHeader('heldGroup', topic, 0, 1));
    expect(await within(heldAgain, 300), 'a freed slot holds again').to.equal(false);
    b.close();
    await sleep(400); // the hold service drops a closed connection's pulls on its next check
    expect(cluster.broker.pullRequestHoldService.heldCount).to.equal(2);
  });

  // Both a body over maxHeartbeatBodyBytes and a group over maxSubscriptionsPerGroup.
  it('heartbeat: past either limit the answer is SYSTEM_ERROR naming the key', async () => {
    const peer = await connect();
    const many = Array.from({ length: 60 }, (_, i) => ({ topic: `LimitTopicWithALongName_${i}` }));
    const big = heartbeatBody('big@1', 'bigGroup', many);
    expect(big.length).to.be.greaterThan(4096);
    const refusedBig = await peer.request(RequestCode.HEART_BEAT, undefined, big);
    expect([refusedBig.code, refusedBig.remark]).to.deep.equal([
      ResponseCode.SYSTEM_ERROR,
      `heartbeat body of ${big.length} bytes exceeds maxHeartbeatBodyBytes=4096`,
    ]);
    const four = await peer.request(
      RequestCode.HEART_BEAT,
      undefined,
      heartbeatBody('four@1', 'fourGroup', many.slice(0, 4)),
    );
    expect([four.code, four.remark]).to.deep.equal([
      ResponseCode.SYSTEM_ERROR,
      'consumer group fourGroup has 4 subscriptions, maxSubscriptionsPerGroup=3',
    ]);
    expect(cluster.broker.consumerManager.getConsumerGroupInfo('fourGroup')).to.equal(undefined);
    const three = await peer.request(
      RequestCode.HEART_BEAT,
      undefined,
      heartbeatBody('three@1', 'threeGroup', many.slice(0, 3)),
    );
    expect(three.code).to.equal(ResponseCode.SUCCESS);
  });

  it('JSON: a body nested deeper than fastjsonMaxDepth is answered SYSTEM_ERROR naming the key', async () => {
    const peer = await connect();
    const deep = Buffer.from(`{"clientID":"deep@1","consumerDataSet":${'['.repeat(40)}${']'.repeat(40)}}`);
    const refused = await peer.request(RequestCode.HEART_BEAT, undefined, deep);
    expect(refused.code).to.equal(ResponseCode.SYSTEM_ERROR);
    expect(refused.remark).to.contain('nesting deeper than fastjsonMaxDepth=16');
    expect(peer.isClosed).to.equal(false);
    expect(
      (await peer.request(RequestCode.SEND_MESSAGE_V2, sendHeader('LimitJson', 0), Buffer.from('x'))).code,
    ).to.equal(ResponseCode.SUCCESS);
  });

  // A send to a new topic gets TOPIC_NOT_EXIST, UPDATE_AND_CREATE_TOPIC gets SYSTEM_ERROR.
  it('topics: past maxTopicCount a new topic is refused, naming the key', async () => {
    const table = cluster.broker.topicConfigManager.topicConfigTable;
    cluster.broker.brokerConfig.maxTopicCount = table.size + 1;
    expect(
      (await cluster.toBroker(RequestCode.SEND_MESSAGE_V2, sendHeader('LimitTopicA', 0), Buffer.from('a'))).code,
    ).to.equal(ResponseCode.SUCCESS);
    const refused = await cluster.toBroker(RequestCode.SEND_MESSAGE_V2, sendHeader('LimitTopicB', 0), Buffer.from('b'));
    expect([refused.code, refused.remark]).to.deep.equal([
      ResponseCode.TOPIC_NOT_EXIST,
      `topic[LimitTopicB] not created: ${table.size} topics, maxTopicCount=${table.size}`,
    ]);
    const create = {
      topic: 'LimitTopicC',
      defaultTopic: 'TBW102',
      readQueueNums: '1',
      writeQueueNums: '1',
      perm: '6',
      topicFilterType: 'SINGLE_TAG',
    };
    const refusedAdmin = await cluster.toBroker(RequestCode.UPDATE_AND_CREATE_TOPIC, create);
    expect(refusedAdmin.code).to.equal(ResponseCode.SYSTEM_ERROR);
    expect(refusedAdmin.remark).to.contain('maxTopicCount=');
    expect(table.has('LimitTopicB') || table.has('LimitTopicC')).to.equal(false);
    expect(
      (await cluster.toBroker(RequestCode.SEND_MESSAGE_V2, sendHeader('LimitTopicA', 0), Buffer.from('a2'))).code,
      'existing topics still take sends',
    ).to.equal(ResponseCode.SUCCESS);
    cluster.broker.brokerConfig.maxTopicCount = 20_000;
  });

  // A pull, a heartbeat and UPDATE_AND_CREATE_SUBSCRIPTIONGROUP for a new group are all refused.
  it('groups: past maxSubscriptionGroupCount a new group is refused naming the key', async () => {
    const table = cluster.broker.subscriptionGroupManager.subscriptionGroupTable;
    cluster.broker.brokerConfig.maxSubscriptionGroupCount = table.size + 1;
    expect(
      (await cluster.toBroker(RequestCode.PULL_MESSAGE, pullHeader('limitG1', 'LimitTopicA', 0, 0, NO_SUSPEND))).code,
    ).to.equal(ResponseCode.SUCCESS);
    const pull = await cluster.toBroker(
      RequestCode.PULL_MESSAGE,
      pullHeader('limitG2', 'LimitTopicA', 0, 0, NO_SUSPEND),
    );
    expect([pull.code, pull.remark]).to.deep.equal([
      ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST,
      `subscription group [limitG2] not created: ${table.size} groups, maxSubscriptionGroupCount=${table.size}`,
    ]);
    const beat = await cluster.toBroker(
      RequestCode.HEART_BEAT,
      undefined,
      heartbeatBody('g3@1', 'limitG3', [{ topic: 'LimitTopicA' }]),
    );
    expect(beat.code).to.equal(ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST);
    expect(beat.remark).to.contain('maxSubscriptionGroupCount=');
    const admin = await cluster.toBroker(
      RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP,
      undefined,
      Buffer.from(JSON.stringify({ groupName: 'limitG4' })),
    );
    expect(admin.code).to.equal(ResponseCode.SYSTEM_ERROR);
    expect(admin.remark).to.contain('maxSubscriptionGroupCount=');
    expect(['limitG2', 'limitG3', 'limitG4'].filter((group) => table.has(group))).to.deep.equal([]);
    expect(
      (await cluster.toBroker(RequestCode.PULL_MESSAGE, pullHeader('limitG1', 'LimitTopicA', 0, 1, NO_SUSPEND))).code,
      'existing groups still pull',
    ).to.equal(ResponseCode.SUCCESS);
    cluster.broker.brokerConfig.maxSubscriptionGroupCount = 20_000;
  });

  it('properties: a properties string longer than maxPropertiesLength is answered MESSAGE_ILLEGAL naming the key', async () => {
    const properties = `TAGS\u0001a\u0002KEYS\u0001${'k'.repeat(250)}\u0002`;
    const refused = await cluster.toBroker(
      RequestCode.SEND_MESSAGE_V2,
      sendHeader('LimitProps', 0, properties),
      Buffer.from('p'),
    );
    expect([refused.code, refused.remark]).to.deep.equal([
      ResponseCode.MESSAGE_ILLEGAL,
      `message properties length ${properties.length} exceeds maxPropertiesLength=200`,
    ]);
    expect(
      (await cluster.toBroker(RequestCode.SEND_MESSAGE_V2, sendHeader('LimitProps', 0), Buffer.from('p'))).code,
    ).to.equal(ResponseCode.SUCCESS);
  });
});
