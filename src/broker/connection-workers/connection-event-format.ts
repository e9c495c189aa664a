// The events a connection worker and the main thread exchange, one transferred ArrayBuffer per
// event-loop turn and direction:
//
//   events = event*                          (count events)
//   event  = kind:u8 server:u8 connectionId:u32 length:u32 bytes[length]
//
// Worker → main: OPEN (bytes: JSON [remoteAddress, remotePort, localAddress, localPort]), FRAME (a
// request or response frame as FrameDecoder returns it), SEND (no bytes: the next slot of the
// message's encoded sends, send-answer-format.ts), CLOSED (bytes: JSON [reason, peak unsent bytes
// of the socket], the reason empty when the peer closed), PEAK (bytes: u32, the socket's most unsent
// bytes so far, each time it grew by PEAK_REPORT_STEP_BYTES since the last report). Main → worker:
// WRITE (bytes for the socket), WRITE_LOG (a frame whose body the worker reads from the commit log:
// log-write-format.ts), CLOSE (no bytes). `server` is the index of the RemotingServer (the
// listen port) the connection was accepted on; main → worker it is 0.

export const EventKind = {
  OPEN: 1,
  FRAME: 2,
  SEND: 3,
  CLOSED: 4,
  WRITE: 5,
  CLOSE: 6,
  PEAK: 7,
  WRITE_LOG: 8,
} as const;

/** A socket's peak of unsent bytes is reported to the main thread each time it grew by this much. */
export const PEAK_REPORT_STEP_BYTES = 64 * 1024;

export type EventKindValue = (typeof EventKind)[keyof typeof EventKind];

/** Bytes of an event before its bytes. */
export const EVENT_HEAD_BYTES = 10;

/** A turn's events, worker → main. */
export interface WorkerEvents {
  count: number;
  events: ArrayBuffer;
  /** the SEND events' records and slots (send-answer-format.ts); empty when there are none */
  records: ArrayBuffer;
  slots: ArrayBuffer;
}

/** A turn's events, main → worker. */
export interface MainEvents {
  count: number;
  events: ArrayBuffer;
  /** bytes of WorkerEvents (all three buffers) the main thread has processed so far */
  processedBytes: number;
}

/** The bytes a WorkerEvents message carries (what the worker counts as posted). */
export function workerEventsBytes(message: WorkerEvents): number {
  return message.events.byteLength + message.records.byteLength + message.slots.byteLength;
}

/**
 * Collects one turn's events (a WRITE stays one event per write: the worker admits each against
 * serverMaxPendingWriteBytes as Connection.send does). `take` packs them into one new ArrayBuffer
 * (to be transferred) and starts over.
 */
export class EventWriter {
  private kinds: number[] = [];
  private servers: number[] = [];
  private ids: number[] = [];
  private parts: (Buffer | undefined)[] = [];
  private totalBytes = 0;

  get count(): number {
    return this.kinds.length;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  add(kind: EventKindValue, server: number, connectionId: number, bytes?: Buffer): void {
    this.kinds.push(kind);
    this.servers.push(server);
    this.ids.push(connectionId);
    this.parts.push(bytes);
    this.totalBytes += EVENT_HEAD_BYTES + (bytes?.length ?? 0);
  }

  take(): { count: number; events: ArrayBuffer } {
    const events = new ArrayBuffer(this.totalBytes);
    const view = Buffer.from(events);
    let at = 0;
    for (let i = 0; i < this.kinds.length; i++) {
      const part = this.parts[i];
      const length = part === undefined ? 0 : part.length;
      view[at] = this.kinds[i];
      view[at + 1] = this.servers[i];
      view.writeUInt32BE(this.ids[i], at + 2);
      view.writeUInt32BE(length, at + 6);
      at += EVENT_HEAD_BYTES;
      if (part !== undefined) at += part.copy(view, at);
    }
    if (at !== this.totalBytes) throw new Error(`events packed ${at} of ${this.totalBytes} bytes`);
    const count = this.kinds.length;
    this.kinds = [];
    this.servers = [];
    this.ids = [];
    this.parts = [];
    this.totalBytes = 0;
    return { count, events };
  }
}

/** Calls `each` with every event of a packed buffer (bytes are views into it). */
export function forEachEvent(
  events: ArrayBuffer,
  count: number,
  each: (kind: number, server: number, connectionId: number, bytes: Buffer) => void,
): void {
  const view = Buffer.from(events);
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + EVENT_HEAD_BYTES > view.length) throw new Error(`event ${i} of ${count} past the buffer's end`);
    const length = view.readUInt32BE(at + 6);
    const start = at + EVENT_HEAD_BYTES;
    if (start + length > view.length) throw new Error(`event ${i} of ${count} announces ${length} bytes past the end`);
    each(view[at], view[at + 1], view.readUInt32BE(at + 2), view.subarray(start, start + length));
    at = start + length;
  }
}
