// One TCP connection carrying RemotingCommands in both directions (NettyRemotingAbstract).
//
// - Incoming requests are handed to the dispatcher independently: a request whose answer is
//   held (a long-polling pull) never delays the requests behind it on the same socket.
// - Incoming responses are matched to our pending requests by opaque only.
// - A frame that does not decode closes this connection and nothing else.
// - When the socket's write buffer is full we stop reading from it until it drains; a write that
//   would take its unsent bytes past maxPendingWriteBytes closes the connection instead (a peer
//   that stops reading cannot make us hold more).
// - An unfinished frame holds at most frameMaxBytes (the decoder refuses a longer announcement).
// - A connection idle (no reads, no writes) for idleTimeoutMs is closed.
import { pullBodyRing } from '../common/body-ring';
import type net from 'node:net';
import { CodecError } from '../codec/codec-error';
import { FrameDecoder } from '../codec/frame-decoder';
import {
  decodeRemotingCommand,
  encodeRemotingCommandParts,
  isOneway,
  isResponse,
  type LogBodyRef,
  type RemotingCommand,
  RPC_ONEWAY,
} from '../codec/remoting-command';
import { RemotingTimeoutError, RemotingClosedError } from './remoting-errors';
import { pendingWriteRefusal } from './remoting-limits';

export type RequestDispatcher = (connection: Connection, request: RemotingCommand) => void;

/**
 * Takes a request frame out of line (the send workers, broker/send-workers) or answers false; a
 * frame it takes comes back through handleFrame if it is to be processed in line after all.
 */
export type FrameRouter = (connection: Connection, frame: Buffer) => boolean;

export interface ConnectionOptions {
  idleTimeoutMs: number;
  /** frameMaxLength: the largest frame read (default 16 MiB, Java's). */
  frameMaxBytes?: number;
  /** serverMaxPendingWriteBytes: unsent bytes past which the connection is closed (default: none). */
  maxPendingWriteBytes?: number;
  frameRouter?: FrameRouter;
  onError?: (connection: Connection, error: Error) => void;
}

/**
 * What a Connection needs of its socket: a net.Socket, or a stand-in for a socket another thread
 * owns (broker/connection-workers, whose WorkerSocket forwards writes and reports the close).
 */
export type ConnectionSocket = Pick<
  net.Socket,
  | 'remoteAddress'
  | 'remotePort'
  | 'localAddress'
  | 'localPort'
  | 'setNoDelay'
  | 'setTimeout'
  | 'on'
  | 'write'
  | 'cork'
  | 'uncork'
  | 'pause'
  | 'resume'
  | 'destroy'
  | 'writable'
  | 'writableLength'
> & {
  /**
   * Writes a frame whose body is read from the commit log by the socket's owner (a connection
   * worker that reads pull bodies: RemotingCommand.bodyRef); absent on sockets that cannot.
   */
  readonly writeLogRuns?: (head: Buffer, ref: LogBodyRef) => boolean;
};

interface PendingRequest {
  resolve: (response: RemotingCommand) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

let nextOpaque = 0;

/** Per-process opaque sequence, as Java's RemotingCommand.requestId. */
export function newOpaque(): number {
  nextOpaque = (nextOpaque + 1) | 0;
  return nextOpaque;
}

export class Connection {
  readonly remoteAddress: string;
  readonly localAddress: string;
  private readonly decoder: FrameDecoder;
  /**
   * The most unsent bytes this socket ever held (tests and the load test read it). A connection
   * worker's socket reports it in steps of PEAK_REPORT_STEP_BYTES (64 KiB), and exactly at its close.
   */
  peakPendingWriteBytes = 0;
  private readonly pending = new Map<number, PendingRequest>();
  private readonly closeListeners: ((connection: Connection) => void)[] = [];
  private closed = false;
  private corked = false;
  /** Set by servers to remember what a peer registered (client id, broker address, …). */
  attributes = new Map<string, unknown>();

  constructor(
    readonly socket: ConnectionSocket,
    private readonly dispatcher: RequestDispatcher | undefined,
    private readonly options: ConnectionOptions,
  ) {
    this.decoder = new FrameDecoder(options.frameMaxBytes);
    this.remoteAddress = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`;
    this.localAddress = `${socket.localAddress ?? '?'}:${socket.localPort ?? 0}`;
    socket.setNoDelay(true);
    socket.setTimeout(options.idleTimeoutMs, () => this.close(new Error(`idle for ${options.idleTimeoutMs} ms`)));
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => socket.resume());
    socket.on('error', (error) => this.close(error));
    socket.on('close', () => this.close());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  onClose(listener: (connection: Connection) => void): void {
    if (this.closed) listener(this);
    else this.closeListeners.push(listener);
  }

  /**
   * Writes one command; the body goes out without being copied into the header buffer. Everything
   * sent in the same turn of the event loop (e.g. the answers to all the sends one store write
   * completed) leaves in one writev: the socket is corked at the first send and uncorked once the
   * turn's callbacks and promise reactions have run.
   */
  send(command: RemotingCommand): void {
    if (this.closed || !this.socket.writable) return; // the peer ended its side: nothing more goes out
    const [head, body] = encodeRemotingCommandParts(command);
    if (command.bodyRef !== undefined && body === undefined) {
      this.sendByReference(head, command.bodyRef);
      return;
    }
    const leases = body === undefined ? [] : pullBodyRing.retainView(body);
    if (leases === null) {
      this.close(new Error('a pull answer outlived its body memory (a bug): closing rather than sending it'));
      return;
    }
    if (!this.admitWrite(head.length + (body?.length ?? 0))) {
      for (const lease of leases) lease.release();
      return;
    }
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    let flushed = this.socket.write(head);
    if (leases.length > 0) {
      // ring memory (common/body-ring.ts): not reused until the write is done
      flushed = this.socket.write(body!, () => {
        for (const lease of leases) lease.release();
      });
    } else if (body !== undefined) flushed = this.socket.write(body);
    if (!flushed) this.socket.pause();
    this.notePeakPendingWriteBytes(this.socket.writableLength);
  }

  private sendByReference(head: Buffer, ref: LogBodyRef): void {
    const writeLogRuns = this.socket.writeLogRuns;
    if (writeLogRuns === undefined) {
      this.close(new Error('a pull answer by reference on a socket that cannot read the log (a bug): closing'));
      return;
    }
    if (!this.admitWrite(head.length + ref.totalBytes)) return;
    writeLogRuns(head, ref);
  }

  /** Unsent bytes seen on the socket (here, or in the connection worker that owns it); kept if the most. */
  notePeakPendingWriteBytes(pendingBytes: number): void {
    if (pendingBytes > this.peakPendingWriteBytes) this.peakPendingWriteBytes = pendingBytes;
  }

  /** Unsent bytes the socket holds now. */
  get pendingWriteBytes(): number {
    return this.socket.writableLength;
  }

  /** False (and the connection closed) when `sizeBytes` more would pass maxPendingWriteBytes. */
  private admitWrite(sizeBytes: number): boolean {
    const refusal = pendingWriteRefusal(this.socket.writableLength, sizeBytes, this.options.maxPendingWriteBytes);
    if (refusal === undefined) return true;
    this.close(new Error(refusal));
    return false;
  }

  /** Sends a request and resolves with the response that carries its opaque. */
  invoke(request: RemotingCommand, timeoutMs: number): Promise<RemotingCommand> {
    if (this.closed) return Promise.reject(new RemotingClosedError(this.remoteAddress));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(request.opaque);
        reject(new RemotingTimeoutError(this.remoteAddress, timeoutMs));
      }, timeoutMs);
      this.pending.set(request.opaque, { resolve, reject, timer });
      this.send(request);
    });
  }

  invokeOneway(request: RemotingCommand): void {
    request.flag |= RPC_ONEWAY;
    this.send(request);
  }

  close(error?: Error): void {
    if (this.closed) return;
    this.closed = true;
    if (error !== undefined) this.options.onError?.(this, error);
    this.socket.destroy();
    for (const [opaque, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new RemotingClosedError(this.remoteAddress));
      this.pending.delete(opaque);
    }
    for (const listener of this.closeListeners.splice(0)) listener(this);
  }

  private onData(chunk: Buffer): void {
    let frames: Buffer[];
    try {
      frames = this.decoder.push(chunk);
    } catch (error) {
      this.close(error as Error);
      return;
    }
    const router = this.options.frameRouter;
    for (const frame of frames) {
      if (router?.(this, frame)) continue;
      if (!this.handleFrame(frame)) return;
    }
  }

  /** Decodes one frame and hands it on; false when it did not decode (the connection is closed). */
  handleFrame(frame: Buffer): boolean {
    let command: RemotingCommand;
    try {
      command = decodeRemotingCommand(frame);
    } catch (error) {
      this.close(error instanceof CodecError ? error : new CodecError(String(error)));
      return false;
    }
    if (isResponse(command)) this.onResponse(command);
    else if (this.dispatcher !== undefined) this.dispatcher(this, command);
    return true;
  }

  private onResponse(response: RemotingCommand): void {
    const pending = this.pending.get(response.opaque);
    if (pending === undefined) return; // late or unknown: dropped, as Java does
    this.pending.delete(response.opaque);
    clearTimeout(pending.timer);
    pending.resolve(response);
  }
}

export { isOneway };
