// Message ids (Java MessageDecoder.createMessageId / decodeMessageId and
// MessageClientIDSetter.getNearlyTimeFromID). Both are upper-case hex (UtilAll.bytes2string).
//
//   offsetMsgId = STOREHOST address (4|16 bytes) PORT:int32 PHYSICALOFFSET:int64
//                 -> 32 hex characters (IPv4) or 56 (IPv6)
//   UNIQ_KEY    = client IP (4|16 bytes) PID:int16 CLASSLOADER_HASH:int32
//                 MS_SINCE_MONTH_START:int32 COUNTER:int16
//                 -> 32 hex characters (IPv4) or 56 (IPv6)
import { readInt64BE } from './buffer-int64';
import { type HostAddress, IPV4_ADDRESS_BYTES, IPV6_ADDRESS_BYTES } from './host-address';

const HEX_DIGITS_UPPER = '0123456789ABCDEF';
const IPV4_ID_HEX_CHARS = 32;
const IPV6_ID_HEX_CHARS = 56;

/** UtilAll.bytes2string: upper-case hex. */
export function bytesToHexUpper(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i++) {
    text += HEX_DIGITS_UPPER[bytes[i] >> 4] + HEX_DIGITS_UPPER[bytes[i] & 0xf];
  }
  return text;
}

/** Hex (either case) to bytes; null unless the text is an even-length run of hex digits. */
export function hexToBytes(text: string): Buffer | null {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return null;
  return Buffer.from(text, 'hex');
}

/** The host prefix of every offsetMsgId of one store host (callers may cache it). */
export function messageIdHostPrefix(storeHost: HostAddress): string {
  const bytes = Buffer.alloc(storeHost.address.length + 4);
  storeHost.address.copy(bytes, 0);
  bytes.writeInt32BE(storeHost.port, storeHost.address.length);
  return bytesToHexUpper(bytes);
}

function hex32(value: number): string {
  return (value >>> 0).toString(16).toUpperCase().padStart(8, '0');
}

/** The 16 hex digits of PHYSICALOFFSET, to append to messageIdHostPrefix. */
export function physicalOffsetHex(physicalOffset: number): string {
  const high = Math.floor(physicalOffset / 0x1_0000_0000);
  return hex32(high) + hex32(physicalOffset - high * 0x1_0000_0000);
}

/** Java MessageDecoder.createMessageId. */
export function createMessageId(storeHost: HostAddress, physicalOffset: number): string {
  return messageIdHostPrefix(storeHost) + physicalOffsetHex(physicalOffset);
}

/** Remembers the prefix of the last store host (a broker has one), so ids cost one concat. */
export class MessageIdPrefixCache {
  private host: HostAddress | null = null;
  private prefix = '';

  prefixOf(storeHost: HostAddress): string {
    const host = this.host;
    if (host === null || host.port !== storeHost.port || !host.address.equals(storeHost.address)) {
      this.host = storeHost;
      this.prefix = messageIdHostPrefix(storeHost);
    }
    return this.prefix;
  }
}

/** A decoded offsetMsgId. */
export interface MessageId {
  storeHost: HostAddress;
  physicalOffset: number;
}

/**
 * Java MessageDecoder.decodeMessageId, made total: returns null for anything that is not 32 or 56
 * hex digits. The offset is not range-checked (the store rejects offsets it does not hold).
 */
export function decodeMessageId(messageId: string): MessageId | null {
  if (messageId.length !== IPV4_ID_HEX_CHARS && messageId.length !== IPV6_ID_HEX_CHARS) return null;
  const bytes = hexToBytes(messageId);
  if (bytes === null) return null;
  const ipBytes = messageId.length === IPV4_ID_HEX_CHARS ? IPV4_ADDRESS_BYTES : IPV6_ADDRESS_BYTES;
  return {
    storeHost: {
      address: Buffer.from(bytes.subarray(0, ipBytes)),
      port: bytes.readInt32BE(ipBytes),
    },
    physicalOffset: readInt64BE(bytes, ipBytes + 4),
  };
}

/**
 * The approximate creation time of a UNIQ_KEY (Java getNearlyTimeFromID): the id holds
 * milliseconds since the start of the month (local time) it was created in; if that instant would
 * lie in the future, the id is taken to be from the previous month. Null for malformed ids.
 */
export function uniqKeyTimestampMs(uniqKey: string, nowMs: number = Date.now()): number | null {
  if (uniqKey.length !== IPV4_ID_HEX_CHARS && uniqKey.length !== IPV6_ID_HEX_CHARS) return null;
  const bytes = hexToBytes(uniqKey);
  if (bytes === null) return null;
  const ipBytes = uniqKey.length === IPV4_ID_HEX_CHARS ? IPV4_ADDRESS_BYTES : IPV6_ADDRESS_BYTES;
  const sinceMonthStartMs = bytes.readUInt32BE(ipBytes + 2 + 4);
  const now = new Date(nowMs);
  const monthStartMs = new Date(now.getFullYear(), now.getMonth(), 1).getTime();
  if (monthStartMs + sinceMonthStartMs < nowMs) return monthStartMs + sinceMonthStartMs;
  return new Date(now.getFullYear(), now.getMonth() - 1, 1).getTime() + sinceMonthStartMs;
}
