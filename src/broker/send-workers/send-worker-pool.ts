// Java's send thread pool (BrokerConfig.sendMessageThreadPoolNums) as worker threads: with N ≥ 2,
// N − 1 workers decode and encode plain sends while the main thread stays the one ordered writer.
//
// - A connection's request frames are routed here (Connection's FrameRouter) by their peeked code:
//   SEND_MESSAGE / SEND_MESSAGE_V2 go to a worker; any other frame of a connection with frames
//   still here waits behind them, so a connection's requests keep their order.
// - Frames are collected for one event-loop turn and posted as one transferred buffer per batch
//   (bench/workers/handoff.ts: ~0.6–0.7 µs per message on the main thread, against ~6 µs for a
//   postMessage per message and ~3.8 µs for doing the work in line).
// - Answers are applied strictly in batch order: the writer assigns commit-log and queue offsets
//   in arrival order, so SYNC_MASTER answers (PutCompletion.answer) stay in commit-log order.
// - A frame a worker does not encode (see send-encoding.ts) is processed in line at its turn. A
//   worker that fails sends its outstanding batches in line and the pool stops routing.
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { HostAddress } from '../../codec/message/host-address';
import { RequestCode } from '../../codec/request-code';
import { peekRequestCode } from '../../codec/request-code-peek';
import type { Logger } from '../../common/logger';
import type { Connection } from '../../remoting/connection';
import type { RemotingServer } from '../../remoting/remoting-server';
import {
  BATCH_MAX_BYTES,
  BATCH_MAX_ENTRIES,
  entryBytes,
  packBatch,
  type SendBatch,
  type SendBatchAnswer,
} from './send-batch-format';
import { readAnswerEntry } from './send-answer-format';
import { applyEncodedSend } from './send-worker-apply';

interface Entry {
  server: RemotingServer;
  connection: Connection;
  frame: Buffer;
  /** false: waits for its turn only, processed in line */
  offloaded: boolean;
}

interface Batch {
  entries: Entry[];
  answer: SendBatchAnswer | null;
  /** null: answered in line (collected when the pool stopped) */
  worker: Worker | null;
}

export interface SendWorkerPoolOptions {
  /** BrokerConfig.sendMessageThreadPoolNums: workers = N − 1, at most the cores */
  sendMessageThreadPoolNums: number;
  brokerClusterName: string;
  maxMessageSize: number;
  mappedFileSizeCommitLog: number;
  storeHost: () => HostAddress;
  bornHost: (connection: Connection) => HostAddress;
}

export function sendWorkerCount(sendMessageThreadPoolNums: number): number {
  return Math.max(0, Math.min(sendMessageThreadPoolNums - 1, os.availableParallelism()));
}

export class SendWorkerPool {
  private readonly workers: Worker[] = [];
  private nextWorker = 0;
  private turn: Entry[] = [];
  private turnBytes = 0;
  private flushScheduled = false;
  private readonly batches = new Map<number, Batch>();
  private nextSeq = 0;
  private nextApplySeq = 0;
  /** entries routed and not yet applied, per connection */
  private readonly waiting = new Map<Connection, number>();
  private broken = false;
  /** batches and entries posted to workers (runtime info) */
  readonly posted = { batches: 0, entries: 0 };
  /** batches posted and not answered, per worker */
  private readonly busy = new Map<Worker, number>();

  constructor(
    private readonly options: SendWorkerPoolOptions,
    private readonly logger: Logger,
  ) {
    const workerData = {
      brokerClusterName: options.brokerClusterName,
      maxMessageSize: options.maxMessageSize,
      mappedFileSizeCommitLog: options.mappedFileSizeCommitLog,
    };
    for (let i = 0; i < sendWorkerCount(options.sendMessageThreadPoolNums); i++) {
      const worker = new Worker(path.join(__dirname, 'send-worker-main.js'), { workerData });
      worker.on('message', (answer: SendBatchAnswer) => this.onAnswer(answer));
      worker.on('error', (error) => this.onWorkerError(worker, error));
      worker.unref();
      this.workers.push(worker);
    }
  }

  get workerCount(): number {
    return this.workers.length;
  }

  /** The FrameRouter of `server`'s connections. */
  routerFor(server: RemotingServer): (connection: Connection, frame: Buffer) => boolean {
    return (connection, frame) => this.route(server, connection, frame);
  }

  private route(server: RemotingServer, connection: Connection, frame: Buffer): boolean {
    if (this.broken || server.hasRpcHooks) return false;
    const code = peekRequestCode(frame);
    const offloaded = code === RequestCode.SEND_MESSAGE_V2 || code === RequestCode.SEND_MESSAGE;
    const waiting = this.waiting.get(connection) ?? 0;
    if (!offloaded && waiting === 0) return false;
    this.waiting.set(connection, waiting + 1);
    this.turn.push({ server, connection, frame, offloaded });
    if (offloaded) this.turnBytes += entryBytes(frame, this.options.bornHost(connection));
    if (this.turn.length >= BATCH_MAX_ENTRIES || this.turnBytes >= BATCH_MAX_BYTES) this.flush(true);
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
    return true;
  }

  /**
   * Posts the frames collected so far as one batch to an idle worker; while every worker is busy
   * they wait for the next answer (so batches grow with the load), unless `force` (a full batch).
   */
  private flush(force = false): void {
    this.flushScheduled = false;
    const entries = this.turn;
    if (entries.length === 0) return;
    const worker = this.idleWorker() ?? (force ? this.workers[this.nextSeq % this.workers.length] : undefined);
    if (worker === undefined) return;
    const totalBytes = this.turnBytes;
    this.turn = [];
    this.turnBytes = 0;
    const seq = this.nextSeq++;
    this.busy.set(worker, (this.busy.get(worker) ?? 0) + 1);
    this.batches.set(seq, { entries, answer: null, worker });
    const offloaded = entries.filter((entry) => entry.offloaded);
    if (offloaded.length === 0) {
      this.onAnswer({ seq, records: new ArrayBuffer(0), slots: new ArrayBuffer(0) });
      return;
    }
    const hosts = offloaded.map((entry) => this.options.bornHost(entry.connection));
    const bytes = packBatch(
      offloaded.map((entry) => entry.frame),
      hosts,
      totalBytes,
    );
    this.posted.batches++;
    this.posted.entries += offloaded.length;
    const storeHost = this.options.storeHost();
    const batch: SendBatch = {
      seq,
      count: offloaded.length,
      bytes,
      storeHost: { address: Array.from(storeHost.address), port: storeHost.port },
    };
    worker.postMessage(batch, [bytes]);
  }

  private idleWorker(): Worker | undefined {
    for (let i = 0; i < this.workers.length; i++) {
      const worker = this.workers[(this.nextWorker + i) % this.workers.length];
      if ((this.busy.get(worker) ?? 0) === 0) {
        this.nextWorker = (this.nextWorker + i + 1) % this.workers.length;
        return worker;
      }
    }
    return undefined;
  }

  private onAnswer(answer: SendBatchAnswer): void {
    const batch = this.batches.get(answer.seq);
    if (batch === undefined) return; // answered in line already (worker failure, shutdown)
    if (batch.worker !== null) this.busy.set(batch.worker, (this.busy.get(batch.worker) ?? 1) - 1);
    batch.answer = answer;
    for (let next = this.batches.get(this.nextApplySeq); next?.answer; next = this.batches.get(this.nextApplySeq)) {
      this.batches.delete(this.nextApplySeq++);
      this.apply(next.entries, next.answer);
    }
    if (!this.broken) this.flush();
  }

  private apply(entries: Entry[], answer: SendBatchAnswer): void {
    const records = Buffer.from(answer.records);
    const slots = Buffer.from(answer.slots);
    let encodedIndex = 0;
    for (const entry of entries) {
      const left = (this.waiting.get(entry.connection) ?? 1) - 1;
      if (left === 0) this.waiting.delete(entry.connection);
      else this.waiting.set(entry.connection, left);
      const encoded = entry.offloaded ? readAnswerEntry(slots, encodedIndex++, records) : null;
      if (encoded === null) entry.connection.handleFrame(entry.frame);
      else applyEncodedSend(entry.server, entry.connection, encoded);
    }
  }

  /** What is collected becomes a batch answered in line, behind the ones posted. */
  private flushInLine(): void {
    const entries = this.turn;
    this.turn = [];
    this.turnBytes = 0;
    if (entries.length === 0) return;
    const seq = this.nextSeq++;
    this.batches.set(seq, { entries, answer: null, worker: null });
  }

  private onWorkerError(worker: Worker, error: Error): void {
    this.logger.error(`send worker failed, sends go in line from now on: ${error.stack}`);
    this.broken = true;
    this.flushInLine();
    for (const [seq, batch] of this.batches) {
      if (batch.answer === null && (batch.worker === worker || batch.worker === null))
        this.onAnswer({ seq, records: new ArrayBuffer(0), slots: new ArrayBuffer(0) });
    }
  }

  /** Processes what is still here in line (the store is still running), then ends the workers. */
  async shutdown(): Promise<void> {
    this.broken = true;
    this.flushInLine();
    for (const [seq, batch] of [...this.batches]) {
      if (batch.answer === null) this.onAnswer({ seq, records: new ArrayBuffer(0), slots: new ArrayBuffer(0) });
    }
    await Promise.all(this.workers.splice(0).map((worker) => worker.terminate()));
  }
}
