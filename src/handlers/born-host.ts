// BORNHOST of a message: the sending connection's address, parsed once per connection (not per
// message) and shared read-only by every record that connection sends.
import { type HostAddress, parseHostAddress } from '../codec/message/host-address';
import type { Connection } from '../remoting/connection';

const parsed = new WeakMap<Connection, HostAddress | null>();

/** The connection's remote address as a HostAddress, or `fallback` when it does not parse. */
export function bornHostOf(connection: Connection, fallback: HostAddress): HostAddress {
  let host = parsed.get(connection);
  if (host === undefined) {
    host = parseHostAddress(connection.remoteAddress);
    parsed.set(connection, host);
  }
  return host ?? fallback;
}
