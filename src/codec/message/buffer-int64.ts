// Java `long` fields as JavaScript numbers.
//
// Offsets and timestamps in RocketMQ records are int64 big-endian. Every value we produce fits in
// a double exactly (|x| < 2^53), so the store keeps them as `number` and avoids a BigInt
// allocation per field. Values read from foreign bytes beyond 2^53 lose low bits; callers that
// validate offsets compare them against known ranges, which such values never match.

const TWO_POW_32 = 0x1_0000_0000;

/** Writes `value` (an integer with |value| < 2^53) as a big-endian int64 at `position`. */
export function writeInt64BE(target: Buffer, value: number, position: number): void {
  const high = Math.floor(value / TWO_POW_32);
  const low = value - high * TWO_POW_32;
  target.writeInt32BE(high, position);
  target.writeUInt32BE(low, position + 4);
}

/** Reads a big-endian int64 at `position` as a number (exact when |value| < 2^53). */
export function readInt64BE(source: Buffer, position: number): number {
  return source.readInt32BE(position) * TWO_POW_32 + source.readUInt32BE(position + 4);
}
