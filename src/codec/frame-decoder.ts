// Splits a TCP byte stream into RocketMQ remoting frames.
//
//   frame        = length:int32 rest
//   rest         = (length bytes) serializeTypeAndHeaderLength:int32 header body
//
// `length` counts the bytes after itself. Like Netty's LengthFieldBasedFrameDecoder in
// NettyDecoder, the limit counts the whole frame including the 4-byte prefix
// (com.rocketmq.remoting.frameMaxLength, 16 MiB). A frame shorter than the 4 bytes that carry the
// serialize type and header length can never decode, so it is refused here as well.
// The decoder accepts any split of the stream: one byte at a time, many frames in one chunk.
import { CodecError } from './codec-error';

export const FRAME_MAX_BYTES = 16 * 1024 * 1024;
const LENGTH_PREFIX_BYTES = 4;
const MIN_FRAME_LENGTH = 4;

export class FrameDecoder {
  private chunks: Buffer[] = [];
  private bufferedBytes = 0;

  constructor(private readonly frameMaxBytes: number = FRAME_MAX_BYTES) {}

  /**
   * Adds a chunk and returns the frames it completes, each without the length prefix
   * (`serializeTypeAndHeaderLength header body`). Throws CodecError on a frame that breaks the
   * limits; the caller then closes the connection, as the Java server does.
   */
  push(chunk: Buffer): Buffer[] {
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.bufferedBytes += chunk.length;
    }
    const frames: Buffer[] = [];
    while (this.bufferedBytes >= LENGTH_PREFIX_BYTES) {
      const length = this.peekLength();
      if (length < MIN_FRAME_LENGTH) {
        throw new CodecError(`frame length ${length} is below the minimum ${MIN_FRAME_LENGTH}`, 0);
      }
      if (length + LENGTH_PREFIX_BYTES > this.frameMaxBytes) {
        throw new CodecError(
          `frame of ${length + LENGTH_PREFIX_BYTES} bytes exceeds frameMaxLength=${this.frameMaxBytes}`,
          0,
        );
      }
      if (this.bufferedBytes < LENGTH_PREFIX_BYTES + length) break;
      this.consume(LENGTH_PREFIX_BYTES);
      frames.push(this.consume(length));
    }
    return frames;
  }

  /** Bytes held for an incomplete frame. */
  get pendingBytes(): number {
    return this.bufferedBytes;
  }

  private peekLength(): number {
    const first = this.chunks[0];
    if (first.length >= LENGTH_PREFIX_BYTES) return first.readInt32BE(0);
    return this.concatAll().readInt32BE(0);
  }

  private concatAll(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.bufferedBytes)];
    return this.chunks[0];
  }

  /** Removes and returns the next `sizeBytes` bytes; slices without copying when one chunk holds them. */
  private consume(sizeBytes: number): Buffer {
    let first = this.chunks[0];
    if (first.length < sizeBytes) first = this.concatAll();
    const result = first.subarray(0, sizeBytes);
    if (first.length === sizeBytes) this.chunks.shift();
    else this.chunks[0] = first.subarray(sizeBytes);
    this.bufferedBytes -= sizeBytes;
    return result;
  }
}
