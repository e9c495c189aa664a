import { expect } from 'chai';
import { decodeMessageId } from '../../src/codec/message/message-id';
import { decodeMessageProperties } from '../../src/codec/message/message-properties';
import { decodeMessageRecord } from '../../src/codec/message/message-record';
import { RequestCode } from '../../src/codec/request-code';
import { ResponseCode } from '../../src/codec/response-code';
import { Cluster, pullHeader, sendHeader } from './harness';

describe('delay levels and send-back over real sockets', function () {
  this.timeout(20000);
  const cluster = new Cluster();
  const topic = `DELAY_${Date.now()}`;

  before(() => cluster.start({ messageDelayLevel: '1s 2s 3s' }));
  after(() => cluster.stop());

  it('parks a DELAY message in SCHEDULE_TOPIC_XXXX and delivers it to its queue when due', async () => {
    const sent = await cluster.toBroker(
      RequestCode.SEND_MESSAGE_V2,
      sendHeader(topic, 0, 'DELAY\u00011\u0002TAGS\u0001T\u0002'),
      Buffer.from('later'),
    );
    expect(sent.code, sent.remark).to.equal(ResponseCode.SUCCESS);
    const sentAt = Date.now();
    const early = await cluster.toBroker(RequestCode.PULL_MESSAGE, pullHeader('gD', topic, 0, 0, { sysFlag: '4' }));
    expect(early.code).to.equal(ResponseCode.PULL_NOT_FOUND);
    const held = await cluster.toBroker(
      RequestCode.PULL_MESSAGE,
      pullHeader('gD', topic, 0, 0, { suspendTimeoutMillis: '5000' }),
      undefined,
      8000,
    );
    const elapsedMs = Date.now() - sentAt;
    expect(held.code).to.equal(ResponseCode.SUCCESS);
    expect(elapsedMs).to.be.within(800, 1600);
    const { record } = decodeMessageRecord(held.body!, 0);
    const properties = decodeMessageProperties(record.propertiesString);
    expect(record.body.toString()).to.equal('later');
    expect(properties.get('REAL_TOPIC')).to.equal(topic);
    expect(properties.get('DELAY')).to.equal('1'); // kept, as the Java 4.7.1 broker does
  });

  it('sends a message back to %RETRY%group, and to %DLQ%group past its reconsume limit', async () => {
    const sent = await cluster.toBroker(RequestCode.SEND_MESSAGE_V2, sendHeader(topic, 1), Buffer.from('fails'));
    const physicalOffset = decodeMessageId(sent.extFields!.msgId)!.physicalOffset;
    const back = {
      offset: String(physicalOffset),
      group: 'gB',
      delayLevel: '-1',
      originMsgId: sent.extFields!.msgId,
      originTopic: topic,
      maxReconsumeTimes: '16',
    };
    const response = await cluster.toBroker(RequestCode.CONSUMER_SEND_MSG_BACK, back);
    expect(response.code, response.remark).to.equal(ResponseCode.SUCCESS);
    const dlq = await cluster.toBroker(RequestCode.GET_MAX_OFFSET, { topic: '%DLQ%gB', queueId: '0' });
    expect(dlq.extFields!.offset).to.equal('1');
    const retry = await cluster.toBroker(RequestCode.CONSUMER_SEND_MSG_BACK, { ...back, delayLevel: '1' });
    expect(retry.code).to.equal(ResponseCode.SUCCESS);
    const pulled = await cluster.toBroker(
      RequestCode.PULL_MESSAGE,
      pullHeader('gB', '%RETRY%gB', 0, 0, { suspendTimeoutMillis: '5000' }),
      undefined,
      8000,
    );
    expect(pulled.code).to.equal(ResponseCode.SUCCESS);
    const { record } = decodeMessageRecord(pulled.body!, 0);
    expect(record.reconsumeTimes).to.equal(1);
    expect(decodeMessageProperties(record.propertiesString).get('RETRY_TOPIC')).to.equal(topic);
  });

  it('answers a send-back of an unknown offset with SYSTEM_ERROR', async () => {
    const response = await cluster.toBroker(RequestCode.CONSUMER_SEND_MSG_BACK, {
      offset: '99999999',
      group: 'gB',
      delayLevel: '0',
    });
    expect(response.code).to.equal(ResponseCode.SYSTEM_ERROR);
    expect(response.remark).to.contain('look message by offset failed');
  });
});
