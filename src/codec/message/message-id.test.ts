import { expect } from 'chai';
import { parseHostAddress } from './host-address';
import {
  MessageIdPrefixCache,
  createMessageId,
  decodeMessageId,
  messageIdHostPrefix,
  physicalOffsetHex,
  uniqKeyTimestampMs,
} from './message-id';

describe('message ids', () => {
  const storeHost = parseHostAddress('10.0.0.2:10911')!;

  it('creates the Appendix A offsetMsgId', () => {
    expect(createMessageId(storeHost, 1000)).to.equal('0A00000200002A9F00000000000003E8');
    expect(messageIdHostPrefix(storeHost) + physicalOffsetHex(1000)).to.equal('0A00000200002A9F00000000000003E8');
  });

  it('caches the host prefix per store host', () => {
    const cache = new MessageIdPrefixCache();
    expect(cache.prefixOf(storeHost)).to.equal('0A00000200002A9F');
    const other = parseHostAddress('10.0.0.3:10911')!;
    expect(cache.prefixOf(other)).to.equal('0A00000300002A9F');
    expect(cache.prefixOf(storeHost)).to.equal('0A00000200002A9F');
  });

  it('decodes IPv4 and IPv6 ids (either case)', () => {
    const decoded = decodeMessageId('0a00000200002a9f00000000000003e8');
    expect(decoded).to.deep.equal({ storeHost, physicalOffset: 1000 });
    const v6Host = parseHostAddress('[fd00::2]:10911')!;
    const id = createMessageId(v6Host, 2 ** 40);
    expect(id).to.have.length(56);
    expect(decodeMessageId(id)).to.deep.equal({ storeHost: v6Host, physicalOffset: 2 ** 40 });
  });

  it('returns null for bogus ids instead of throwing', () => {
    for (const bogus of ['', 'xyz', '0A00000200002A9F00000000000003E', 'Z'.repeat(32), '0'.repeat(40)]) {
      expect(decodeMessageId(bogus), bogus).to.equal(null);
    }
  });

  it('decodes the approximate time of a UNIQ_KEY', () => {
    const now = new Date(2024, 4, 20, 12, 0, 0).getTime();
    const monthStart = new Date(2024, 4, 1).getTime();
    const sinceMonthStart = now - monthStart - 5000;
    const key = `0A000001${'1234'}${'DEADBEEF'}${sinceMonthStart.toString(16).padStart(8, '0')}0001`;
    expect(uniqKeyTimestampMs(key.toUpperCase(), now)).to.equal(now - 5000);
    const futureKey = `0A0000011234DEADBEEF${(now - monthStart + 60000).toString(16).padStart(8, '0')}0001`;
    const previousMonthStart = new Date(2024, 3, 1).getTime();
    expect(uniqKeyTimestampMs(futureKey, now)).to.equal(previousMonthStart + now - monthStart + 60000);
    expect(uniqKeyTimestampMs('nope', now)).to.equal(null);
  });
});
