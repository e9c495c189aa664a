// Client side of the remoting protocol (NettyRemotingClient): one connection per address, made on
// first use and re-made after it closes; requests are matched to responses by opaque.
import net from 'node:net';
import type { RemotingCommand } from '../codec/remoting-command';
import { Connection, type RequestDispatcher } from './connection';
import { RemotingConnectError } from './remoting-errors';

export interface RemotingClientConfig {
  connectTimeoutMs: number;
  idleTimeoutMs: number;
}

export const DEFAULT_CLIENT_CONFIG: RemotingClientConfig = { connectTimeoutMs: 3000, idleTimeoutMs: 120_000 };

export class RemotingClient {
  private readonly connections = new Map<string, Promise<Connection>>();

  constructor(
    private readonly config: RemotingClientConfig = DEFAULT_CLIENT_CONFIG,
    private readonly dispatcher?: RequestDispatcher,
  ) {}

  /** The connection to `address` ("host:port"), connecting if there is none. */
  connection(address: string): Promise<Connection> {
    let connecting = this.connections.get(address);
    if (connecting === undefined) {
      connecting = this.connect(address);
      this.connections.set(address, connecting);
      connecting.catch(() => this.connections.delete(address));
    }
    return connecting;
  }

  async invoke(address: string, request: RemotingCommand, timeoutMs: number): Promise<RemotingCommand> {
    const connection = await this.connection(address);
    return connection.invoke(request, timeoutMs);
  }

  async invokeOneway(address: string, request: RemotingCommand): Promise<void> {
    const connection = await this.connection(address);
    connection.invokeOneway(request);
  }

  close(address: string): void {
    this.connections.get(address)?.then(
      (connection) => connection.close(),
      () => undefined,
    );
    this.connections.delete(address);
  }

  shutdown(): void {
    for (const address of [...this.connections.keys()]) this.close(address);
  }

  private connect(address: string): Promise<Connection> {
    const separator = address.lastIndexOf(':');
    const host = address.slice(0, separator);
    const port = Number(address.slice(separator + 1));
    return new Promise((resolve, reject) => {
      if (separator <= 0 || !Number.isInteger(port)) {
        reject(new RemotingConnectError(address, 'address is not host:port'));
        return;
      }
      const socket = net.connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new RemotingConnectError(address, `no answer in ${this.config.connectTimeoutMs} ms`));
      }, this.config.connectTimeoutMs);
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(new RemotingConnectError(address, error.message));
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        const connection = new Connection(socket, this.dispatcher, { idleTimeoutMs: this.config.idleTimeoutMs });
        connection.onClose(() => {
          if (this.connections.get(address) !== undefined) this.connections.delete(address);
        });
        resolve(connection);
      });
    });
  }
}
