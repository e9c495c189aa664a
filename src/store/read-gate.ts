// A counting semaphore for reads moved off the event loop: at most `maxInFlight` run at once and
// the rest wait in order, so the libuv pool keeps threads free for flushes (fdatasync).
export class ReadGate {
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly maxInFlight: number) {}

  async run<T>(read: () => Promise<T>): Promise<T> {
    if (this.inFlight >= this.maxInFlight) await new Promise<void>((go) => this.waiting.push(go));
    else this.inFlight++;
    try {
      return await read();
    } finally {
      const next = this.waiting.shift();
      if (next !== undefined) next();
      else this.inFlight--;
    }
  }
}
