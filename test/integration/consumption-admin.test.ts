import { expect } from 'chai';
import { parseFastjson } from '../../src/codec/fastjson-parse';
import { decodeMessageRecord } from '../../src/codec/message/message-record';
import { createResponseCommand } from '../../src/codec/remoting-command';
import { RequestCode } from '../../src/codec/request-code';
import { ResponseCode } from '../../src/codec/response-code';
import { FakeConsumer, ok, until } from './consumption-support';
import { Cluster, sendHeader } from './harness';

const mqJson = (topic: string, queueId: number) => ({ brokerName: 'broker-a', queueId, topic });

describe('orderly locks, back-tracking and broker-to-client relays over real sockets', function () {
  this.timeout(20000);
  const cluster = new Cluster();
  const topic = `ADMIN_${Date.now()}`;
  const consumers: FakeConsumer[] = [];
  const consumer = (id: string) => {
    const created = new FakeConsumer(id, cluster.brokerAddr);
    consumers.push(created);
    return created;
  };

  before(async () => {
    await cluster.start();
    for (const queueId of [0, 1, 2, 3])
      await cluster.toBroker(RequestCode.SEND_MESSAGE_V2, sendHeader(topic, queueId), Buffer.from(`q${queueId}`));
  });
  after(async () => {
    for (const c of consumers) c.close();
    await cluster.stop();
  });

  it('locks queues for one client of a group and refuses them to another until unlocked', async () => {
    const lock = (clientId: string, queueIds: number[]) =>
      cluster.toBroker(
        RequestCode.LOCK_BATCH_MQ,
        undefined,
        Buffer.from(JSON.stringify({ clientId, consumerGroup: 'gLock', mqSet: queueIds.map((q) => mqJson(topic, q)) })),
      );
    const first = await lock('c1', [0, 1]);
    expect(first.code).to.equal(ResponseCode.SUCCESS);
    expect(parseFastjson(first.body!)).to.deep.equal({ lockOKMQSet: [mqJson(topic, 0), mqJson(topic, 1)] });
    expect(first.body!.toString()).to.contain('{"brokerName":"broker-a","queueId":0,"topic":');
    expect(parseFastjson((await lock('c2', [1, 2])).body!)).to.deep.equal({ lockOKMQSet: [mqJson(topic, 2)] });
    const unlock = await cluster.toBroker(
      RequestCode.UNLOCK_BATCH_MQ,
      undefined,
      Buffer.from(JSON.stringify({ clientId: 'c1', consumerGroup: 'gLock', mqSet: [mqJson(topic, 1)] })),
    );
    expect([unlock.code, unlock.body]).to.deep.equal([ResponseCode.SUCCESS, undefined]);
    expect(parseFastjson((await lock('c2', [1])).body!)).to.deep.equal({ lockOKMQSet: [mqJson(topic, 1)] });
    const bad = await cluster.toBroker(RequestCode.LOCK_BATCH_MQ, undefined, Buffer.from('not json'));
    expect(bad.code).to.equal(ResponseCode.SYSTEM_ERROR);
  });

  it('refuses a reset for a group with no offsets, and for a group with no live client', async () => {
    const header = { topic, group: 'gReset', timestamp: '0', isForce: 'true' };
    const noOffsets = await cluster.toBroker(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, header);
    expect([noOffsets.code, noOffsets.remark]).to.deep.equal([
      ResponseCode.SYSTEM_ERROR,
      'THe consumer group <gReset> not exist',
    ]);
    const queues = cluster.broker.topicConfigManager.selectTopicConfig(topic)!.writeQueueNums;
    for (let queueId = 0; queueId < queues; queueId++) {
      await cluster.toBroker(RequestCode.UPDATE_CONSUMER_OFFSET, {
        consumerGroup: 'gReset',
        topic,
        queueId: String(queueId),
        commitOffset: '1',
      });
    }
    const offline = await cluster.toBroker(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, header);
    expect(offline.code).to.equal(ResponseCode.CONSUMER_NOT_ONLINE);
    const unknownTopic = await cluster.toBroker(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, {
      ...header,
      topic: 'NoSuchTopic',
    });
    expect(unknownTopic.code).to.equal(ResponseCode.SYSTEM_ERROR);
  });

  it('resets a live group to a time and pushes the table to every client', async () => {
    const c = consumer('127.0.0.1@reset');
    await c.heartbeat('gReset', [{ topic }]);
    const response = await cluster.toBroker(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, {
      topic,
      group: 'gReset',
      timestamp: '0',
      isForce: 'true',
    });
    expect(response.code, response.remark).to.equal(ResponseCode.SUCCESS);
    const table = (parseFastjson(response.body!) as { offsetTable: Map<unknown, number> }).offsetTable;
    expect([...table.entries()].find(([mq]) => (mq as { queueId: number }).queueId === 0)).to.deep.equal([
      mqJson(topic, 0),
      0,
    ]);
    await until('RESET_CONSUMER_CLIENT_OFFSET', () => c.ofCode(RequestCode.RESET_CONSUMER_CLIENT_OFFSET).length === 1);
    const pushed = c.ofCode(RequestCode.RESET_CONSUMER_CLIENT_OFFSET)[0];
    expect(pushed.flag & 2, 'oneway').to.equal(2);
    expect(pushed.extFields).to.deep.equal({ topic, group: 'gReset', timestamp: '0', isForce: 'false' });
    expect(pushed.body!.toString()).to.equal(response.body!.toString());
    expect(
      cluster.broker.consumerOffsetManager.queryOffset('gReset', topic, 0),
      'the client commits, not the broker',
    ).to.equal(1);

    const notForced = await cluster.toBroker(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, {
      topic,
      group: 'gReset',
      timestamp: '-1',
      isForce: 'false',
    });
    const kept = (parseFastjson(notForced.body!) as { offsetTable: Map<unknown, number> }).offsetTable;
    expect(
      [...kept.values()].every((offset) => offset === 1),
      'max offset 1 is not below the committed 1',
    ).to.equal(true);
  });

  it("collects each client's queue offsets for INVOKE_BROKER_TO_GET_CONSUMER_STATUS", async () => {
    const c = consumer('127.0.0.1@status');
    c.answers.set(RequestCode.GET_CONSUMER_STATUS_FROM_CLIENT, (request) =>
      ok(
        request,
        Buffer.from(
          `{"consumerTable":{},"messageQueueTable":{{"brokerName":"broker-a","queueId":0,"topic":"${request.extFields!.topic}"}:7}}`,
        ),
      ),
    );
    await c.heartbeat('gStatus', [{ topic }]);
    const response = await cluster.toBroker(RequestCode.INVOKE_BROKER_TO_GET_CONSUMER_STATUS, {
      topic,
      group: 'gStatus',
    });
    expect(response.code).to.equal(ResponseCode.SUCCESS);
    expect(response.body!.toString()).to.equal(
      `{"consumerTable":{"127.0.0.1@status":{{"brokerName":"broker-a","queueId":0,"topic":"${topic}"}:7}},"messageQueueTable":{}}`,
    );
    expect(c.ofCode(RequestCode.GET_CONSUMER_STATUS_FROM_CLIENT)[0].extFields).to.deep.equal({
      topic,
      group: 'gStatus',
    });
    const none = await cluster.toBroker(RequestCode.INVOKE_BROKER_TO_GET_CONSUMER_STATUS, { topic, group: 'gNobody' });
    expect(none.code).to.equal(ResponseCode.SYSTEM_ERROR);
  });

  it('relays GET_CONSUMER_RUNNING_INFO to the named client and its answer back unchanged', async () => {
    const c = consumer('127.0.0.1@running');
    const answerBody = Buffer.from('{"jstack":"x","properties":{"a":"1"},"subscriptionSet":[]}');
    c.answers.set(RequestCode.GET_CONSUMER_RUNNING_INFO, (request) =>
      createResponseCommand(request, ResponseCode.SUCCESS, {
        body: answerBody,
        remark: 'from client',
        extFields: { k: 'v' },
      }),
    );
    await c.heartbeat('gRun', [{ topic }]);
    const header = { consumerGroup: 'gRun', clientId: '127.0.0.1@running', jstackEnable: 'true' };
    const response = await cluster.toBroker(RequestCode.GET_CONSUMER_RUNNING_INFO, header);
    expect([response.code, response.remark, response.extFields]).to.deep.equal([
      ResponseCode.SUCCESS,
      'from client',
      { k: 'v' },
    ]);
    expect(response.body).to.deep.equal(answerBody);
    expect(c.ofCode(RequestCode.GET_CONSUMER_RUNNING_INFO)[0].extFields).to.deep.equal(header);
    const unknown = await cluster.toBroker(RequestCode.GET_CONSUMER_RUNNING_INFO, { ...header, clientId: 'nobody' });
    expect([unknown.code, unknown.remark]).to.deep.equal([
      ResponseCode.SYSTEM_ERROR,
      'The Consumer <gRun> <nobody> not online',
    ]);
  });

  it('relays CONSUME_MESSAGE_DIRECTLY with the stored record and the broker name', async () => {
    const c = consumer('127.0.0.1@direct');
    c.answers.set(RequestCode.CONSUME_MESSAGE_DIRECTLY, (request) =>
      ok(request, Buffer.from('{"autoCommit":true,"consumeResult":"CR_SUCCESS","order":false,"spentTimeMills":1}')),
    );
    await c.heartbeat('gDirect', [{ topic }]);
    const sent = await cluster.toBroker(RequestCode.SEND_MESSAGE_V2, sendHeader(topic, 0), Buffer.from('direct'));
    const header = { consumerGroup: 'gDirect', clientId: '127.0.0.1@direct', msgId: sent.extFields!.msgId };
    const response = await cluster.toBroker(RequestCode.CONSUME_MESSAGE_DIRECTLY, header);
    expect(response.code).to.equal(ResponseCode.SUCCESS);
    expect(parseFastjson(response.body!)).to.include({ consumeResult: 'CR_SUCCESS' });
    const relayed = c.ofCode(RequestCode.CONSUME_MESSAGE_DIRECTLY)[0];
    expect(relayed.extFields).to.deep.equal({ ...header, brokerName: 'broker-a' });
    expect(decodeMessageRecord(relayed.body!, 0).record.body.toString()).to.equal('direct');
    const bogus = await cluster.toBroker(RequestCode.CONSUME_MESSAGE_DIRECTLY, {
      ...header,
      msgId: '7F00000100002A9F00000000FFFFFFFF',
    });
    expect(bogus.code).to.equal(ResponseCode.SYSTEM_ERROR);
  });

  it('answers SYSTEM_ERROR once the named client has disconnected', async () => {
    const c = consumer('127.0.0.1@gone');
    await c.heartbeat('gGone', [{ topic }]);
    c.close();
    await until(
      'the group forgets the closed connection',
      () => cluster.broker.consumerManager.getConsumerGroupInfo('gGone') === undefined,
    );
    const response = await cluster.toBroker(RequestCode.GET_CONSUMER_RUNNING_INFO, {
      consumerGroup: 'gGone',
      clientId: '127.0.0.1@gone',
    });
    expect(response.code).to.equal(ResponseCode.SYSTEM_ERROR);
  });
});
