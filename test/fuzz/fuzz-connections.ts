// How the socket fuzzer delivers inputs to one server (all to 127.0.0.1):
//   lanes   a few long-lived connections carrying well-formed frames back to back; answers are
//           read and dropped; a lane the server closes is reopened
//   alone   one connection per input that may end the connection: the bytes then FIN, closed
//           when the server has closed its side (at most ALONE_IN_FLIGHT at once)
//   held    connections left silent after an unfinished frame, at most `heldMax` (oldest closed)
//   idle    connections opened at the start and never used
import net from 'node:net';
import type { Delivery } from './fuzz-inputs';

const ALONE_IN_FLIGHT = 32;
const ALONE_WAIT_MS = 1000;
const CONNECT_TIMEOUT_MS = 5000;

export interface ConnectionStats {
  opened: number;
  lanesClosedByServer: number;
  connectErrors: number;
}

function connect(address: string, stats: ConnectionStats): Promise<net.Socket> {
  const separator = address.lastIndexOf(':');
  const host = address.slice(0, separator);
  if (host !== '127.0.0.1') throw new Error(`the fuzzer only connects to 127.0.0.1, not ${address}`);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port: Number(address.slice(separator + 1)) });
    const timer = setTimeout(() => socket.destroy(new Error(`connect to ${address} timed out`)), CONNECT_TIMEOUT_MS);
    socket.once('error', (error) => {
      clearTimeout(timer);
      stats.connectErrors++;
      reject(error);
    });
    socket.once('connect', () => {
      clearTimeout(timer);
      stats.opened++;
      socket.removeAllListeners('error');
      socket.on('error', () => undefined); // resets by the server are expected
      socket.on('data', () => undefined); // answers are read and dropped
      resolve(socket);
    });
  });
}

/** A socket closed without TIME_WAIT on this side (RST), so a long run does not run out of ports. */
function discard(socket: net.Socket): void {
  if (!socket.destroyed) socket.resetAndDestroy();
}

export class ServerConnections {
  readonly stats: ConnectionStats = { opened: 0, lanesClosedByServer: 0, connectErrors: 0 };
  private readonly lanes: (net.Socket | undefined)[];
  private readonly held: net.Socket[] = [];
  private readonly idle: net.Socket[] = [];
  private readonly alone = new Set<Promise<void>>();
  private nextLane = 0;

  constructor(
    readonly address: string,
    laneCount: number,
    private readonly heldMax: number,
  ) {
    this.lanes = new Array<net.Socket | undefined>(laneCount).fill(undefined);
  }

  async openIdle(count: number): Promise<void> {
    for (let i = 0; i < count; i++) this.idle.push(await connect(this.address, this.stats));
  }

  async deliver(bytes: Buffer, delivery: Delivery): Promise<void> {
    if (delivery === 'stream') return this.toLane(bytes);
    if (delivery === 'hold') return this.hold(bytes);
    while (this.alone.size >= ALONE_IN_FLIGHT) await Promise.race(this.alone);
    const sending = this.sendAlone(bytes).catch(() => undefined);
    const tracked = sending.finally(() => this.alone.delete(tracked));
    this.alone.add(tracked);
  }

  /** Sends on a fresh connection and waits for an answer or the close, at most `waitMs`. */
  async deliverAndWait(bytes: Buffer, waitMs: number): Promise<void> {
    const socket = await connect(this.address, this.stats);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, waitMs);
      socket.once('data', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.write(bytes);
    });
    discard(socket);
  }

  private async toLane(bytes: Buffer): Promise<void> {
    const index = this.nextLane++ % this.lanes.length;
    let socket = this.lanes[index];
    if (socket === undefined || socket.destroyed || !socket.writable) {
      socket = await connect(this.address, this.stats);
      socket.once('close', () => {
        if (this.lanes[index] === socket) this.lanes[index] = undefined;
        this.stats.lanesClosedByServer++;
      });
      this.lanes[index] = socket;
    }
    if (!socket.write(bytes)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          socket.off('drain', done);
          socket.off('close', done);
          resolve();
        };
        socket.on('drain', done);
        socket.on('close', done);
      });
    }
  }

  private async sendAlone(bytes: Buffer): Promise<void> {
    const socket = await connect(this.address, this.stats);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ALONE_WAIT_MS);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.end(bytes); // the bytes, then FIN: the server reads them all, then closes its side
    });
    discard(socket);
  }

  private async hold(bytes: Buffer): Promise<void> {
    const socket = await connect(this.address, this.stats);
    socket.write(bytes);
    this.held.push(socket);
    while (this.held.length > this.heldMax) discard(this.held.shift()!);
  }

  /** Waits for the alone connections in flight, then closes everything. */
  async closeAll(): Promise<void> {
    await Promise.all(this.alone);
    for (const socket of [...this.lanes, ...this.held.splice(0), ...this.idle.splice(0)])
      if (socket !== undefined) discard(socket);
    this.lanes.fill(undefined);
  }
}
