import { expect } from 'chai';
import { decodeMessageProperties } from '../../src/codec/message/message-properties';
import { createResponseCommand } from '../../src/codec/remoting-command';
import { RequestCode } from '../../src/codec/request-code';
import { ResponseCode } from '../../src/codec/response-code';
import { Cluster, sendHeader } from './harness';
import { FakeProducer, maxOffset, ok, props } from './message-types-support';

const REPLY_TOPIC = 'DefaultCluster_REPLY_TOPIC';

describe('request-reply over real sockets', function () {
  this.timeout(20000);
  const cluster = new Cluster();
  const requester = new FakeProducer('127.0.0.1@requester', () => cluster.brokerAddr);

  before(async () => {
    await cluster.start();
    await requester.heartbeat('requestGroup');
  });
  after(async () => {
    requester.close();
    await cluster.stop();
  });

  function replyProperties(replyTo: string, correlationId: string): string {
    return props({
      CORRELATION_ID: correlationId,
      REPLY_TO_CLIENT: replyTo,
      MSG_TYPE: 'reply',
      TTL: '3000',
      CLUSTER: 'DefaultCluster',
      WAIT: 'true',
    });
  }

  function replyHeader(replyTo: string, correlationId: string) {
    return { ...sendHeader(REPLY_TOPIC, 0, replyProperties(replyTo, correlationId)), a: 'replierGroup' };
  }

  it('pushes a reply to the requester named by REPLY_TO_CLIENT and stores it', async () => {
    requester.answer = (request) =>
      request.code === RequestCode.PUSH_REPLY_MESSAGE_TO_CLIENT ? ok(request) : undefined;
    const stored = await maxOffset(cluster, REPLY_TOPIC, 0);
    const response = await cluster.toBroker(
      RequestCode.SEND_REPLY_MESSAGE_V2,
      replyHeader('127.0.0.1@requester', 'corr-1'),
      Buffer.from('the answer'),
    );
    expect(response.code, response.remark).to.equal(ResponseCode.SUCCESS);
    expect(response.extFields).to.include({
      queueId: '0',
      queueOffset: String(stored),
      MSG_REGION: 'DefaultRegion',
      TRACE_ON: 'true',
    });
    expect(response.extFields!.msgId).to.match(/^[0-9A-F]{32}$/);
    expect(await maxOffset(cluster, REPLY_TOPIC, 0)).to.equal(stored + 1);
    const [push] = requester.ofCode(RequestCode.PUSH_REPLY_MESSAGE_TO_CLIENT);
    expect(push.body!.toString()).to.equal('the answer');
    expect(push.extFields).to.include({
      producerGroup: 'replierGroup',
      topic: REPLY_TOPIC,
      queueId: '0',
      sysFlag: '0',
      flag: '0',
      unitMode: 'false',
    });
    expect(push.extFields!.bornHost).to.match(/^\/127\.0\.0\.1:\d+$/);
    expect(push.extFields!.storeHost).to.match(/^\/127\.0\.0\.1:\d+$/);
    const properties = decodeMessageProperties(push.extFields!.properties);
    expect(properties.get('CORRELATION_ID')).to.equal('corr-1');
    expect(Number(properties.get('PUSH_REPLY_TIME'))).to.be.closeTo(Date.now(), 5000);
  });

  it('answers SYSTEM_ERROR when the requester is unknown or refuses, and still stores the reply', async () => {
    const stored = await maxOffset(cluster, REPLY_TOPIC, 0);
    const unknown = await cluster.toBroker(
      RequestCode.SEND_REPLY_MESSAGE_V2,
      replyHeader('nobody@1', 'corr-2'),
      Buffer.from('lost'),
    );
    expect([unknown.code, unknown.remark]).to.deep.equal([
      ResponseCode.SYSTEM_ERROR,
      'push reply message fail, channel of <nobody@1> not found.',
    ]);
    requester.answer = (request) =>
      createResponseCommand(request, ResponseCode.SYSTEM_ERROR, { remark: 'process reply message fail' });
    const v1Header = {
      producerGroup: 'replierGroup',
      topic: REPLY_TOPIC,
      defaultTopic: 'TBW102',
      defaultTopicQueueNums: '4',
      queueId: '0',
      sysFlag: '0',
      bornTimestamp: String(Date.now()),
      flag: '0',
      properties: replyProperties('127.0.0.1@requester', 'corr-3'),
    };
    const refused = await cluster.toBroker(RequestCode.SEND_REPLY_MESSAGE, v1Header, Buffer.from('refused'));
    expect([refused.code, refused.remark]).to.deep.equal([
      ResponseCode.SYSTEM_ERROR,
      'push reply message to 127.0.0.1@requesterfail.',
    ]);
    expect(await maxOffset(cluster, REPLY_TOPIC, 0)).to.equal(stored + 2);
  });
});
