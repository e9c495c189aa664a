// The load generator's connections. A SendConnection keeps `window` SEND_MESSAGE_V2 requests in
// flight (or fewer, when a rate limit holds it back) and writes every refill of one socket read as
// one buffer. A PullConnection keeps one PULL_MESSAGE in flight per queue it owns and moves each
// queue's offset to the answer's nextBeginOffset.
import net from 'node:net';
import { FrameReader } from './frame-reader';
import { Histogram, PerSecondLatency } from './histogram';
import {
  CODE_PULL_NOT_FOUND,
  CODE_PULL_OFFSET_MOVED,
  CODE_SUCCESS,
  countRecords,
  pullAnswerHead,
  pullFrame,
  type PullTemplate,
  responseHead,
  FIRST_OPAQUE,
  SendFrames,
  type SendTemplate,
} from './wire';

export interface Counters {
  /** true once the warm-up is over: only then are messages and latencies counted */
  measuring: boolean;
  sent: number;
  sendErrors: number;
  codes: Map<number, number>;
  pulled: number;
  pullRequests: number;
  sendLatency: Histogram;
  /** The same latencies second by second (main.ts ends each second at its tick). */
  sendLatencyBySecond: PerSecondLatency;
}

export function newCounters(): Counters {
  return {
    measuring: false,
    sent: 0,
    sendErrors: 0,
    codes: new Map(),
    pulled: 0,
    pullRequests: 0,
    sendLatency: new Histogram(),
    sendLatencyBySecond: new PerSecondLatency(),
  };
}

/** Takes the frames of each read (a frame's content is valid only during onFrame), then the read's end. */
export interface FrameSink {
  onFrame(content: Buffer): void;
  onReadDone(): void;
}

/** A connection whose answers are read in place (frame-reader.ts). */
export function connectFrames(host: string, port: number, sink: () => FrameSink | undefined): Promise<net.Socket> {
  const reader = new FrameReader();
  return new Promise((resolve, reject) => {
    const socket = net.connect({
      host,
      port,
      noDelay: true,
      onread: {
        buffer: () => reader.room(),
        callback: (n) => {
          const target = sink();
          if (target === undefined) return true;
          reader.read(n, (content) => target.onFrame(content));
          target.onReadDone();
          return true;
        },
      },
    });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Gives out permission to send: unlimited, or `ratePerSecond` spread over 1-ms ticks. */
export interface Pacer {
  take(): boolean;
}

export class SendConnection implements FrameSink {
  /** when the current read's answers arrived (one clock read per read) */
  private readAtMs: number | undefined;
  private readonly sentAtMs: Float64Array;
  private readonly mask: number;
  private nextOpaque = FIRST_OPAQUE;
  private readonly frames: SendFrames;
  inFlight = 0;
  /** sends started in all; stop() or `limit` ends them */
  private started = 0;
  private stopped = false;

  constructor(
    private readonly socket: net.Socket,
    template: SendTemplate,
    private readonly window: number,
    private readonly queueIds: number[],
    private readonly counters: Counters,
    private readonly pacer: Pacer | undefined,
    private readonly limit: { remaining: number },
    /** refill once no more than this many are in flight (window − 1: at every answer) */
    private readonly refillBelow: number = window - 1,
  ) {
    this.frames = new SendFrames(template, queueIds);
    let size = 1;
    while (size < window * 2) size *= 2;
    this.sentAtMs = new Float64Array(size);
    this.mask = size - 1;
    socket.on('error', () => (this.stopped = true));
  }

  /** Fills the window (as far as the pacer and the count allow). */
  fill(): void {
    // refill in bulk: one write of many frames costs the generator (and the broker) far less per
    // message than a write per answer
    if (this.inFlight > this.refillBelow) return;
    let n = 0;
    let bytes = 0;
    while (
      !this.stopped &&
      this.inFlight + n < this.window &&
      this.limit.remaining - n > 0 &&
      (!this.pacer || this.pacer.take())
    ) {
      bytes += this.frames.frameBytes(this.queueIds[(this.started + n) % this.queueIds.length]);
      n++;
    }
    if (n === 0) return;
    const out = Buffer.allocUnsafe(bytes);
    const bornMs = Date.now();
    const now = performance.now();
    let at = 0;
    for (let i = 0; i < n; i++) {
      const opaque = this.nextOpaque++;
      at = this.frames.write(out, at, this.queueIds[this.started % this.queueIds.length], opaque, bornMs, this.started);
      this.sentAtMs[opaque & this.mask] = now;
      this.started++;
    }
    this.inFlight += n;
    this.limit.remaining -= n;
    this.socket.write(out);
  }

  /** An answer straight from the read buffer (connectFrames): code and opaque only. */
  onFrame(content: Buffer): void {
    const { code, opaque } = responseHead(content);
    this.inFlight--;
    const c = this.counters;
    if (!c.measuring) return;
    if (code === CODE_SUCCESS) {
      c.sent++;
      this.readAtMs ??= performance.now();
      const latencyUs = (this.readAtMs - this.sentAtMs[opaque & this.mask]) * 1000;
      c.sendLatency.record(latencyUs);
      c.sendLatencyBySecond.record(latencyUs);
    } else {
      c.sendErrors++;
      c.codes.set(code, (c.codes.get(code) ?? 0) + 1);
    }
  }

  /** After a read's answers: the window refilled in one write. */
  onReadDone(): void {
    this.readAtMs = undefined;
    this.fill();
  }

  stop(): void {
    this.stopped = true;
  }

  close(): void {
    this.stopped = true;
    this.socket.destroy();
  }
}

export class PullConnection implements FrameSink {
  /** the pulls that answers of the current read call for */
  private outgoing: Buffer[] = [];
  private nextOpaque = 1;
  private readonly queueByOpaque = new Map<number, number>();
  /** per queue: the offset of the next pull to issue */
  private readonly cursors = new Map<number, number>();
  private stopped = false;

  constructor(
    private readonly socket: net.Socket,
    private readonly template: PullTemplate,
    private readonly queueIds: number[],
    private readonly counters: Counters,
    /**
     * a hot backlog read again and again: `depth` pulls in flight per queue at successive offsets
     * (o, o + batch, …), back to the queue's first offset at its end. Otherwise one pull per queue,
     * following the answer's nextBeginOffset (a consumer at the log's end, with long polling).
     */
    private readonly wrap: boolean,
    private readonly depth: number,
  ) {
    for (const q of queueIds) this.cursors.set(q, 0);
    socket.on('error', () => (this.stopped = true));
  }

  start(): void {
    const frames: Buffer[] = [];
    for (let d = 0; d < (this.wrap ? this.depth : 1); d++) for (const q of this.queueIds) frames.push(this.request(q));
    this.socket.write(Buffer.concat(frames));
  }

  private request(queueId: number): Buffer {
    const opaque = this.nextOpaque++;
    const offset = this.cursors.get(queueId) ?? 0;
    this.queueByOpaque.set(opaque, queueId);
    if (this.wrap) this.cursors.set(queueId, offset + this.template.maxMsgNums);
    return pullFrame(this.template, opaque, queueId, offset);
  }

  /** The frames of one read (connectFrames): each answer is read in place, then the pulls go out in one write. */
  onFrame(f: Buffer): void {
    const r = pullAnswerHead(f);
    const queueId = this.queueByOpaque.get(r.opaque);
    if (queueId === undefined) return;
    this.queueByOpaque.delete(r.opaque);
    const next = r.nextBeginOffset;
    if (r.code === CODE_SUCCESS && this.counters.measuring) {
      this.counters.pulled += countRecords(f, r.bodyAt);
      this.counters.pullRequests++;
    }
    if (this.wrap) {
      const max = r.maxOffset;
      const min = r.minOffset;
      if (Number.isFinite(max) && (this.cursors.get(queueId) ?? 0) >= max)
        this.cursors.set(queueId, Number.isFinite(min) ? min : 0);
    } else if (
      Number.isFinite(next) &&
      (r.code === CODE_SUCCESS || r.code === CODE_PULL_NOT_FOUND || r.code === CODE_PULL_OFFSET_MOVED)
    ) {
      this.cursors.set(queueId, next);
    }
    if (!this.stopped) this.outgoing.push(this.request(queueId));
  }

  /** After a read's frames: their next pulls in one write. */
  onReadDone(): void {
    const frames = this.outgoing;
    if (frames.length === 0) return;
    this.outgoing = [];
    this.socket.write(frames.length === 1 ? frames[0] : Buffer.concat(frames));
  }

  stop(): void {
    this.stopped = true;
  }

  close(): void {
    this.stopped = true;
    this.socket.destroy();
  }
}
