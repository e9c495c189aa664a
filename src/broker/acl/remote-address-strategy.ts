// RemoteAddressStrategyFactory (acl/plain): the white-address patterns of plain_acl.yml.
//   blank → matches nothing; "*" / "*.*.*.*" → everything; "192.168.0.{1,2}" and "a,b" → a set;
//   "192.168.1.1-5", "192.168.*.*" → a range on the first octet holding "*" or "-"; else one address.
// Java's quirks kept: a range must still have four octets ("192.168.*" is refused, as 4.7.1 refuses
// it); in "10.*.1.1" only the octet with the "*" is compared. IPv6: single addresses and sets
// (compared expanded); IPv6 ranges ("2::ac5:78:1-200", "2::ac5:78:*", "2::ac5:1-200:*") as in
// ipv6-range.ts.
import net from 'node:net';
import { ipv6Range } from './ipv6-range';
import { AclException } from './acl-exception';

export interface RemoteAddressStrategy {
  /** `address` is the peer's IP without port. */
  match(address: string | undefined): boolean;
}

const NOTHING: RemoteAddressStrategy = { match: () => false };
const EVERYTHING: RemoteAddressStrategy = { match: () => true };

/** AclUtils.expandIP for IPv6: eight groups of four upper-case hex digits; IPv4 unchanged. */
export function expandIp(address: string): string {
  if (!net.isIPv6(address)) return address;
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.map((group) => group.padStart(4, '0').toUpperCase()).join(':');
}

function isAddress(text: string): boolean {
  return net.isIPv4(text) || net.isIPv6(text);
}

function oneAddress(text: string): RemoteAddressStrategy {
  if (!isAddress(text)) throw new AclException(`Netaddress examine Exception netaddress is ${text}`);
  const expected = expandIp(text).toUpperCase();
  return { match: (address) => address !== undefined && expandIp(address).toUpperCase() === expected };
}

function multiple(addresses: string[]): RemoteAddressStrategy {
  const set = new Set<string>();
  for (const address of addresses) {
    if (!isAddress(address)) throw new AclException(`Netaddress examine Exception netaddress is ${address}`);
    set.add(net.isIPv6(address) ? expandIp(address) : address);
  }
  return { match: (address) => address !== undefined && set.has(net.isIPv6(address) ? expandIp(address) : address) };
}

const OCTET = /^\d+$/;

/** AclUtils.isScope(netaddress, index): four parts, the first `count` of them 0..255. */
function verify(text: string, parts: string[], count: number): void {
  const scoped =
    parts.length === 4 && parts.slice(0, count).every((part) => OCTET.test(part.trim()) && Number(part.trim()) <= 255);
  if (!scoped) throw new AclException(`Netaddress examine scope Exception netaddress is ${text}`);
}

function range(text: string): RemoteAddressStrategy {
  if (text.includes(':')) return ipv6Range(text);
  const parts = text.split('.').filter((part) => part.length > 0);
  let start = 0;
  let end = 0;
  let index = 0;
  for (let i = 1; i <= 3 && end <= 0; i++) {
    index = i;
    const value = (parts[i] ?? '').trim();
    if (value === '*') [start, end] = [0, 255];
    else if (value.includes('-')) {
      if (value.startsWith('-'))
        throw new AclException(`RangeRemoteAddressStrategy netaddress examine scope Exception value ${value} `);
      const [low, high] = value
        .split('-')
        .filter((piece) => piece.length > 0)
        .map(Number);
      [start, end] = [low, high];
      if (!(end >= 0 && end <= 255 && start >= 0 && start <= 255 && start <= end)) {
        throw new AclException(
          `RangeRemoteAddressStrategy netaddress examine scope Exception start is ${start} , end is ${end}`,
        );
      }
    }
  }
  if (end <= 0) throw new AclException(`Netaddress examine scope Exception netaddress is ${text}`);
  verify(text, parts, index - 1);
  const head = parts
    .slice(0, index)
    .map((part) => `${part.trim()}.`)
    .join('');
  return {
    match(address) {
      if (address === undefined || !net.isIPv4(address) || !address.startsWith(head)) return false;
      const octets = address.split('.');
      const value = Number(octets[index]);
      return value >= start && value <= end;
    },
  };
}

/** RemoteAddressStrategyFactory.getRemoteAddressStrategy. Throws AclException for a bad pattern. */
export function remoteAddressStrategy(pattern: string | undefined | null): RemoteAddressStrategy {
  const text = pattern === undefined || pattern === null ? '' : String(pattern);
  if (text.trim() === '') return NOTHING;
  if (text === '*' || text === '*.*.*.*' || text === '*:*:*:*:*:*:*:*') return EVERYTHING;
  if (text.endsWith('}')) {
    const parts = text.includes(':') ? text.split(':') : text.split('.');
    const last = parts[text.includes(':') ? parts.length - 1 : 3] ?? '';
    if (!last.startsWith('{'))
      throw new AclException('MultipleRemoteAddressStrategy netaddress examine scope Exception netaddress');
    const prefix = text.substring(0, text.indexOf('{'));
    return multiple(
      last
        .substring(1, last.length - 1)
        .split(',')
        .filter((piece) => piece.length > 0)
        .map((piece) => prefix + piece),
    );
  }
  if (text.includes(',')) return multiple(text.split(',').filter((piece) => piece.length > 0));
  if (text.includes('*') || text.includes('-')) return range(text);
  return oneAddress(text);
}
