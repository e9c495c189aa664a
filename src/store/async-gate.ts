// A counting semaphore for work on the libuv thread pool (cold reads, consume-queue fdatasyncs): at
// most `maxInFlight` run at once and the rest wait in order, so no kind of work fills the pool and
// the commit log's fdatasync (what SYNC_FLUSH sends wait for) always finds a free thread.
export class AsyncGate {
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly maxInFlight: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.inFlight >= this.maxInFlight) await new Promise<void>((go) => this.waiting.push(go));
    else this.inFlight++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next !== undefined) next();
      else this.inFlight--;
    }
  }
}
