// BODYCRC of a stored record: Java's UtilAll.crc32(body) & 0x7FFFFFFF (java.util.zip.CRC32,
// the IEEE polynomial, same as zlib). Node >= 20.15 ships zlib.crc32; older runtimes use a table.
import * as zlib from 'node:zlib';

type Crc32 = (data: Uint8Array) => number;

function tableCrc32(): Crc32 {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return (data) => {
    let crc = -1;
    for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
    return (crc ^ -1) >>> 0;
  };
}

const nativeCrc32 = (zlib as { crc32?: Crc32 }).crc32;
const crc32: Crc32 = typeof nativeCrc32 === 'function' ? (data) => nativeCrc32(data) : tableCrc32();

/** The BODYCRC field value for `body` (a non-negative int32). */
export function messageBodyCrc(body: Uint8Array): number {
  return crc32(body) & 0x7fffffff;
}

/** Exposed for tests: the portable implementation, to check it against zlib. */
export const portableCrc32: Crc32 = tableCrc32();
