import { expect } from 'chai';
import { decodeMessageId } from '../../src/codec/message/message-id';
import { decodeMessageRecord } from '../../src/codec/message/message-record';
import { RequestCode } from '../../src/codec/request-code';
import { ResponseCode } from '../../src/codec/response-code';
import { Cluster, sendHeader } from './harness';

describe('QUERY_MESSAGE and VIEW_MESSAGE_BY_ID over real sockets', function () {
  this.timeout(20000);
  const cluster = new Cluster();
  const topic = `QUERY_${Date.now()}`;
  let offsetMsgId = '';

  before(async () => {
    await cluster.start();
    for (let i = 0; i < 3; i++) {
      const props = `KEYS\u0001order-${i} shared\u0002UNIQ_KEY\u0001AC110001000000000000000000${String(i).padStart(6, '0')}\u0002`;
      const sent = await cluster.toBroker(
        RequestCode.SEND_MESSAGE_V2,
        sendHeader(topic, 0, props),
        Buffer.from(`body-${i}`),
      );
      expect(sent.code, sent.remark).to.equal(ResponseCode.SUCCESS);
      if (i === 1) offsetMsgId = sent.extFields!.msgId;
    }
  });
  after(() => cluster.stop());

  const query = (key: string, extra: Record<string, string> = {}) =>
    cluster.toBroker(RequestCode.QUERY_MESSAGE, {
      topic,
      key,
      maxNum: '64',
      beginTimestamp: '0',
      endTimestamp: '9223372036854775807',
      ...extra,
    });

  const bodies = (body: Buffer) => {
    const found: string[] = [];
    for (let position = 0; position < body.length; ) {
      const { record, sizeBytes } = decodeMessageRecord(body, position);
      found.push(record.body.toString());
      position += sizeBytes;
    }
    return found.sort();
  };

  it('finds messages by a KEYS token, with an open-ended time range', async () => {
    const response = await query('order-2');
    expect(response.code, response.remark).to.equal(ResponseCode.SUCCESS);
    expect(bodies(response.body!)).to.deep.equal(['body-2']);
    expect(Number(response.extFields!.indexLastUpdatePhyoffset)).to.be.greaterThan(0);
  });

  it('finds every message sharing a key', async () => {
    expect(bodies((await query('shared')).body!)).to.deep.equal(['body-0', 'body-1', 'body-2']);
  });

  it('finds a message by its unique key', async () => {
    const response = await query('AC110001000000000000000000000001', { _UNIQUE_KEY_QUERY: 'true' });
    expect(bodies(response.body!)).to.deep.equal(['body-1']);
  });

  it('answers QUERY_NOT_FOUND for an unknown key', async () => {
    const response = await query('nope');
    expect(response.code).to.equal(ResponseCode.QUERY_NOT_FOUND);
    expect(response.remark).to.contain('can not find message');
  });

  it('views a message by the offset in its offsetMsgId, and refuses a bogus offset', async () => {
    const physicalOffset = decodeMessageId(offsetMsgId)!.physicalOffset;
    const found = await cluster.toBroker(RequestCode.VIEW_MESSAGE_BY_ID, { offset: String(physicalOffset) });
    expect(bodies(found.body!)).to.deep.equal(['body-1']);
    const bogus = await cluster.toBroker(RequestCode.VIEW_MESSAGE_BY_ID, { offset: '123456789012' });
    expect(bogus.code).to.equal(ResponseCode.SYSTEM_ERROR);
    const notNumber = await cluster.toBroker(RequestCode.VIEW_MESSAGE_BY_ID, { offset: 'abc' });
    expect(notNumber.code).to.equal(ResponseCode.SYSTEM_ERROR);
    expect(notNumber.remark).to.contain('<offset>');
  });
});
