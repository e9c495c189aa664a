// TCP server side of the remoting protocol (NettyRemotingServer): accepts connections, dispatches
// each request to the processor registered for its code, writes the answer with the request's
// opaque and the response flag, and never answers a oneway request — except the SYSTEM_BUSY
// "[REJECTREQUEST]" refusal of a processor whose rejectRequest() is true, which Java's
// NettyRemotingAbstract.processRequestCommand writes before looking at the oneway flag.
import net from 'node:net';
import util from 'node:util';
import type { Logger } from '../common/logger';
import { requestCodeName } from '../codec/request-code';
import { ResponseCode } from '../codec/response-code';
import { createResponseCommand, isOneway, type RemotingCommand, RPC_TYPE_RESPONSE } from '../codec/remoting-command';
import { DEFAULT_REMOTING_LIMITS, type RemotingLimits } from './remoting-limits';
import { Connection, type ConnectionSocket, type FrameRouter } from './connection';
import type { RequestProcessor } from './request-processor';

/** NettyRemotingAbstract's answer while the processor's rejectRequest() is true. */
export const REJECT_REQUEST_REMARK = '[REJECTREQUEST]system busy, start flow control for a while';

/**
 * Java RPCHook.doBeforeRequest on the server: runs before the processor (after the rejectRequest
 * check, as NettyRemotingAbstract does); what it throws is answered SYSTEM_ERROR with the error's
 * `remark` when it has one (Java's exceptionSimpleDesc), else its message.
 */
export type ServerRpcHook = (remoteAddress: string, request: RemotingCommand) => void;

export interface RemotingServerConfig {
  listenPort: number;
  bindAddress: string;
  /** serverChannelMaxIdleTimeSeconds × 1000 */
  idleTimeoutMs: number;
  /** serverMaxConnections, frameMaxLength, serverMaxPendingWriteBytes (remoting-limits.ts). */
  limits?: RemotingLimits;
}

/** The TCP handle `net._createServerHandle` answers (Node's own, as its cluster module shares). */
interface BoundHandle {
  fd: number;
  getsockname(out: { port?: number }): number;
  close(): void;
}

/** A refused connection is logged once, then once every this many. */
const REFUSED_LOG_EVERY = 1000;

export class RemotingServer {
  private readonly processors = new Map<number, RequestProcessor>();
  private defaultProcessor: RequestProcessor | undefined;
  private readonly rpcHooks: ServerRpcHook[] = [];
  private readonly server: net.Server;
  readonly connections = new Set<Connection>();
  private readonly closeListeners: ((connection: Connection) => void)[] = [];
  private readonly limits: RemotingLimits;
  /** Connections closed at accept because serverMaxConnections were open. */
  refusedConnections = 0;
  private closedPeakPendingWriteBytes = 0;
  private frameRouter: FrameRouter | undefined;
  /** bindShared's socket: bound, and listened on by the connection workers, not by this thread. */
  private sharedHandle: BoundHandle | undefined;

  constructor(
    readonly config: RemotingServerConfig,
    private readonly logger: Logger,
  ) {
    this.limits = config.limits ?? DEFAULT_REMOTING_LIMITS;
    this.server = net.createServer((socket) => this.accept(socket));
  }

  registerProcessor(code: number, processor: RequestProcessor): void {
    this.processors.set(code, processor);
  }

  registerDefaultProcessor(processor: RequestProcessor): void {
    this.defaultProcessor = processor;
  }

  /** Routes the frames of connections accepted from now on (the send workers); see Connection. */
  setFrameRouter(router: FrameRouter): void {
    this.frameRouter = router;
  }

  get hasRpcHooks(): boolean {
    return this.rpcHooks.length > 0;
  }

  /**
   * Processes a request decoded elsewhere (a send worker) as dispatch does — processor lookup,
   * rejectRequest, rpc hooks, answer — with `run` in place of the processor's processRequest.
   */
  dispatchDecoded(
    connection: Connection,
    request: RemotingCommand,
    run: (processor: RequestProcessor) => Promise<RemotingCommand | null>,
  ): void {
    this.dispatch(connection, request, run);
  }

  registerRpcHook(hook: ServerRpcHook): void {
    this.rpcHooks.push(hook);
  }

  /** Called whenever a peer's connection closes (Java's CLOSE channel event). */
  onConnectionClose(listener: (connection: Connection) => void): void {
    this.closeListeners.push(listener);
  }

  /** The most unsent bytes any connection of this server ever held, closed ones included. */
  get peakPendingWriteBytes(): number {
    let peakBytes = this.closedPeakPendingWriteBytes;
    for (const connection of this.connections) peakBytes = Math.max(peakBytes, connection.peakPendingWriteBytes);
    return peakBytes;
  }

  get port(): number {
    if (this.sharedHandle !== undefined) {
      const out: { port?: number } = {};
      this.sharedHandle.getsockname(out);
      return out.port ?? this.config.listenPort;
    }
    const address = this.server.address();
    return typeof address === 'object' && address !== null ? address.port : this.config.listenPort;
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.config.listenPort, this.config.bindAddress, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  /**
   * Binds the listen address without listening and answers the socket's fd, which the connection
   * workers (broker/connection-workers) listen on and accept from; instead of `start`. From then on
   * the workers own the descriptor (shutdown leaves its closing to them).
   */
  bindShared(): number {
    const createServerHandle = (net as unknown as { _createServerHandle: (...args: unknown[]) => unknown })
      ._createServerHandle;
    const addressType = net.isIPv6(this.config.bindAddress) ? 6 : 4;
    const handle = createServerHandle(
      this.config.bindAddress,
      this.config.listenPort,
      addressType,
      undefined,
      undefined,
    );
    if (typeof handle === 'number')
      throw new Error(`listen ${util.getSystemErrorName(handle)} ${this.config.bindAddress}:${this.config.listenPort}`);
    // libuv defers a bind's EADDRINUSE to listen(), and a worker's listen() on the unbound socket
    // would pick a port of its own: an unbound socket has no port yet
    const bound = handle as BoundHandle;
    const out: { port?: number } = {};
    bound.getsockname(out);
    if (out.port === undefined || out.port === 0) {
      bound.close();
      throw new Error(`listen EADDRINUSE: address already in use ${this.config.bindAddress}:${this.config.listenPort}`);
    }
    this.sharedHandle = bound;
    return bound.fd;
  }

  async shutdown(): Promise<void> {
    // The bound socket is left to the connection workers: each worker's listening handle closes the
    // descriptor when the worker ends. Closing it here as well would close that number twice, and
    // by then it may belong to a file opened meanwhile.
    const shared = this.sharedHandle;
    this.sharedHandle = undefined;
    const closed =
      shared !== undefined ? Promise.resolve() : new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const connection of this.connections) connection.close();
    await closed;
  }

  private accept(socket: net.Socket): void {
    this.adopt(socket);
  }

  /**
   * A new peer's connection (Java's CONNECT): refused (its socket destroyed, undefined answered)
   * while serverMaxConnections are open. Also called for sockets a connection worker accepted.
   */
  adopt(socket: ConnectionSocket): Connection | undefined {
    const maxConnections = this.limits.serverMaxConnections;
    if (this.connections.size >= maxConnections) {
      if (this.refusedConnections++ % REFUSED_LOG_EVERY === 0) {
        this.logger.warn(
          `connection from ${socket.remoteAddress}:${socket.remotePort} closed: ${this.connections.size} open, ` +
            `serverMaxConnections=${maxConnections} (${this.refusedConnections} refused so far)`,
        );
      }
      socket.destroy();
      return undefined;
    }
    const connection = new Connection(socket, (peer, request) => this.dispatch(peer, request), {
      idleTimeoutMs: this.config.idleTimeoutMs,
      frameMaxBytes: this.limits.frameMaxLength,
      maxPendingWriteBytes: this.limits.serverMaxPendingWriteBytes,
      frameRouter: this.frameRouter,
      onError: (peer, error) => this.logger.warn(`closing connection ${peer.remoteAddress}: ${error.message}`),
    });
    this.connections.add(connection);
    connection.onClose((peer) => {
      this.connections.delete(peer);
      this.closedPeakPendingWriteBytes = Math.max(this.closedPeakPendingWriteBytes, peer.peakPendingWriteBytes);
      for (const listener of this.closeListeners) listener(peer);
    });
    return connection;
  }

  /** A request or response frame a connection worker read: routed as Connection.onData does. */
  routeFrame(connection: Connection, frame: Buffer): void {
    if (this.frameRouter?.(connection, frame) === true) return;
    connection.handleFrame(frame);
  }

  private dispatch(
    connection: Connection,
    request: RemotingCommand,
    run?: (processor: RequestProcessor) => Promise<RemotingCommand | null>,
  ): void {
    const processor = this.processors.get(request.code) ?? this.defaultProcessor;
    if (processor === undefined) {
      this.answer(
        connection,
        request,
        createResponseCommand(request, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, {
          remark: ` request type ${request.code} not supported`,
        }),
      );
      return;
    }
    if (processor.rejectRequest?.() === true) {
      this.write(
        connection,
        request,
        createResponseCommand(request, ResponseCode.SYSTEM_BUSY, { remark: REJECT_REQUEST_REMARK }),
      );
      return;
    }
    let result: Promise<RemotingCommand | null> | RemotingCommand | null;
    try {
      for (const hook of this.rpcHooks) hook(connection.remoteAddress, request);
    } catch (error) {
      this.refuse(connection, request, error);
      return;
    }
    try {
      result = run !== undefined ? run(processor) : processor.processRequest(connection, request);
    } catch (error) {
      this.fail(connection, request, error);
      return;
    }
    if (result instanceof Promise) {
      result.then(
        (response) => this.answer(connection, request, response),
        (error) => this.fail(connection, request, error),
      );
    } else this.answer(connection, request, result);
  }

  private fail(connection: Connection, request: RemotingCommand, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.logger.error(
      `process request ${requestCodeName(request.code)} from ${connection.remoteAddress} failed: ` +
        `${error instanceof Error ? error.stack : message}`,
    );
    this.answer(connection, request, createResponseCommand(request, ResponseCode.SYSTEM_ERROR, { remark: message }));
  }

  /** A hook's refusal: logged without the request's fields (they carry credentials). */
  private refuse(connection: Connection, request: RemotingCommand, error: unknown): void {
    const remark = (error as { remark?: unknown }).remark;
    const message = typeof remark === 'string' ? remark : error instanceof Error ? error.message : String(error);
    this.logger.warn(`request ${requestCodeName(request.code)} from ${connection.remoteAddress} refused: ${message}`);
    this.answer(connection, request, createResponseCommand(request, ResponseCode.SYSTEM_ERROR, { remark: message }));
  }

  private answer(connection: Connection, request: RemotingCommand, response: RemotingCommand | null): void {
    if (response === null || isOneway(request)) return;
    this.write(connection, request, response);
  }

  private write(connection: Connection, request: RemotingCommand, response: RemotingCommand): void {
    response.opaque = request.opaque;
    response.flag |= RPC_TYPE_RESPONSE;
    connection.send(response);
  }
}
