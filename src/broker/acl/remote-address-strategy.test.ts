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
    ];
    for (const [pattern, address, expected] of table) {
      expect(remoteAddressStrategy(pattern).match(address), `${pattern} ~ ${address}`).to.equal(expected);
    }
  });

  it('refuses patterns Java refuses (including 192.168.*, which 4.7.1 does not accept)', () => {
    for (const bad of ['192.168.*', '192.168.1.-5', '192.168.1.5-1', '192.168.1.1-300', 'host.example', '192.168.0.{1,x}', '1.2.3.{1', 'a,b', '1.2.3.4.5']) {
      expect(() => remoteAddressStrategy(bad), bad).to.throw(AclException);
    }
  });
});
