// BORNHOST / STOREHOST of a stored record: a raw IP address (4 bytes IPv4, 16 bytes IPv6) plus an
// int32 port, and their "ip:port" text form.
//
// Text forms accepted by parseHostAddress: "10.0.0.1:50000", "/10.0.0.1:50000" and
// "name/10.0.0.1:50000" (java.net.InetSocketAddress.toString), "[fd00::2]:10911", and the
// bracket-less Java form "fd00:0:0:0:0:0:0:2:10911" (the last colon separates the port).
// formatHostAddress writes "10.0.0.1:50000" or "[fd00::2]:10911".

export interface HostAddress {
  /** 4 bytes (IPv4) or 16 bytes (IPv6), network order. */
  address: Buffer;
  port: number;
}

export const IPV4_ADDRESS_BYTES = 4;
export const IPV6_ADDRESS_BYTES = 16;

function parseIpv4(text: string): Buffer | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes = Buffer.alloc(4);
  for (let i = 0; i < 4; i++) {
    if (!/^\d{1,3}$/.test(parts[i])) return null;
    const value = Number(parts[i]);
    if (value > 255) return null;
    bytes[i] = value;
  }
  return bytes;
}

function parseIpv6Groups(text: string): number[] | null {
  if (text === '') return [];
  const groups: number[] = [];
  const parts = text.split(':');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIpv4(part);
      if (v4 === null) return null;
      groups.push(v4.readUInt16BE(0), v4.readUInt16BE(2));
    } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) {
      groups.push(parseInt(part, 16));
    } else {
      return null;
    }
  }
  return groups;
}

function parseIpv6(text: string): Buffer | null {
  const zoneAt = text.indexOf('%');
  const bare = zoneAt >= 0 ? text.slice(0, zoneAt) : text;
  const halves = bare.split('::');
  if (halves.length > 2) return null;
  const head = parseIpv6Groups(halves[0]);
  const tail = halves.length === 2 ? parseIpv6Groups(halves[1]) : [];
  if (head === null || tail === null) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const bytes = Buffer.alloc(16);
  groups.forEach((group, i) => bytes.writeUInt16BE(group, i * 2));
  return bytes;
}

/** Parses a literal IPv4 or IPv6 address (no host names). Returns null when it is neither. */
export function parseIpAddress(text: string): Buffer | null {
  return text.includes(':') ? parseIpv6(text) : parseIpv4(text);
}

/** Parses "ip:port" in any of the forms listed above; null when malformed. */
export function parseHostAddress(text: string): HostAddress | null {
  let rest = text.trim();
  const slashAt = rest.lastIndexOf('/');
  if (slashAt >= 0) rest = rest.slice(slashAt + 1);
  const colonAt = rest.lastIndexOf(':');
  if (colonAt <= 0) return null;
  let host = rest.slice(0, colonAt);
  const portText = rest.slice(colonAt + 1);
  if (!/^\d{1,5}$/.test(portText)) return null;
  const port = Number(portText);
  if (port > 65535) return null;
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  const address = parseIpAddress(host);
  return address === null ? null : { address, port };
}

function formatIpv6(address: Buffer): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(address.readUInt16BE(i));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLength).join(':');
  return `${head}::${tail}`;
}

/** The text form of a raw 4- or 16-byte address. */
export function formatIpAddress(address: Buffer): string {
  if (address.length === IPV4_ADDRESS_BYTES) return Array.from(address).join('.');
  if (address.length === IPV6_ADDRESS_BYTES) return formatIpv6(address);
  throw new RangeError(`IP address must be 4 or 16 bytes, got ${address.length}`);
}

/** "10.0.0.1:50000" or "[fd00::2]:10911". */
export function formatHostAddress(host: HostAddress): string {
  const ip = formatIpAddress(host.address);
  return host.address.length === IPV6_ADDRESS_BYTES ? `[${ip}]:${host.port}` : `${ip}:${host.port}`;
}

/** True for a 16-byte (IPv6) address: the record then uses the 16+4 byte host layout. */
export function isIpv6Host(host: HostAddress): boolean {
  return host.address.length === IPV6_ADDRESS_BYTES;
}
