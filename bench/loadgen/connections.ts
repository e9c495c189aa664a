// The load generator's connections. A SendConnection keeps `window` SEND_MESSAGE_V2 requests in
// flight (or fewer, when a rate limit holds it back) and writes every refill of one socket read as
// one buffer. A PullConnection keeps one PULL_MESSAGE in flight per queue it owns and moves each
// queue's offset to the answer's nextBeginOffset.
import net from 'node:net';
import { FrameDecoder } from '../../src/codec/frame-decoder';
import { Histogram } from './histogram';
import {
  CODE_PULL_NOT_FOUND, CODE_PULL_OFFSET_MOVED, CODE_SUCCESS, countRecords, decodeResponse, pullFrame, PullTemplate,
  responseHead, sendFrame, SendTemplate,
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
}

export function newCounters(): Counters {
  return { measuring: false, sent: 0, sendErrors: 0, codes: new Map(), pulled: 0, pullRequests: 0, sendLatency: new Histogram() };
}

export function connect(host: string, port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port, noDelay: true });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Gives out permission to send: unlimited, or `ratePerSecond` spread over 1-ms ticks. */
export interface Pacer {
  take(): boolean;
}

export class SendConnection {
  private readonly decoder = new FrameDecoder();
  private readonly sentAtMs: Float64Array;
  private readonly mask: number;
  private nextOpaque = 1;
  inFlight = 0;
  /** sends started in all; stop() or `limit` ends them */
  private started = 0;
  private stopped = false;

  constructor(
    private readonly socket: net.Socket,
    private readonly template: SendTemplate,
    private readonly window: number,
    private readonly queueIds: number[],
    private readonly counters: Counters,
    private readonly pacer: Pacer | undefined,
    private readonly limit: { remaining: number },
  ) {
    let size = 1;
    while (size < window * 2) size *= 2;
    this.sentAtMs = new Float64Array(size);
    this.mask = size - 1;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => (this.stopped = true));
  }

  /** Fills the window (as far as the pacer and the count allow). */
  fill(): void {
    const frames: Buffer[] = [];
    while (!this.stopped && this.inFlight < this.window && this.limit.remaining > 0 && (!this.pacer || this.pacer.take())) {
      const opaque = this.nextOpaque++;
      const queueId = this.queueIds[this.started % this.queueIds.length];
      frames.push(sendFrame(this.template, opaque, queueId, this.started));
      this.sentAtMs[opaque & this.mask] = performance.now();
      this.started++;
      this.inFlight++;
      this.limit.remaining--;
    }
    if (frames.length === 1) this.socket.write(frames[0]);
    else if (frames.length > 1) this.socket.write(Buffer.concat(frames));
  }

  private onData(chunk: Buffer): void {
    const now = performance.now();
    const c = this.counters;
    for (const f of this.decoder.push(chunk)) {
      const { code, opaque } = responseHead(f);
      this.inFlight--;
      if (!c.measuring) continue;
      if (code === CODE_SUCCESS) {
        c.sent++;
        c.sendLatency.record((now - this.sentAtMs[opaque & this.mask]) * 1000);
      } else {
        c.sendErrors++;
        c.codes.set(code, (c.codes.get(code) ?? 0) + 1);
      }
    }
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

export class PullConnection {
  private readonly decoder = new FrameDecoder();
  private nextOpaque = 1;
  private readonly queueByOpaque = new Map<number, number>();
  private readonly offsets = new Map<number, number>();
  private stopped = false;

  constructor(
    private readonly socket: net.Socket,
    private readonly template: PullTemplate,
    private readonly queueIds: number[],
    private readonly counters: Counters,
    /** at the end of a queue: start over from its first offset (a hot backlog read again and again) */
    private readonly wrap: boolean,
  ) {
    for (const q of queueIds) this.offsets.set(q, 0);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => (this.stopped = true));
  }

  start(): void {
    const frames = this.queueIds.map((q) => this.request(q));
    this.socket.write(Buffer.concat(frames));
  }

  private request(queueId: number): Buffer {
    const opaque = this.nextOpaque++;
    this.queueByOpaque.set(opaque, queueId);
    return pullFrame(this.template, opaque, queueId, this.offsets.get(queueId) ?? 0);
  }

  private onData(chunk: Buffer): void {
    const frames: Buffer[] = [];
    for (const f of this.decoder.push(chunk)) {
      const r = decodeResponse(f);
      const queueId = this.queueByOpaque.get(r.opaque);
      if (queueId === undefined) continue;
      this.queueByOpaque.delete(r.opaque);
      const next = Number(r.extFields.nextBeginOffset);
      if (r.code === CODE_SUCCESS) {
        if (this.counters.measuring) {
          this.counters.pulled += countRecords(r.body);
          this.counters.pullRequests++;
        }
        this.offsets.set(queueId, next);
      } else if (r.code === CODE_PULL_NOT_FOUND || r.code === CODE_PULL_OFFSET_MOVED) {
        const min = Number(r.extFields.minOffset);
        if (this.wrap) this.offsets.set(queueId, Number.isFinite(min) ? min : 0);
        else if (Number.isFinite(next)) this.offsets.set(queueId, next);
      }
      if (!this.stopped) frames.push(this.request(queueId));
    }
    if (frames.length > 0) this.socket.write(frames.length === 1 ? frames[0] : Buffer.concat(frames));
  }

  stop(): void {
    this.stopped = true;
  }

  close(): void {
    this.stopped = true;
    this.socket.destroy();
  }
}
