// RangeRemoteAddressStrategy for IPv6 patterns (4.7.1's AclUtils.IPv6AddressCheck, v6ipProcess and
// expandIP): one group of the pattern is `*` or `start-end` (hex), e.g.
//   2::ac5:78:1-200     the 8th group in 0x1..0x200, the first seven 2:0:0:0:0:ac5:78
//   2::ac5:78:*         the 8th group anything
//   2::ac5:1-200:*      the 7th group in 0x1..0x200, the 8th anything
// A `*` may only end the pattern, and a range only be the last group (or the one before a final `*`).
// Both sides are compared upper-case. As in Java, only the groups before the ranged one must be hex
// (AclUtils.verify); a later group that is not ("2::zz:78:*") is accepted and never matches.
import net from 'node:net';
import { AclException } from './acl-exception';
import type { RemoteAddressStrategy } from './remote-address-strategy';

const MAX_GROUP = 0xffff;
const HEX = /^[0-9a-fA-F]+$/;

function scopeError(text: string): AclException {
  return new AclException(`Netaddress examine scope Exception netaddress is ${text}`);
}

/** AclUtils.expandIP(netaddress, part): every group padded to four digits, `::` filled up to `part` groups. */
export function expandIpv6(address: string, part: number): string {
  const groups = address
    .split(':')
    .filter((group) => group.length > 0)
    .map((group) => group.padStart(4, '0'));
  const compressAt = address.indexOf('::');
  if (compressAt < 0) return groups.join(':');
  const before = address.startsWith(':')
    ? 0
    : address
        .substring(0, compressAt)
        .split(':')
        .filter((g) => g.length > 0).length;
  const zeros: string[] = Array(Math.max(0, part - groups.length)).fill('0000');
  if (address.endsWith(':')) return [...groups.slice(0, before), ...zeros].join(':');
  return [...groups.slice(0, before), ...zeros, ...groups.slice(before)].join(':');
}

/** AclUtils.IPv6AddressCheck: `*` only at the end, a range only in the last group (or before a final `*`). */
function checkShape(text: string): void {
  const asterisk = text.indexOf('*');
  const minus = text.indexOf('-');
  if (asterisk > -1 && asterisk !== text.length - 1) throw scopeError(text);
  if (minus < 0) return;
  const lastColon = text.lastIndexOf(':');
  const limit = asterisk === -1 ? lastColon : text.lastIndexOf(':', lastColon - 1);
  if (minus <= limit) throw scopeError(text);
}

function parseHex(text: string, pattern: string): number {
  if (!HEX.test(text)) throw scopeError(pattern);
  return Number.parseInt(text, 16);
}

/** AclUtils.verify(netaddress, count): the first `count` groups of the expanded pattern are hex ≤ ffff. */
function verify(text: string, count: number): void {
  const groups = expandIpv6(text, 8)
    .split(':')
    .filter((group) => group.length > 0);
  for (let i = 0; i < count; i++) {
    if (!HEX.test(groups[i] ?? '') || Number.parseInt(groups[i], 16) > MAX_GROUP) throw scopeError(text);
  }
}

/** The first group that is `*` or a range, as Java's ipv6Analysis finds it: its bounds. */
function bounds(text: string): { start: number; end: number } {
  const groups = text.split(':').filter((group) => group.length > 0);
  for (let i = 1; i < groups.length; i++) {
    const value = groups[i].trim();
    if (value === '*') return verified(text, i, { start: 0, end: MAX_GROUP });
    if (!value.includes('-')) continue;
    if (value.startsWith('-'))
      throw new AclException(`RangeRemoteAddressStrategy netaddress examine scope Exception value ${value} `);
    const [low, high] = value.split('-').filter((piece) => piece.length > 0);
    const start = parseHex(low ?? '', text);
    const end = parseHex(high ?? '', text);
    if (!(start <= MAX_GROUP && end <= MAX_GROUP && start <= end)) {
      throw new AclException(
        `RangeRemoteAddressStrategy netaddress examine scope Exception start is ${start} , end is ${end}`,
      );
    }
    if (end > 0) return verified(text, i, { start, end });
  }
  throw scopeError(text);
}

function verified(text: string, index: number, range: { start: number; end: number }): { start: number; end: number } {
  verify(text, index - 1);
  return range;
}

/** The fixed head of the pattern, expanded (v6ipProcess): everything before the ranged group. */
function head(text: string): string {
  const asterisk = text.includes('*');
  const minus = text.includes('-');
  const lastColon = text.lastIndexOf(':');
  if (asterisk && minus) return expandIpv6(text.substring(0, text.substring(0, lastColon).lastIndexOf(':')), 6);
  return expandIpv6(text.substring(0, lastColon), 7);
}

export function ipv6Range(text: string): RemoteAddressStrategy {
  checkShape(text);
  const { start, end } = bounds(text);
  const prefix = head(text).toUpperCase();
  const index = prefix.split(':').filter((group) => group.length > 0).length;
  return {
    match(address) {
      if (address === undefined || !net.isIPv6(address)) return false;
      const expanded = expandIpv6(address, 8).toUpperCase();
      if (!expanded.startsWith(prefix)) return false;
      const value = Number.parseInt(expanded.substring(5 * index, 5 * index + 4), 16);
      return value >= start && value <= end;
    },
  };
}
