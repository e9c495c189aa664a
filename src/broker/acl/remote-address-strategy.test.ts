import { expect } from 'chai';
import { AclException } from './acl-exception';
import { remoteAddressStrategy } from './remote-address-strategy';

describe('acl remote address strategies (RemoteAddressStrategyFactory)', () => {
  it('matches as Java does', () => {
    const table: [string, string, boolean][] = [
      ['*', '1.2.3.4', true],
      ['*.*.*.*', '1.2.3.4', true],
      ['', '1.2.3.4', false],
      ['127.0.0.1', '127.0.0.1', true],
      ['127.0.0.1', '127.0.0.2', false],
      ['192.168.0.{1,2}', '192.168.0.2', true],
      ['192.168.0.{1,2}', '192.168.0.3', false],
      ['192.168.0.1,10.0.0.1', '10.0.0.1', true],
      ['192.168.1.1-5', '192.168.1.5', true],
      ['192.168.1.1-5', '192.168.1.6', false],
      ['192.168.1.1-5', '192.168.2.3', false],
      ['192.168.*.*', '192.168.200.7', true],
      ['192.168.*.*', '192.169.0.1', false],
      ['10.10.103.*', '10.10.103.77', true],
      ['10.10.103.*', '10.10.104.1', false],
      ['::1', '0:0:0:0:0:0:0:1', true],
      ['2::AC5:78:1-200', '2::ac5:78:1', true],
      ['2::AC5:78:1-200', '2:0:0:0:0:ac5:78:200', true],
      ['2::AC5:78:1-200', '2::ac5:78:201', false],
      ['2::AC5:78:1-200', '2::ac5:79:1', false],
      ['2::AC5:78:*', '2::ac5:78:ffff', true],
      ['2::AC5:78:*', '2::ac5:77:1', false],
      ['2::AC5:1-200:*', '2::ac5:1ff:1234', true],
      ['2::AC5:1-200:*', '2::ac5:201:1234', false],
      ['2::AC5:78:1-200', '10.0.0.1', false],
      ['2::ac5:78:1-200', '2::ac5:78:1', true],
      // accepted as in Java (only the groups before the range are checked), and matches nothing
      ['2::zz:78:*', '2::ac5:78:1', false],
    ];
    for (const [pattern, address, expected] of table) {
      expect(remoteAddressStrategy(pattern).match(address), `${pattern} ~ ${address}`).to.equal(expected);
    }
  });

  // Every IPv6 row above was checked against 4.7.1's RemoteAddressStrategyFactory (same results).
  it('refuses patterns Java refuses (including 192.168.*, which 4.7.1 does not accept)', () => {
    for (const bad of [
      '192.168.*',
      '192.168.1.-5',
      '192.168.1.5-1',
      '192.168.1.1-300',
      'host.example',
      '192.168.0.{1,x}',
      '1.2.3.{1',
      'a,b',
      '1.2.3.4.5',
      '2::*:78:1',
      '2::ac5:1-200:78',
      '2::ac5:78:-5',
      '2::ac5:78:200-1',
      '2::ac5:78:1-10000',
    ]) {
      expect(() => remoteAddressStrategy(bad), bad).to.throw(AclException);
    }
  });
});
