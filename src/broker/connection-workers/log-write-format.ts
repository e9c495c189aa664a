// The bytes of a WRITE_LOG event (main → connection worker): a pull answer whose body the worker
// reads from the commit log itself (log-run-reader.ts), so the records never cross the main thread.
//
//   write_log = headBytes:u32 head[headBytes] writtenPhysicalOffset:f64 runCount:u32 run*runCount
//   run       = physicalOffset:f64 sizeBytes:u32
//
// `head` is the frame up to its body (length prefix and header), announcing the runs' total as the
// body length. Offsets are whole numbers below 2^53, exact in a double.
import type { LogBodyRef } from '../../codec/remoting-command';

const RUN_BYTES = 12;

export function encodeLogWrite(head: Buffer, ref: LogBodyRef): Buffer {
  const runCount = ref.runs.length / 2;
  const bytes = Buffer.allocUnsafe(4 + head.length + 8 + 4 + runCount * RUN_BYTES);
  bytes.writeUInt32BE(head.length, 0);
  let at = 4 + head.copy(bytes, 4);
  bytes.writeDoubleBE(ref.writtenPhysicalOffset, at);
  bytes.writeUInt32BE(runCount, at + 8);
  at += 12;
  for (let i = 0; i < ref.runs.length; i += 2) {
    bytes.writeDoubleBE(ref.runs[i], at);
    bytes.writeUInt32BE(ref.runs[i + 1], at + 8);
    at += RUN_BYTES;
  }
  return bytes;
}

export interface LogWrite {
  /** a view into the event's bytes */
  head: Buffer;
  ref: LogBodyRef;
}

/** The event's head and runs; throws on bytes `encodeLogWrite` could not have written. */
export function decodeLogWrite(bytes: Buffer): LogWrite {
  if (bytes.length < 4) throw new Error('WRITE_LOG event shorter than its head length');
  const headBytes = bytes.readUInt32BE(0);
  let at = 4 + headBytes;
  if (at + 12 > bytes.length) throw new Error(`WRITE_LOG event of ${bytes.length} bytes cut in its head`);
  const head = bytes.subarray(4, at);
  const writtenPhysicalOffset = bytes.readDoubleBE(at);
  const runCount = bytes.readUInt32BE(at + 8);
  at += 12;
  if (at + runCount * RUN_BYTES !== bytes.length)
    throw new Error(`WRITE_LOG event announces ${runCount} runs in ${bytes.length - at} bytes`);
  const runs: number[] = new Array(runCount * 2);
  let totalBytes = 0;
  for (let i = 0; i < runCount; i++) {
    const physicalOffset = bytes.readDoubleBE(at);
    const sizeBytes = bytes.readUInt32BE(at + 8);
    if (
      !Number.isSafeInteger(physicalOffset) ||
      physicalOffset < 0 ||
      physicalOffset + sizeBytes > writtenPhysicalOffset
    )
      throw new Error(`WRITE_LOG run ${i} at ${physicalOffset} (+${sizeBytes}) is past the written end`);
    runs[2 * i] = physicalOffset;
    runs[2 * i + 1] = sizeBytes;
    totalBytes += sizeBytes;
    at += RUN_BYTES;
  }
  return { head, ref: { runs, totalBytes, writtenPhysicalOffset } };
}
