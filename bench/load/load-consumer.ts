// One consumer group of the load test: one connection that long-polls every queue of the topic
// from its start offsets, as a push consumer does (one PULL_MESSAGE held per queue), built lean so
// that the clients' own CPU does not crowd the broker on a small machine: request frames rendered
// by the load generator's templates, answers read only as far as needed (code, opaque and offsets
// scanned from the header bytes, pullAnswerHead; the queue offset of every record for the gap check),
// every follow-up pull of one socket read written as one buffer.
import type net from 'node:net';
import { FrameDecoder } from '../../src/codec/frame-decoder';
import { readInt64BE } from '../../src/codec/message/buffer-int64';
import {
  CODE_PULL_NOT_FOUND,
  CODE_PULL_OFFSET_MOVED,
  CODE_PULL_RETRY_IMMEDIATELY,
  CODE_SUCCESS,
  type PullAnswerHead,
  type PullTemplate,
  pullAnswerHead,
  pullFrame,
} from '../loadgen/wire';

/** MessageDecoder: TOTALSIZE(4) MAGICCODE(4) BODYCRC(4) QUEUEID(4) FLAG(4) QUEUEOFFSET(8) … */
const RECORD_QUEUE_OFFSET_POSITION = 20;
/** A pull whose answer has not come this long after its hold ended is counted an error and sent again. */
const ANSWER_GRACE_MS = 5000;
const RETRY_AFTER_ERROR_MS = 100;

/** What the consumers count, shared by all groups of the load test. */
export interface ConsumerCounters {
  pullErrors: number;
  pullsWithMessages: number;
  pulledMessages: number;
  pullsEmpty: number;
  offsetGaps: number;
}

export class LoadConsumer {
  private readonly decoder = new FrameDecoder();
  private readonly template: PullTemplate;
  private nextOpaque = 1;
  /** per queue: the opaque of its pull in flight (0: none) and when it was sent */
  private readonly inFlightOpaque: number[];
  private readonly sentAtMs: number[];
  private readonly queueByOpaque = new Map<number, number>();
  private readonly timer: NodeJS.Timeout;
  private stopped = false;
  /** messages this group consumed */
  consumed = 0;

  constructor(
    private readonly socket: net.Socket,
    group: string,
    topic: string,
    /** per queue: the offset of the next message to consume (read by the drain) */
    readonly offsets: number[],
    suspendTimeoutMs: number,
    private readonly counters: ConsumerCounters,
  ) {
    this.template = { topic, consumerGroup: group, maxMsgNums: 32, suspendMs: suspendTimeoutMs };
    this.inFlightOpaque = offsets.map(() => 0);
    this.sentAtMs = offsets.map(() => 0);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => undefined);
    this.timer = setInterval(() => this.resendLate(), 1000);
  }

  start(): void {
    this.socket.write(Buffer.concat(this.offsets.map((_, queueId) => this.request(queueId))));
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    this.socket.destroy();
  }

  private request(queueId: number): Buffer {
    const opaque = this.nextOpaque++;
    this.queueByOpaque.delete(this.inFlightOpaque[queueId]);
    this.queueByOpaque.set(opaque, queueId);
    this.inFlightOpaque[queueId] = opaque;
    this.sentAtMs[queueId] = Date.now();
    return pullFrame(this.template, opaque, queueId, this.offsets[queueId]);
  }

  private onData(chunk: Buffer): void {
    const frames: Buffer[] = [];
    let retryLater = false;
    for (const f of this.decoder.push(chunk)) {
      const head = pullAnswerHead(f);
      const queueId = this.queueByOpaque.get(head.opaque);
      if (queueId === undefined) continue; // an answer to a pull already given up on
      this.queueByOpaque.delete(head.opaque);
      this.inFlightOpaque[queueId] = 0;
      if (head.code === CODE_SUCCESS) this.consume(f, head.bodyAt, queueId);
      else if (!this.moveOffset(head, queueId)) {
        this.counters.pullErrors++;
        retryLater = true;
        continue;
      }
      if (!this.stopped) frames.push(this.request(queueId));
    }
    if (frames.length > 0) this.socket.write(frames.length === 1 ? frames[0] : Buffer.concat(frames));
    if (retryLater) setTimeout(() => this.resendIdle(), RETRY_AFTER_ERROR_MS);
  }

  /** Walks the records of a SUCCESS answer's body, checking that queue offsets follow each other. */
  private consume(f: Buffer, bodyAt: number, queueId: number): void {
    let position = bodyAt;
    if (position >= f.length) return;
    this.counters.pullsWithMessages++;
    while (position + RECORD_QUEUE_OFFSET_POSITION + 8 <= f.length) {
      const queueOffset = readInt64BE(f, position + RECORD_QUEUE_OFFSET_POSITION); // no BigInt per record
      if (queueOffset !== this.offsets[queueId]) this.counters.offsetGaps++;
      this.offsets[queueId] = queueOffset + 1;
      this.consumed++;
      this.counters.pulledMessages++;
      position += f.readInt32BE(position);
    }
  }

  /** An answer without messages: follows its nextBeginOffset; false for an error code. */
  private moveOffset(head: PullAnswerHead, queueId: number): boolean {
    const code = head.code;
    if (code !== CODE_PULL_NOT_FOUND && code !== CODE_PULL_RETRY_IMMEDIATELY && code !== CODE_PULL_OFFSET_MOVED)
      return false;
    this.counters.pullsEmpty++;
    if (code === CODE_PULL_OFFSET_MOVED) this.counters.offsetGaps++;
    if (Number.isFinite(head.nextBeginOffset)) this.offsets[queueId] = head.nextBeginOffset;
    return true;
  }

  /** Queues with no pull in flight (after an error) get one. */
  private resendIdle(): void {
    if (this.stopped) return;
    const frames: Buffer[] = [];
    this.inFlightOpaque.forEach((opaque, queueId) => {
      if (opaque === 0) frames.push(this.request(queueId));
    });
    if (frames.length > 0) this.socket.write(Buffer.concat(frames));
  }

  /** Pulls unanswered well past their hold are counted errors and sent again. */
  private resendLate(): void {
    if (this.stopped) return;
    const lateBeforeMs = Date.now() - this.template.suspendMs - ANSWER_GRACE_MS;
    const frames: Buffer[] = [];
    this.inFlightOpaque.forEach((opaque, queueId) => {
      if (opaque !== 0 && this.sentAtMs[queueId] < lateBeforeMs) {
        this.counters.pullErrors++;
        frames.push(this.request(queueId));
      }
    });
    if (frames.length > 0) this.socket.write(Buffer.concat(frames));
  }
}
