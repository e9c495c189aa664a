// A client over one raw socket, for the limit tests: writes frames as a client would, reads the
// answers by opaque, and can stop reading its socket (pause) to play a peer that never reads.
import net from 'node:net';
import { FrameDecoder } from '../../src/codec/frame-decoder';
import {
  createRequestCommand,
  decodeRemotingCommand,
  encodeRemotingCommand,
  type ExtFields,
  type RemotingCommand,
} from '../../src/codec/remoting-command';
import { newOpaque } from '../../src/remoting/connection';

export class RawPeer {
  private readonly decoder = new FrameDecoder(64 * 1024 * 1024);
  private readonly waiting = new Map<number, (response: RemotingCommand) => void>();
  /** Resolves when the server closes (or resets) the connection. */
  readonly closed: Promise<void>;
  isClosed = false;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.decoder.push(chunk)) {
        const response = decodeRemotingCommand(frame);
        const resolve = this.waiting.get(response.opaque);
        this.waiting.delete(response.opaque);
        resolve?.(response);
      }
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) =>
      socket.on('close', () => {
        this.isClosed = true;
        resolve();
      }),
    );
  }

  static connect(address: string): Promise<RawPeer> {
    const [host, port] = address.split(':');
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(port), host, () => resolve(new RawPeer(socket)));
      socket.once('error', reject);
    });
  }

  /** Writes a request and resolves with its answer (never, if the server does not answer). */
  request(code: number, extFields?: ExtFields, body?: Buffer): Promise<RemotingCommand> {
    const command = createRequestCommand(code, newOpaque(), { extFields, body });
    const answered = new Promise<RemotingCommand>((resolve) => this.waiting.set(command.opaque, resolve));
    this.socket.write(encodeRemotingCommand(command));
    return answered;
  }

  /** The answer to a request with this opaque written by hand (see write). */
  answerTo(opaque: number): Promise<RemotingCommand> {
    return new Promise<RemotingCommand>((resolve) => this.waiting.set(opaque, resolve));
  }

  /** Writes a request without waiting for its answer. */
  fire(code: number, extFields?: ExtFields, body?: Buffer): void {
    this.socket.write(encodeRemotingCommand(createRequestCommand(code, newOpaque(), { extFields, body })));
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Resolves true when `promise` settles within `timeoutMs`, else false. */
export async function within(promise: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
