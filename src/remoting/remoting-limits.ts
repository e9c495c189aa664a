// Per-server limits of the remoting layer (NameServer and broker alike). Java 4.7.1 has only the
// frame limit (the system property com.rocketmq.remoting.frameMaxLength, read by NettyDecoder);
// the other keys are ours. Each is documented in the README's "Limits" table.
//
//   serverMaxConnections        a connection accepted past this many open ones is closed at once
//   frameMaxLength              a frame announcing more bytes closes its connection, so an unfinished
//                               frame never holds more than this many bytes of one connection
//   serverMaxPendingWriteBytes  a connection whose peer stops reading: the socket's unsent bytes
//                               never pass this (plus one frame when the queue was empty); a write
//                               that would pass it closes the connection instead
import { FRAME_MAX_BYTES } from '../codec/frame-decoder';

export interface RemotingLimits {
  serverMaxConnections: number;
  frameMaxLength: number;
  serverMaxPendingWriteBytes: number;
}

export const DEFAULT_REMOTING_LIMITS: Readonly<RemotingLimits> = {
  serverMaxConnections: 10_000,
  frameMaxLength: FRAME_MAX_BYTES,
  serverMaxPendingWriteBytes: 32 * 1024 * 1024,
};

/** Smallest frame limit that still carries a heartbeat or a small send (header and a little body). */
const FRAME_MAX_LENGTH_MIN = 1024;

/** Throws RangeError naming the first limit that is not a positive integer in its range. */
/**
 * Why `sizeBytes` more may not join a socket's `pendingBytes` unsent bytes under
 * serverMaxPendingWriteBytes (`limit`; undefined or ≤ 0: none); undefined when they may. A socket with
 * nothing unsent always takes the write. (Connection.send and a connection worker's writes.)
 */
export function pendingWriteRefusal(
  pendingBytes: number,
  sizeBytes: number,
  limit: number | undefined,
): string | undefined {
  if (limit === undefined || limit <= 0 || pendingBytes === 0 || pendingBytes + sizeBytes <= limit) return undefined;
  return `peer is not reading: ${pendingBytes} unsent bytes + ${sizeBytes} would exceed serverMaxPendingWriteBytes=${limit}`;
}

export function validateRemotingLimits(limits: RemotingLimits): void {
  const ranges: [keyof RemotingLimits, number, number][] = [
    ['serverMaxConnections', 1, 1_000_000],
    ['frameMaxLength', FRAME_MAX_LENGTH_MIN, 0x7fffffff],
    ['serverMaxPendingWriteBytes', 1024, Number.MAX_SAFE_INTEGER],
  ];
  for (const [key, min, max] of ranges) {
    const value = limits[key];
    if (!Number.isInteger(value) || value < min || value > max)
      throw new RangeError(`${key} must be an integer in ${min}..${max}, got ${value}`);
  }
}
