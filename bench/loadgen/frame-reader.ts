// Frames read in place: every socket read lands right after the bytes not yet consumed, in one reused
// buffer (net.connect's `onread` with a buffer function), and complete frames are handed out as views
// of it. Hot pulls answer ~35 KB frames: a 'data' event per read allocated a chunk, and a frame cut by
// a read's end was copied whole into a new buffer; here only the cut tail moves, to the buffer's start,
// when room runs low.
//
//   frame = length:int32 content[length]      (content: what FrameDecoder yields, without the length)
import assert from 'node:assert';

/** A read gets at least this much room; the unconsumed tail moves to the front to make it. */
const MIN_READ_BYTES = 64 * 1024;

export class FrameReader {
  private buffer: Buffer;
  /** first byte not yet consumed */
  private start = 0;
  /** end of the bytes read */
  private end = 0;

  constructor(initialBytes = 1024 * 1024) {
    assert.ok(initialBytes >= 2 * MIN_READ_BYTES, 'FrameReader size');
    this.buffer = Buffer.allocUnsafe(initialBytes);
  }

  /** Where the next read lands (the `onread.buffer` function). */
  room(): Buffer {
    if (this.buffer.length - this.end < MIN_READ_BYTES) this.compact();
    return this.buffer.subarray(this.end);
  }

  /**
   * `length` bytes were read into the last `room()`; calls `onFrame` for each complete frame, with a
   * view that is valid only during the call.
   */
  read(length: number, onFrame: (content: Buffer) => void): void {
    this.end += length;
    while (this.end - this.start >= 4) {
      const contentBytes = this.buffer.readInt32BE(this.start);
      assert.ok(contentBytes >= 4, `frame length ${contentBytes}`);
      if (this.end - this.start < 4 + contentBytes) break;
      const contentStart = this.start + 4;
      this.start = contentStart + contentBytes;
      onFrame(this.buffer.subarray(contentStart, this.start));
    }
    if (this.start === this.end) this.start = this.end = 0;
  }

  /** Moves the unconsumed bytes to the front, into a larger buffer if a frame needs it. */
  private compact(): void {
    const pendingBytes = this.end - this.start;
    const frameBytes = pendingBytes >= 4 ? 4 + this.buffer.readInt32BE(this.start) : 0;
    const needBytes = Math.max(pendingBytes, frameBytes) + MIN_READ_BYTES;
    if (needBytes > this.buffer.length) {
      const larger = Buffer.allocUnsafe(Math.max(needBytes, 2 * this.buffer.length));
      this.buffer.copy(larger, 0, this.start, this.end);
      this.buffer = larger;
    } else {
      this.buffer.copyWithin(0, this.start, this.end);
    }
    this.start = 0;
    this.end = pendingBytes;
  }
}
