import { expect } from 'chai';
import { parseHostAddress } from '../codec/message/host-address';
import type { Connection } from '../remoting/connection';
import { bornHostOf } from './born-host';

const STORE_HOST = parseHostAddress('127.0.0.1:10911')!;

describe('bornHostOf', () => {
  it('parses a connection address once and gives every message the same value', () => {
    const connection = { remoteAddress: '10.1.2.3:50123' } as Connection;
    const first = bornHostOf(connection, STORE_HOST);
    expect([...first.address]).to.deep.equal([10, 1, 2, 3]);
    expect(first.port).to.equal(50123);
    expect(bornHostOf(connection, STORE_HOST)).to.equal(first);
    expect(bornHostOf({ remoteAddress: '10.1.2.4:1' } as Connection, STORE_HOST)).not.to.equal(first);
  });

  it('falls back to the store host for an address that does not parse', () => {
    const connection = { remoteAddress: '?:0' } as Connection;
    expect(bornHostOf(connection, STORE_HOST)).to.equal(STORE_HOST);
    expect(bornHostOf(connection, STORE_HOST)).to.equal(STORE_HOST);
  });
});
