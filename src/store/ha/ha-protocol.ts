// The HA wire protocol of Java 4.7.1 (HAService / HAConnection): plain TCP on the master's
// haListenPort, no RemotingCommand framing, all integers big-endian.
//
//   slave -> master   report   = OFFSET:int64                  the slave's max commit-log offset
//   master -> slave   transfer = OFFSET:int64 SIZE:int32 *BODY   SIZE bytes of commit log at OFFSET
//                                                               (SIZE 0: a heartbeat)
//
// Both parsers accept the byte stream split anywhere. A report stream has no way to be malformed
// except a negative offset; a transfer stream is bad when SIZE is negative or larger than a slave
// can hold (Java's slave reads into a 4 MiB buffer, so a larger frame could never complete) or the
// offset is negative. A bad stream closes that connection only.
import { readInt64BE, writeInt64BE } from '../../codec/message/buffer-int64';

export const REPORT_SIZE_BYTES = 8;
export const TRANSFER_HEADER_SIZE_BYTES = 12;
/** Java HAClient.READ_MAX_BUFFER_SIZE: a frame (header and body) never exceeds it. */
export const MAX_TRANSFER_FRAME_BYTES = 4 * 1024 * 1024;
export const MAX_TRANSFER_BODY_BYTES = MAX_TRANSFER_FRAME_BYTES - TRANSFER_HEADER_SIZE_BYTES;

export function encodeReport(maxPhysicalOffset: number): Buffer {
  const frame = Buffer.allocUnsafe(REPORT_SIZE_BYTES);
  writeInt64BE(frame, maxPhysicalOffset, 0);
  return frame;
}

/** A transfer frame with room for `bodySizeBytes` bytes after the header (the caller fills them). */
export function allocTransfer(physicalOffset: number, bodySizeBytes: number): Buffer {
  const frame = Buffer.allocUnsafe(TRANSFER_HEADER_SIZE_BYTES + bodySizeBytes);
  writeInt64BE(frame, physicalOffset, 0);
  frame.writeInt32BE(bodySizeBytes, 8);
  return frame;
}

/** Error text for a parser that met bytes no Java peer sends. */
export type HaProtocolError = { error: string };

function badOffset(offset: number): boolean {
  return offset < 0 || !Number.isSafeInteger(offset);
}

/**
 * Slave -> master reports. Java's master reads whatever arrived and uses the last complete 8-byte
 * unit; so does `push`, which returns that offset, null when no unit completed, or an error.
 */
export class ReportParser {
  private readonly partial = Buffer.alloc(REPORT_SIZE_BYTES);
  private partialBytes = 0;

  push(chunk: Buffer): number | null | HaProtocolError {
    let last: number | null = null;
    let position = 0;
    if (this.partialBytes > 0) {
      position = chunk.copy(this.partial, this.partialBytes, 0, REPORT_SIZE_BYTES - this.partialBytes);
      this.partialBytes += position;
      if (this.partialBytes < REPORT_SIZE_BYTES) return null;
      this.partialBytes = 0;
      last = readInt64BE(this.partial, 0);
      if (badOffset(last)) return { error: `bad offset ${last} reported` };
    }
    // Only the last unit counts, but every one must be a valid offset.
    for (; chunk.length - position >= REPORT_SIZE_BYTES; position += REPORT_SIZE_BYTES) {
      last = readInt64BE(chunk, position);
      if (badOffset(last)) return { error: `bad offset ${last} reported` };
    }
    this.partialBytes = chunk.copy(this.partial, 0, position);
    return last;
  }
}

/** One master -> slave transfer; `body` is empty for a heartbeat. */
export interface TransferFrame {
  physicalOffset: number;
  body: Buffer;
}

/**
 * Master -> slave transfers. `push` returns the frames completed by `chunk` (bodies are views of
 * the chunk when they lie in it whole, else copies), or an error after which the stream is dead.
 */
export class TransferParser {
  private readonly header = Buffer.alloc(TRANSFER_HEADER_SIZE_BYTES);
  private headerBytes = 0;
  /** -1 while reading a header; else the body size of the frame being read. */
  private bodySizeBytes = -1;
  /** Copy of a body that arrives in pieces (allocated at its first piece). */
  private body: Buffer | null = null;
  private bodyBytes = 0;
  private physicalOffset = 0;

  constructor(private readonly maxBodyBytes = MAX_TRANSFER_BODY_BYTES) {}

  push(chunk: Buffer): TransferFrame[] | HaProtocolError {
    const frames: TransferFrame[] = [];
    let position = 0;
    for (;;) {
      if (this.bodySizeBytes < 0) {
        if (position >= chunk.length) break;
        if (this.headerBytes === 0 && chunk.length - position >= TRANSFER_HEADER_SIZE_BYTES) {
          const problem = this.startFrame(chunk, position);
          if (problem !== null) return problem;
          position += TRANSFER_HEADER_SIZE_BYTES;
        } else {
          const taken = chunk.copy(
            this.header,
            this.headerBytes,
            position,
            position + TRANSFER_HEADER_SIZE_BYTES - this.headerBytes,
          );
          this.headerBytes += taken;
          position += taken;
          if (this.headerBytes < TRANSFER_HEADER_SIZE_BYTES) break;
          this.headerBytes = 0;
          const problem = this.startFrame(this.header, 0);
          if (problem !== null) return problem;
        }
      }
      // A heartbeat (size 0) completes even at the very end of the chunk.
      if (position >= chunk.length && this.bodySizeBytes > 0) break;
      position = this.fillBody(chunk, position, frames);
    }
    return frames;
  }

  private startFrame(source: Buffer, position: number): HaProtocolError | null {
    const physicalOffset = readInt64BE(source, position);
    const sizeBytes = source.readInt32BE(position + 8);
    if (badOffset(physicalOffset)) return { error: `bad transfer offset ${physicalOffset}` };
    if (sizeBytes < 0 || sizeBytes > this.maxBodyBytes)
      return { error: `transfer body size ${sizeBytes} out of range 0..${this.maxBodyBytes}` };
    this.physicalOffset = physicalOffset;
    this.bodySizeBytes = sizeBytes;
    this.bodyBytes = 0;
    return null;
  }

  /** Moves body bytes from `chunk`; emits the frame when complete. Returns the new position. */
  private fillBody(chunk: Buffer, position: number, frames: TransferFrame[]): number {
    const wanted = this.bodySizeBytes - this.bodyBytes;
    if (this.bodyBytes === 0 && chunk.length - position >= wanted) {
      // The whole body is in this chunk: a view, no copy.
      frames.push({ physicalOffset: this.physicalOffset, body: chunk.subarray(position, position + wanted) });
      this.bodySizeBytes = -1;
      return position + wanted;
    }
    this.body ??= Buffer.allocUnsafe(this.bodySizeBytes);
    const taken = chunk.copy(this.body, this.bodyBytes, position, position + wanted);
    this.bodyBytes += taken;
    if (this.bodyBytes === this.bodySizeBytes) {
      frames.push({ physicalOffset: this.physicalOffset, body: this.body });
      this.body = null;
      this.bodySizeBytes = -1;
    }
    return position + taken;
  }
}
