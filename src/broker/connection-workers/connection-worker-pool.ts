// Connection workers (`connectionWorkerThreads`, ours): N worker threads own the broker's client
// connections, so that socket reads and writes, framing and the encoding of plain sends leave the
// main thread, which keeps the one ordered writer and every piece of broker state.
//
// - Node cannot hand a socket to another thread, but threads of one process may share a listening
//   socket: each RemotingServer binds its port without listening (bindShared) and every worker
//   listens on that fd and accepts from it (the kernel gives each connection to one of them).
// - A worker's connection is a Connection on the main thread over a WorkerSocket: the server
//   adopts it as it adopts an accepted socket (limits, close listeners), its frames are routed as
//   read frames are (RemotingServer.routeFrame), and what it writes is posted back once per turn.
// - Plain sends arrive encoded (send-encoding.ts) and are applied as the send workers' are
//   (applyEncodedSend); a connection's events are processed in the order its worker read them.
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { HostAddress } from '../../codec/message/host-address';
import type { LogBodyRef } from '../../codec/remoting-command';
import type { Logger } from '../../common/logger';
import type { Connection, ConnectionSocket } from '../../remoting/connection';
import type { RemotingServer } from '../../remoting/remoting-server';
import { readAnswerEntry } from '../send-workers/send-answer-format';
import { applyEncodedSend } from '../send-workers/send-worker-apply';
import {
  EventKind,
  EventWriter,
  forEachEvent,
  type MainEvents,
  type WorkerEvents,
  workerEventsBytes,
} from './connection-event-format';
import type { ConnectionWorkerInit } from './connection-worker-main';
import { encodeLogWrite } from './log-write-format';

export type ConnectionWorkerPoolOptions = Omit<ConnectionWorkerInit, 'fds' | 'storeHost'> & {
  threads: number;
  /** servers whose ports the workers accept on, each bound with bindShared */
  servers: RemotingServer[];
  storeHost: HostAddress;
};

/** The main thread's stand-in for a socket a worker owns (see ConnectionSocket). */
class WorkerSocket extends EventEmitter {
  destroyed = false;
  connection: Connection | undefined;
  readonly writableLength = 0;

  constructor(
    private readonly link: WorkerLink,
    readonly id: number,
    readonly remoteAddress: string,
    readonly remotePort: number,
    readonly localAddress: string,
    readonly localPort: number,
  ) {
    super();
    this.writeLogRuns = link.readsLog ? (head, ref) => this.postLogWrite(head, ref) : undefined;
  }

  private postLogWrite(head: Buffer, ref: LogBodyRef): boolean {
    if (!this.destroyed) this.link.post(EventKind.WRITE_LOG, this.id, encodeLogWrite(head, ref));
    return true;
  }

  get writable(): boolean {
    return !this.destroyed;
  }

  /** `onCopied` runs once the bytes were copied into the batch for the worker (or dropped). */
  write(chunk: Buffer, onCopied?: () => void): boolean {
    if (!this.destroyed) this.link.post(EventKind.WRITE, this.id, chunk, onCopied);
    else onCopied?.();
    return true; // the worker pauses the socket's reads while its write buffer is full
  }

  /**
   * Present when the worker reads pull bodies itself (ConnectionSocket.writeLogRuns): `head` is the
   * frame up to its body, whose bytes the worker reads from the commit log runs of `ref`.
   */
  readonly writeLogRuns: ((head: Buffer, ref: LogBodyRef) => boolean) | undefined;

  destroy(): this {
    if (this.destroyed) return this;
    this.destroyed = true;
    this.link.forget(this.id);
    this.link.post(EventKind.CLOSE, this.id);
    this.emit('close');
    return this;
  }

  /** The worker closed it: `reason` empty when the peer did. */
  closedByWorker(reason: string, peakPendingWriteBytes = 0): void {
    if (this.destroyed) return;
    this.destroyed = true;
    const connection = this.connection;
    connection?.notePeakPendingWriteBytes(peakPendingWriteBytes);
    if (reason !== '') this.emit('error', new Error(reason));
    this.emit('close');
  }

  setNoDelay(): this {
    return this;
  }

  setTimeout(): this {
    return this; // the worker closes an idle connection and reports it
  }

  cork(): void {}

  uncork(): void {}

  pause(): this {
    return this;
  }

  resume(): this {
    return this;
  }
}

/** One worker: its sockets and the turn's events for it. */
class WorkerLink {
  readonly sockets = new Map<number, WorkerSocket>();
  private readonly out = new EventWriter();
  private flushScheduled = false;
  /** Writers told when this turn's batch has copied their bytes (ring memory: common/body-ring.ts). */
  private copiedCallbacks: (() => void)[] = [];
  /** WorkerEvents bytes processed, told to the worker (its reads pause while too much is not) */
  private processedBytes = 0;
  private toldProcessedBytes = 0;

  constructor(
    readonly worker: Worker,
    private readonly counts: { batches: number; events: number; sends: number },
    private readonly posted: { logWrites: number },
    /** the worker reads pull bodies from the commit log (WRITE_LOG) */
    readonly readsLog: boolean,
  ) {}

  post(
    kind: typeof EventKind.WRITE | typeof EventKind.WRITE_LOG | typeof EventKind.CLOSE,
    id: number,
    bytes?: Buffer,
    onCopied?: () => void,
  ): void {
    if (kind === EventKind.WRITE_LOG) this.posted.logWrites++;
    this.out.add(kind, 0, id, bytes);
    if (onCopied !== undefined) this.copiedCallbacks.push(onCopied);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  forget(id: number): void {
    this.sockets.delete(id);
  }

  flush(): void {
    this.flushScheduled = false;
    if (this.out.count === 0 && this.processedBytes === this.toldProcessedBytes) return;
    this.toldProcessedBytes = this.processedBytes;
    const message: MainEvents = { ...this.out.take(), processedBytes: this.processedBytes };
    const copied = this.copiedCallbacks;
    this.copiedCallbacks = [];
    for (const callback of copied) callback();
    this.worker.postMessage(message, [message.events]);
  }

  /** Processes one turn of the worker's events, in order. */
  receive(message: WorkerEvents, servers: RemotingServer[]): void {
    this.processedBytes += workerEventsBytes(message);
    this.scheduleFlush();
    const records = Buffer.from(message.records);
    const slots = Buffer.from(message.slots);
    let slot = 0;
    this.counts.batches++;
    this.counts.events += message.count;
    forEachEvent(message.events, message.count, (kind, serverIndex, id, bytes) => {
      const server = servers[serverIndex];
      if (kind === EventKind.OPEN) {
        this.open(server, id, bytes);
        return;
      }
      const socket = this.sockets.get(id);
      const connection = socket?.connection;
      if (kind === EventKind.SEND) {
        const entry = readAnswerEntry(slots, slot++, records);
        this.counts.sends++;
        if (connection !== undefined && !connection.isClosed && entry !== null)
          applyEncodedSend(server, connection, entry);
      } else if (kind === EventKind.FRAME) {
        if (connection !== undefined && !connection.isClosed) server.routeFrame(connection, bytes);
      } else if (kind === EventKind.PEAK) {
        if (connection !== undefined) connection.notePeakPendingWriteBytes(bytes.readUInt32BE(0));
      } else if (kind === EventKind.CLOSED && socket !== undefined) {
        this.sockets.delete(id);
        const [reason, peakPendingWriteBytes] = JSON.parse(bytes.toString()) as [string, number];
        socket.closedByWorker(reason, peakPendingWriteBytes);
      }
    });
  }

  private open(server: RemotingServer, id: number, bytes: Buffer): void {
    const [remoteAddress, remotePort, localAddress, localPort] = JSON.parse(bytes.toString()) as [
      string,
      number,
      string,
      number,
    ];
    const socket = new WorkerSocket(this, id, remoteAddress, remotePort, localAddress, localPort);
    this.sockets.set(id, socket);
    socket.connection = server.adopt(socket as unknown as ConnectionSocket);
  }

  /** The worker is gone: every connection it owned is closed. */
  closeAll(reason: string): void {
    for (const socket of [...this.sockets.values()]) socket.closedByWorker(reason);
    this.sockets.clear();
  }
}

export class ConnectionWorkerPool {
  private readonly links: WorkerLink[] = [];
  /** turns and events received, sends among them (runtime info) */
  readonly received = { batches: 0, events: 0, sends: 0 };
  /** pull answers posted by reference, their bodies read by the workers (runtime info) */
  readonly posted = { logWrites: 0 };

  private constructor(private readonly logger: Logger) {}

  /** Starts the workers on the servers' bound sockets; resolves once each of them listens. */
  static async start(
    options: ConnectionWorkerPoolOptions,
    fds: number[],
    logger: Logger,
  ): Promise<ConnectionWorkerPool> {
    const pool = new ConnectionWorkerPool(logger);
    const { storeHost } = options;
    const workerData: ConnectionWorkerInit = {
      fds,
      idleTimeoutMs: options.idleTimeoutMs,
      frameMaxBytes: options.frameMaxBytes,
      maxPendingWriteBytes: options.maxPendingWriteBytes,
      encodeSends: options.encodeSends,
      brokerClusterName: options.brokerClusterName,
      maxMessageSize: options.maxMessageSize,
      mappedFileSizeCommitLog: options.mappedFileSizeCommitLog,
      storeHost: { address: Array.from(storeHost.address), port: storeHost.port },
      pullBodies: options.pullBodies,
    };
    const listening: Promise<void>[] = [];
    for (let i = 0; i < options.threads; i++) {
      const worker = new Worker(path.join(__dirname, 'connection-worker-main.js'), { workerData });
      const readsLog = options.pullBodies !== undefined;
      const link = new WorkerLink(worker, pool.received, pool.posted, readsLog);
      pool.links.push(link);
      listening.push(
        new Promise((resolve, reject) => {
          worker.once('error', reject);
          worker.on('message', (message: WorkerEvents | 'listening') => {
            if (message !== 'listening') link.receive(message, options.servers);
            else {
              worker.off('error', reject);
              worker.on('error', (error) => pool.onWorkerError(link, error));
              resolve();
            }
          });
        }),
      );
    }
    try {
      await Promise.all(listening);
    } catch (error) {
      await pool.shutdown();
      throw error;
    }
    return pool;
  }

  get threads(): number {
    return this.links.length;
  }

  private onWorkerError(link: WorkerLink, error: Error): void {
    this.logger.error(`connection worker ${link.worker.threadId} failed; its connections are closed: ${error.stack}`);
    link.closeAll('connection worker failed');
  }

  /** Posts what is still queued (the servers have closed their connections), then ends the workers. */
  async shutdown(): Promise<void> {
    for (const link of this.links) link.flush();
    await Promise.all(this.links.splice(0).map((link) => link.worker.terminate()));
  }
}
