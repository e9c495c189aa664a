import { expect } from 'chai';
import { decodeMessageRecord } from '../../src/codec/message/message-record';
import { RequestCode } from '../../src/codec/request-code';
import { ResponseCode } from '../../src/codec/response-code';
import { FakeConsumer } from './consumption-support';
import { Cluster, pullHeader, sendHeader } from './harness';

function bodies(body: Buffer | undefined): string[] {
  const out: string[] = [];
  for (let position = 0; body !== undefined && position < body.length; ) {
    const { record, sizeBytes } = decodeMessageRecord(body, position);
    out.push(record.body.toString());
    position += sizeBytes;
  }
  return out;
}

const sqlPull = (group: string, topic: string, expression: string, extra: Record<string, string> = {}) =>
  pullHeader(group, topic, 0, 0, { sysFlag: '4', expressionType: 'SQL92', subscription: expression, ...extra });

describe('SQL92 filtering over real sockets', function () {
  this.timeout(20000);
  const cluster = new Cluster();
  const topic = `SQL_${Date.now()}`;
  const consumers: FakeConsumer[] = [];

  before(async () => {
    await cluster.start({ enablePropertyFilter: true });
    for (let i = 0; i < 10; i++) {
      const properties = `TAGS\u0001${i % 2 === 0 ? 'x' : 'y'}\u0002a\u0001${i}\u0002${i === 9 ? '' : `b\u0001v${i}\u0002`}`;
      await cluster.toBroker(RequestCode.SEND_MESSAGE_V2, sendHeader(topic, 0, properties), Buffer.from(`m${i}`));
    }
  });
  after(async () => {
    for (const c of consumers) c.close();
    await cluster.stop();
  });

  it('serves a pull with an SQL92 subscription only the matching messages, TAGS included', async () => {
    const response = await cluster.toBroker(RequestCode.PULL_MESSAGE, sqlPull('gSql', topic, "a >= 3 AND TAGS = 'x'"));
    expect(response.code, response.remark).to.equal(ResponseCode.SUCCESS);
    expect(bodies(response.body)).to.deep.equal(['m4', 'm6', 'm8']);
    expect(response.extFields!.nextBeginOffset).to.equal('10');
    const between = await cluster.toBroker(
      RequestCode.PULL_MESSAGE,
      sqlPull('gSql', topic, 'a BETWEEN 2 AND 4 OR b IS NULL'),
    );
    expect(bodies(between.body)).to.deep.equal(['m2', 'm3', 'm4', 'm9']);
    const inList = await cluster.toBroker(
      RequestCode.PULL_MESSAGE,
      sqlPull('gSql', topic, "b IN ('v1', 'v7') AND NOT (a = 1)"),
    );
    expect(bodies(inList.body)).to.deep.equal(['m7']);
  });

  it('answers PULL_RETRY_IMMEDIATELY past the scanned entries when nothing matches', async () => {
    const response = await cluster.toBroker(RequestCode.PULL_MESSAGE, sqlPull('gSql', topic, 'a > 100'));
    expect([response.code, response.remark]).to.deep.equal([ResponseCode.PULL_RETRY_IMMEDIATELY, 'NO_MATCHED_MESSAGE']);
    expect(response.extFields!.nextBeginOffset).to.equal('10');
  });

  it('refuses a pull whose SQL92 expression does not compile', async () => {
    const response = await cluster.toBroker(RequestCode.PULL_MESSAGE, sqlPull('gSql', topic, 'a > '));
    expect(response.code).to.equal(ResponseCode.SUBSCRIPTION_PARSE_FAILED);
  });

  it('filters by the heartbeat subscription, and answers FILTER_DATA_NOT_EXIST after a bad one', async () => {
    const c = new FakeConsumer('127.0.0.1@sql', cluster.brokerAddr);
    consumers.push(c);
    await c.heartbeat('gBeat', [{ topic, subString: 'a < 2', expressionType: 'SQL92', subVersion: 5 }]);
    const good = await c.call(
      RequestCode.PULL_MESSAGE,
      pullHeader('gBeat', topic, 0, 0, { sysFlag: '0', subVersion: '5' }),
    );
    expect(bodies(good.body)).to.deep.equal(['m0', 'm1']);
    const newer = await c.call(
      RequestCode.PULL_MESSAGE,
      pullHeader('gBeat', topic, 0, 0, { sysFlag: '0', subVersion: '6' }),
    );
    expect(newer.code).to.equal(ResponseCode.SUBSCRIPTION_NOT_LATEST);

    const beat = await c.heartbeat('gBeat', [{ topic, subString: 'a <', expressionType: 'SQL92', subVersion: 7 }]);
    expect(beat.code, 'the heartbeat itself succeeds, as in Java').to.equal(ResponseCode.SUCCESS);
    const bad = await c.call(
      RequestCode.PULL_MESSAGE,
      pullHeader('gBeat', topic, 0, 0, { sysFlag: '0', subVersion: '7' }),
    );
    expect(bad.code).to.equal(ResponseCode.FILTER_DATA_NOT_EXIST);
    expect(bad.remark).to.contain('Your expression may be wrong');
  });

  it('wakes a held SQL92 pull for a new message and serves it only if it matches', async () => {
    const offset = '10';
    const held = cluster.toBroker(
      RequestCode.PULL_MESSAGE,
      sqlPull('gHold', topic, 'a = 42', { queueOffset: offset, sysFlag: '6', suspendTimeoutMillis: '5000' }),
      undefined,
      8000,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const sentAt = Date.now();
    await cluster.toBroker(RequestCode.SEND_MESSAGE_V2, sendHeader(topic, 0, 'a\u000142\u0002'), Buffer.from('m42'));
    const response = await held;
    expect(Date.now() - sentAt).to.be.lessThan(500);
    expect(bodies(response.body)).to.deep.equal(['m42']);
  });

  it('accepts and refuses SQL92 by enablePropertyFilter, changed at runtime with UPDATE_BROKER_CONFIG', async () => {
    const check = (subString: string) =>
      cluster.toBroker(
        RequestCode.CHECK_CLIENT_CONFIG,
        undefined,
        Buffer.from(
          JSON.stringify({
            clientId: 'c',
            group: 'gCheck',
            subscriptionData: {
              classFilterMode: false,
              codeSet: [],
              expressionType: 'SQL92',
              subString,
              subVersion: 1,
              tagsSet: [],
              topic,
            },
          }),
        ),
      );
    expect((await check('a > 1')).code).to.equal(ResponseCode.SUCCESS);
    expect((await check('a >>')).code).to.equal(ResponseCode.SUBSCRIPTION_PARSE_FAILED);
    await cluster.toBroker(RequestCode.UPDATE_BROKER_CONFIG, undefined, Buffer.from('enablePropertyFilter=false\n'));
    try {
      const refused = await check('a > 1');
      expect([refused.code, refused.remark]).to.deep.equal([
        ResponseCode.SYSTEM_ERROR,
        'The broker does not support consumer to filter message by SQL92',
      ]);
      const pull = await cluster.toBroker(RequestCode.PULL_MESSAGE, sqlPull('gSql', topic, 'a > 1'));
      expect([pull.code, pull.remark]).to.deep.equal([
        ResponseCode.SYSTEM_ERROR,
        'The broker does not support consumer to filter message by SQL92',
      ]);
    } finally {
      await cluster.toBroker(RequestCode.UPDATE_BROKER_CONFIG, undefined, Buffer.from('enablePropertyFilter=true\n'));
    }
  });
});
