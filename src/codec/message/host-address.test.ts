import { expect } from 'chai';
import { formatHostAddress, parseHostAddress, parseIpAddress } from './host-address';
import {
  MessageSysFlag,
  getTransactionValue,
  isDispatchedToConsumeQueue,
  resetTransactionValue,
  withHostFlags,
} from './message-sys-flag';

describe('host addresses', () => {
  it('parses and formats IPv4', () => {
    const host = parseHostAddress('10.0.0.1:50000')!;
    expect(host.address).to.deep.equal(Buffer.from([10, 0, 0, 1]));
    expect(host.port).to.equal(50000);
    expect(formatHostAddress(host)).to.equal('10.0.0.1:50000');
    expect(parseHostAddress('/10.0.0.1:50000')).to.deep.equal(host);
    expect(parseHostAddress('box/10.0.0.1:50000')).to.deep.equal(host);
  });

  it('parses and formats IPv6 in bracket and Java forms', () => {
    const host = parseHostAddress('[fd00::2]:10911')!;
    expect(host.address.toString('hex')).to.equal('fd000000000000000000000000000002');
    expect(formatHostAddress(host)).to.equal('[fd00::2]:10911');
    expect(parseHostAddress('/fd00:0:0:0:0:0:0:2:10911')).to.deep.equal(host);
    expect(formatHostAddress(parseHostAddress('[::1]:1')!)).to.equal('[::1]:1');
    expect(formatHostAddress(parseHostAddress('[1:0:0:2:0:0:0:3]:1')!)).to.equal('[1:0:0:2::3]:1');
    expect(formatHostAddress(parseHostAddress('[1:2:3:4:5:6:7:8]:1')!)).to.equal('[1:2:3:4:5:6:7:8]:1');
    expect(parseIpAddress('::ffff:10.0.0.1')!.toString('hex')).to.equal('00000000000000000000ffff0a000001');
  });

  it('rejects malformed text', () => {
    for (const bad of ['', '10.0.0.1', '10.0.0.256:1', '10.0.0.1:70000', 'host:80', '1::2::3:4', '[::1]:x']) {
      expect(parseHostAddress(bad), bad).to.equal(null);
    }
  });
});

describe('sysFlag helpers', () => {
  it('reads and resets the transaction type', () => {
    const flag = MessageSysFlag.COMPRESSED_FLAG | MessageSysFlag.TRANSACTION_PREPARED_TYPE;
    expect(getTransactionValue(flag)).to.equal(4);
    expect(resetTransactionValue(flag, MessageSysFlag.TRANSACTION_COMMIT_TYPE)).to.equal(0x9);
    expect(isDispatchedToConsumeQueue(0)).to.equal(true);
    expect(isDispatchedToConsumeQueue(0x8)).to.equal(true);
    expect(isDispatchedToConsumeQueue(0x4)).to.equal(false);
    expect(isDispatchedToConsumeQueue(0xc)).to.equal(false);
    expect(withHostFlags(0x31, false, true)).to.equal(0x21);
  });
});
