// A connection worker's writes of what the main thread answered (WRITE and WRITE_LOG events), one
// turn of events at a time: every socket written in the turn is corked until the turn ends, so a
// connection's answers of one turn leave in one writev; each write is admitted against
// serverMaxPendingWriteBytes as Connection.send admits it on the main thread.
import type net from 'node:net';
import { pullBodyRing } from '../../common/body-ring';
import { pendingWriteRefusal } from '../../remoting/remoting-limits';
import type { LogRunReader } from './log-run-reader';
import { decodeLogWrite } from './log-write-format';

export interface WritableConnection {
  readonly socket: net.Socket;
  /** the most unsent bytes its socket held */
  peakPendingWriteBytes: number;
}

export interface WriteHooks<C extends WritableConnection> {
  /** closes `connection` for `reason` and tells the main thread */
  close(connection: C, reason: string): void;
  /** the socket holds more unsent bytes than ever before */
  notePeak(connection: C, pendingBytes: number): void;
}

export class WorkerWrites<C extends WritableConnection> {
  private readonly corked = new Set<net.Socket>();

  constructor(
    /** serverMaxPendingWriteBytes; 0 = none */
    private readonly maxPendingWriteBytes: number,
    /** present when pull bodies are read here */
    private readonly logReader: LogRunReader | undefined,
    private readonly hooks: WriteHooks<C>,
  ) {}

  write(connection: C, bytes: Buffer): void {
    const socket = connection.socket;
    if (!socket.writable || !this.admit(connection, bytes.length)) return;
    this.cork(socket);
    this.afterWrite(connection, socket.write(bytes));
  }

  /** A pull answer made by reference: its records are read here, into ring memory held until written. */
  writeLog(connection: C, bytes: Buffer): void {
    const socket = connection.socket;
    if (!socket.writable) return;
    if (this.logReader === undefined) {
      this.hooks.close(connection, 'a pull answer by reference with no commit-log reader here (a bug)');
      return;
    }
    let decoded: ReturnType<typeof decodeLogWrite>;
    try {
      decoded = decodeLogWrite(bytes);
    } catch (error) {
      this.hooks.close(
        connection,
        `a pull answer by reference that does not decode (a bug): ${(error as Error).message}`,
      );
      return;
    }
    const { head, ref } = decoded;
    if (!this.admit(connection, head.length + ref.totalBytes)) return;
    const body = pullBodyRing.take(ref.totalBytes) ?? Buffer.allocUnsafe(ref.totalBytes);
    if (!this.logReader.read(ref, body)) {
      this.hooks.close(connection, "a pull answer's records could not be read from the commit log");
      return;
    }
    const leases = pullBodyRing.retainView(body) ?? [];
    this.cork(socket);
    socket.write(head);
    const flushed = socket.write(body, () => {
      for (const lease of leases) lease.release();
    });
    this.afterWrite(connection, flushed);
  }

  /** The turn's events are written: every corked socket sends what it holds. */
  endTurn(): void {
    for (const socket of this.corked) socket.uncork();
    this.corked.clear();
  }

  /** False (and the connection closed) when `sizeBytes` more would pass serverMaxPendingWriteBytes. */
  private admit(connection: C, sizeBytes: number): boolean {
    const refusal = pendingWriteRefusal(connection.socket.writableLength, sizeBytes, this.maxPendingWriteBytes);
    if (refusal === undefined) return true;
    this.hooks.close(connection, refusal);
    return false;
  }

  private cork(socket: net.Socket): void {
    if (this.corked.has(socket)) return;
    this.corked.add(socket);
    socket.cork();
  }

  private afterWrite(connection: C, flushed: boolean): void {
    const socket = connection.socket;
    if (!flushed) socket.pause();
    if (socket.writableLength > connection.peakPendingWriteBytes)
      this.hooks.notePeak(connection, socket.writableLength);
  }
}
