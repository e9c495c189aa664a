// RegistrationPasses: when the broker registers with its NameServers. Java's registerBrokerAll is a
// synchronized method, so each caller gets a registration that starts after its call, and waits for
// at most the one running plus its own. Here callers that come while a pass runs share the one pass
// queued behind it: the same bound (at most two passes), with one registration for any number of
// callers. (A loop that ran again for as long as callers kept coming could hold one of them without
// bound; a heartbeat held past a 5.x client's 3 s timeout has its connection closed by the client.)
// A caller in the same synchronous job as the start of the running pass joins that pass: the pass took
// its snapshot of the topics after every change the caller made before asking.

export class RegistrationPasses {
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  /** True from the start of the running pass until the current synchronous job ends. */
  private runningJoinable = false;

  /** `pass` does one registration with every NameServer; it reports its own failures and never rejects. */
  constructor(private readonly pass: () => Promise<void>) {}

  /** Resolves once a pass that started after this call has ended. */
  request(): Promise<void> {
    const running = this.running;
    if (running === undefined) return this.start();
    if (this.runningJoinable) return running;
    if (this.queued === undefined) {
      const next = () => {
        this.queued = undefined;
        return this.start();
      };
      this.queued = running.then(next, next);
    }
    return this.queued;
  }

  /** The pass running and the one queued, if any: shutdown waits for both. */
  settled(): Promise<void> {
    return Promise.all([this.running, this.queued]).then(
      () => undefined,
      () => undefined,
    );
  }

  private start(): Promise<void> {
    const run = this.pass().finally(() => {
      if (this.running === run) this.running = undefined;
    });
    this.running = run;
    this.runningJoinable = true;
    queueMicrotask(() => {
      this.runningJoinable = false;
    });
    return run;
  }
}

/** Resolves when `promise` settles or after `limitMs`, whichever is first; true when it settled in time. */
export function settledWithin(promise: Promise<unknown>, limitMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), limitMs);
  });
  const done = promise.then(
    () => true,
    () => true,
  );
  return Promise.race([done, late]).finally(() => clearTimeout(timer));
}
