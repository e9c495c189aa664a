import { expect } from 'chai';
import { uniqKeyTimestampMs } from '../codec/message/message-id';
import { toPlain } from './console-calls';
import { BadRequest, intField, stringField, timeField } from './console-input';
import { newUniqKey } from './console-send';
import { importMapHash, isAddressHost } from './console-server';

describe('console input checks', () => {
  it('takes strings, integers and times within their limits and names the field otherwise', () => {
    expect(stringField({ topic: ' T1 ' }, 'topic')).to.equal('T1');
    expect(stringField({}, 'tags', { optional: true })).to.equal('');
    expect(() => stringField({}, 'topic')).to.throw(BadRequest, 'topic is required');
    expect(() => stringField({ topic: 5 }, 'topic')).to.throw(BadRequest, 'topic must be a string');
    expect(() => stringField({ keys: 'k'.repeat(300) }, 'keys', { maxChars: 255 })).to.throw(
      BadRequest,
      'keys is longer than 255 characters',
    );
    expect(intField({ n: '7' }, 'n', 1, 10)).to.equal(7);
    expect(intField({}, 'n', 1, 10, 3)).to.equal(3);
    expect(() => intField({ n: 1.5 }, 'n', 1, 10)).to.throw(BadRequest, 'n must be an integer');
    expect(() => intField({ n: 11 }, 'n', 1, 10)).to.throw(BadRequest, 'n must be between 1 and 10');
    expect(timeField({ t: 1700000000000 }, 't')).to.equal(1700000000000);
    expect(timeField({ t: '-1' }, 't')).to.equal(-1);
    expect(timeField({ t: '2026-01-02T03:04:05Z' }, 't')).to.equal(Date.UTC(2026, 0, 2, 3, 4, 5));
    expect(() => timeField({ t: 'soon' }, 't')).to.throw(BadRequest, 't is not a time');
    expect(() => timeField({ t: -5 }, 't')).to.throw(BadRequest);
  });

  it('turns fastjson maps into JSON: string keys as objects, other keys as key/value lists', () => {
    const mq = { brokerName: 'b', queueId: 0, topic: 'T' };
    const plain = toPlain({
      table: new Map([['a', 1]]),
      offsets: new Map([[mq, 5]]) as never,
      ids: new Map([[0, 'x']]) as never,
    });
    expect(plain).to.deep.equal({ table: { a: 1 }, offsets: [{ key: mq, value: 5 }], ids: [{ key: 0, value: 'x' }] });
  });

  it('makes UNIQ_KEYs in the 4.7.1 layout, distinct, whose time reads back', () => {
    const nowMs = Date.now();
    const first = newUniqKey(Buffer.from([127, 0, 0, 1]), nowMs);
    const second = newUniqKey(Buffer.from([127, 0, 0, 1]), nowMs);
    expect(first).to.match(/^7F000001[0-9A-F]{24}$/);
    expect(second).to.not.equal(first);
    expect(uniqKeyTimestampMs(first, nowMs + 1)).to.equal(nowMs);
  });

  it('hashes the page import map for the CSP, and fails without one', () => {
    expect(importMapHash('<script type="importmap">{}</script>')).to.equal(
      'sha256-RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o=',
    );
    expect(() => importMapHash('<html></html>')).to.throw('no import map');
  });

  it('takes only IP addresses and localhost as the Host of a console without ACL', () => {
    for (const host of ['127.0.0.1:8080', '127.0.0.1', '[::1]:8080', 'localhost:8080', '10.1.2.3:80'])
      expect(isAddressHost(host), host).to.equal(true);
    for (const host of [undefined, 'evil.example:8080', 'localhost.evil.example', '127.0.0.1.nip.io:8080'])
      expect(isAddressHost(host), String(host)).to.equal(false);
  });
});
