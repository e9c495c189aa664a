import { expect } from 'chai';
import { parseFastjson } from '../../src/codec/fastjson-parse';
import { decodeMessageRecord } from '../../src/codec/message/message-record';
import { decodeMessageId } from '../../src/codec/message/message-id';
import { encodeMessageBatch } from '../../src/codec/message/message-batch';
import { RequestCode } from '../../src/codec/request-code';
import { ResponseCode } from '../../src/codec/response-code';
import { Cluster, pullHeader, sendHeader } from './harness';

function decodeRecords(body: Buffer): { body: string; queueOffset: number; topic: string; propertiesString: string }[] {
  const records = [];
  let position = 0;
  while (position < body.length) {
    const { record, sizeBytes } = decodeMessageRecord(body, position);
    records.push({
      body: record.body.toString(),
      queueOffset: record.queueOffset,
      topic: record.topic,
      propertiesString: record.propertiesString,
    });
    position += sizeBytes;
  }
  return records;
}

describe('broker over real sockets', function () {
  this.timeout(20000);
  const cluster = new Cluster();
  const topic = `IT_${Date.now()}`;

  before(() => cluster.start());
  after(() => cluster.stop());

  it('registers with the NameServer, TBW102 included', async () => {
    const route = await cluster.request(cluster.namesrvAddr, RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: 'TBW102' });
    expect(route.code).to.equal(ResponseCode.SUCCESS);
    const data = parseFastjson(route.body!) as any;
    expect(data.brokerDatas[0].brokerAddrs['0']).to.equal(cluster.brokerAddr);
    expect(data.queueDatas[0].perm).to.equal(7);
  });

  it('auto-creates a topic on first send and answers with offsets and ids', async () => {
    const first = await cluster.toBroker(RequestCode.SEND_MESSAGE_V2, sendHeader(topic, 1), Buffer.from('m0'));
    expect(first.code, first.remark).to.equal(ResponseCode.SUCCESS);
    expect(first.extFields).to.include({
      queueId: '1',
      queueOffset: '0',
      MSG_REGION: 'DefaultRegion',
      TRACE_ON: 'true',
    });
    const id = decodeMessageId(first.extFields!.msgId);
    expect(id?.physicalOffset).to.equal(0);
    const second = await cluster.toBroker(RequestCode.SEND_MESSAGE_V2, sendHeader(topic, 1), Buffer.from('m1'));
    expect(second.extFields!.queueOffset).to.equal('1');
  });

  it('publishes the new topic route to the NameServer', async () => {
    const deadline = Date.now() + 5000;
    let code = -1;
    while (Date.now() < deadline && code !== ResponseCode.SUCCESS) {
      code = (await cluster.request(cluster.namesrvAddr, RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic })).code;
      if (code !== ResponseCode.SUCCESS) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(code).to.equal(ResponseCode.SUCCESS);
  });

  it('pulls the stored records with consistent offsets', async () => {
    const response = await cluster.toBroker(RequestCode.PULL_MESSAGE, pullHeader('g1', topic, 1, 0));
    expect(response.code).to.equal(ResponseCode.SUCCESS);
    expect(response.remark).to.equal('FOUND');
    expect(response.extFields).to.include({
      nextBeginOffset: '2',
      minOffset: '0',
      maxOffset: '2',
      suggestWhichBrokerId: '0',
    });
    const records = decodeRecords(response.body!);
    expect(records.map((record) => [record.body, record.queueOffset, record.topic])).to.deep.equal([
      ['m0', 0, topic],
      ['m1', 1, topic],
    ]);
    expect(records[0].propertiesString).to.contain('CLUSTER\u0001DefaultCluster\u0002');
  });

  it('serves LITE_PULL_MESSAGE (5.x lite pull consumer) as PULL_MESSAGE, unless litePullMessageEnable=false', async () => {
    const pull = await cluster.toBroker(RequestCode.PULL_MESSAGE, pullHeader('g1', topic, 1, 0));
    const lite = await cluster.toBroker(RequestCode.LITE_PULL_MESSAGE, pullHeader('g1', topic, 1, 0));
    expect(lite.code).to.equal(ResponseCode.SUCCESS);
    expect(lite.extFields).to.deep.equal(pull.extFields);
    expect(lite.body!.equals(pull.body!)).to.equal(true);
    const update = (text: string) => cluster.toBroker(RequestCode.UPDATE_BROKER_CONFIG, undefined, Buffer.from(text));
    await update('litePullMessageEnable=false\n');
    const refused = await cluster.toBroker(RequestCode.LITE_PULL_MESSAGE, pullHeader('g1', topic, 1, 0));
    await update('litePullMessageEnable=true\n');
    expect(refused.code).to.equal(ResponseCode.NO_PERMISSION);
    expect(refused.remark).to.equal('the broker[127.0.0.1] for lite pull consumer is forbidden');
  });

  it('answers pulls out of range as the Java broker does', async () => {
    const overflowOne = await cluster.toBroker(
      RequestCode.PULL_MESSAGE,
      pullHeader('g1', topic, 1, 2, { sysFlag: '4' }),
    );
    expect(overflowOne.code).to.equal(ResponseCode.PULL_NOT_FOUND);
    expect(overflowOne.extFields!.nextBeginOffset).to.equal('2');
    const badly = await cluster.toBroker(RequestCode.PULL_MESSAGE, pullHeader('g1', topic, 1, 50, { sysFlag: '4' }));
    expect(badly.code).to.equal(ResponseCode.PULL_OFFSET_MOVED);
    const empty = await cluster.toBroker(RequestCode.PULL_MESSAGE, pullHeader('g1', topic, 2, 0, { sysFlag: '4' }));
    expect(empty.code).to.equal(ResponseCode.PULL_NOT_FOUND);
  });

  it('filters by tag on the broker', async () => {
    await cluster.toBroker(
      RequestCode.SEND_MESSAGE_V2,
      sendHeader(topic, 3, 'TAGS\u0001TagB\u0002'),
      Buffer.from('b0'),
    );
    await cluster.toBroker(
      RequestCode.SEND_MESSAGE_V2,
      sendHeader(topic, 3, 'TAGS\u0001TagA\u0002'),
      Buffer.from('a0'),
    );
    const response = await cluster.toBroker(
      RequestCode.PULL_MESSAGE,
      pullHeader('g1', topic, 3, 0, { subscription: 'TagA || TagC' }),
    );
    expect(decodeRecords(response.body!).map((record) => record.body)).to.deep.equal(['a0']);
    expect(response.extFields!.nextBeginOffset).to.equal('2');
  });

  it('stores a 4.9.x client properties string (no trailing separator) with its tag intact', async () => {
    // 4.9.x clients end the string with the last value; Java 4.7.1 parses it and writes it back whole
    const properties = 'TAGS\u0001TagA\u0002KEYS\u0001k49\u0002WAIT\u0001true';
    const topic49 = `${topic}_49`;
    await cluster.toBroker(RequestCode.SEND_MESSAGE_V2, sendHeader(topic49, 0, 'TAGS\u0001TagC'), Buffer.from('c49'));
    await cluster.toBroker(RequestCode.SEND_MESSAGE_V2, sendHeader(topic49, 0, properties), Buffer.from('a49'));
    const response = await cluster.toBroker(
      RequestCode.PULL_MESSAGE,
      pullHeader('g1', topic49, 0, 0, { subscription: 'TagA' }),
    );
    const records = decodeRecords(response.body!);
    expect(records.map((record) => record.body)).to.deep.equal(['a49']);
    expect(records[0].propertiesString).to.equal(
      'KEYS\u0001k49\u0002CLUSTER\u0001DefaultCluster\u0002WAIT\u0001true\u0002TAGS\u0001TagA\u0002',
    );
  });

  it('wakes a held pull within milliseconds of a new message', async () => {
    const held = cluster.toBroker(
      RequestCode.PULL_MESSAGE,
      pullHeader('g1', topic, 0, 0, { suspendTimeoutMillis: '10000' }),
      undefined,
      15000,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const sentAt = Date.now();
    await cluster.toBroker(RequestCode.SEND_MESSAGE_V2, sendHeader(topic, 0), Buffer.from('late'));
    const response = await held;
    expect(Date.now() - sentAt).to.be.lessThan(200);
    expect(response.code).to.equal(ResponseCode.SUCCESS);
    expect(decodeRecords(response.body!)[0].body).to.equal('late');
  });

  it('answers a held pull at its suspend timeout', async () => {
    const started = Date.now();
    const response = await cluster.toBroker(
      RequestCode.PULL_MESSAGE,
      pullHeader('g1', topic, 0, 1, { suspendTimeoutMillis: '400' }),
      undefined,
      5000,
    );
    expect(response.code).to.equal(ResponseCode.PULL_NOT_FOUND);
    expect(Date.now() - started).to.be.within(350, 1500);
  });

  it('stores every message of a batch and lists every id', async () => {
    const body = encodeMessageBatch(
      ['x', 'y', 'z'].map((text) => ({
        flag: 0,
        body: Buffer.from(text),
        propertiesString: `KEYS\u0001k-${text}\u0002`,
      })),
    );
    const response = await cluster.toBroker(
      RequestCode.SEND_BATCH_MESSAGE,
      { ...sendHeader(topic, 2, 'WAIT\u0001true\u0002'), m: 'true' },
      body,
    );
    expect(response.code, response.remark).to.equal(ResponseCode.SUCCESS);
    expect(response.extFields!.msgId.split(',')).to.have.length(3);
    const pulled = await cluster.toBroker(RequestCode.PULL_MESSAGE, pullHeader('g1', topic, 2, 0));
    expect(decodeRecords(pulled.body!).map((record) => [record.body, record.queueOffset])).to.deep.equal([
      ['x', 0],
      ['y', 1],
      ['z', 2],
    ]);
  });

  it('refuses a message over maxMessageSize with MESSAGE_ILLEGAL and stores nothing', async () => {
    const before = await cluster.toBroker(RequestCode.GET_MAX_OFFSET, { topic, queueId: '3' });
    const response = await cluster.toBroker(
      RequestCode.SEND_MESSAGE_V2,
      sendHeader(topic, 3),
      Buffer.alloc(5 * 1024 * 1024, 1),
      10000,
    );
    expect(response.code).to.equal(ResponseCode.MESSAGE_ILLEGAL);
    // Java 4.7.1's fixed text, whatever maxMessageSize is
    expect(response.remark).to.equal(
      'the message is illegal, maybe msg body or properties length not matched. ' +
        'msg body length limit 128k, msg properties length limit 32k.',
    );
    const after = await cluster.toBroker(RequestCode.GET_MAX_OFFSET, { topic, queueId: '3' });
    expect(after.extFields!.offset).to.equal(before.extFields!.offset);
  });

  it('names the missing header field in its error', async () => {
    const header = sendHeader(topic, 0);
    delete header.b;
    const response = await cluster.toBroker(RequestCode.SEND_MESSAGE_V2, header, Buffer.from('x'));
    expect(response.code).to.equal(ResponseCode.SYSTEM_ERROR);
    expect(response.remark).to.contain('<b>');
  });

  it('answers an unknown request code with REQUEST_CODE_NOT_SUPPORTED', async () => {
    const response = await cluster.toBroker(9999);
    expect(response.code).to.equal(ResponseCode.REQUEST_CODE_NOT_SUPPORTED);
  });

  it('lists consumers of a group after their heartbeat', async () => {
    const heartbeat = {
      clientID: '127.0.0.1@it',
      consumerDataSet: [
        {
          consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
          consumeType: 'CONSUME_PASSIVELY',
          groupName: 'gHB',
          messageModel: 'CLUSTERING',
          subscriptionDataSet: [
            {
              classFilterMode: false,
              codeSet: [],
              expressionType: 'TAG',
              subString: '*',
              subVersion: 1,
              tagsSet: [],
              topic,
            },
          ],
          unitMode: false,
        },
      ],
      producerDataSet: [],
    };
    const beat = await cluster.toBroker(RequestCode.HEART_BEAT, undefined, Buffer.from(JSON.stringify(heartbeat)));
    expect(beat.code).to.equal(ResponseCode.SUCCESS);
    expect(beat.version).to.equal(355);
    const list = await cluster.toBroker(RequestCode.GET_CONSUMER_LIST_BY_GROUP, { consumerGroup: 'gHB' });
    expect(parseFastjson(list.body!)).to.deep.equal({ consumerIdList: ['127.0.0.1@it'] });
    const pull = await cluster.toBroker(
      RequestCode.PULL_MESSAGE,
      pullHeader('gHB', topic, 1, 0, { sysFlag: '0', subVersion: '1' }),
    );
    expect(pull.code).to.equal(ResponseCode.SUCCESS);
  });

  it('keeps messages and committed offsets across a broker restart', async () => {
    const young = await cluster.toBroker(RequestCode.QUERY_CONSUMER_OFFSET, {
      consumerGroup: 'gR',
      topic,
      queueId: '1',
    });
    expect(young.code).to.equal(ResponseCode.SUCCESS);
    expect(young.extFields!.offset).to.equal('0');
    await cluster.toBroker(RequestCode.UPDATE_CONSUMER_OFFSET, {
      consumerGroup: 'gR',
      topic,
      queueId: '1',
      commitOffset: '1',
    });
    await cluster.restartBroker();
    const offset = await cluster.toBroker(RequestCode.QUERY_CONSUMER_OFFSET, {
      consumerGroup: 'gR',
      topic,
      queueId: '1',
    });
    expect(offset.extFields!.offset).to.equal('1');
    const pulled = await cluster.toBroker(RequestCode.PULL_MESSAGE, pullHeader('gR', topic, 1, 0));
    expect(decodeRecords(pulled.body!).map((record) => record.body)).to.deep.equal(['m0', 'm1']);
    const next = await cluster.toBroker(RequestCode.SEND_MESSAGE_V2, sendHeader(topic, 1), Buffer.from('m2'));
    expect(next.extFields!.queueOffset).to.equal('2');
  });
});
