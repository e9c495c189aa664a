// Child processes for the benchmark: each runs in its own process group (detached), its stdout and
// stderr go line by line to a log file and to listeners, and stop() ends the whole group (SIGTERM,
// then SIGKILL after a grace period). Every live group is SIGKILLed when the harness exits.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';

const live = new Set<Child>();

export type LineListener = (line: string, atMs: number) => void;

export class Child {
  readonly proc: ChildProcess;
  readonly pid: number;
  readonly spawnedAtMs: number;
  private readonly listeners: LineListener[] = [];
  /** the last lines and when each arrived */
  private readonly tail: Array<{ line: string; atMs: number }> = [];
  private exitCode: number | null | undefined = undefined;
  private readonly exited: Promise<void>;

  constructor(
    readonly name: string,
    readonly command: string[],
    opts: { cwd: string; env?: NodeJS.ProcessEnv; logFile: string },
  ) {
    const log = fs.createWriteStream(opts.logFile, { flags: 'a' });
    log.write(`# ${command.join(' ')}\n`);
    this.spawnedAtMs = performance.now();
    this.proc = spawn(command[0], command.slice(1), {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    if (this.proc.pid === undefined) throw new Error(`cannot spawn ${name}: ${command[0]}`);
    this.pid = this.proc.pid;
    live.add(this);
    this.exited = new Promise((resolve) => {
      this.proc.on('exit', (code, signal) => {
        this.exitCode = code ?? (signal ? -1 : null);
        live.delete(this);
        resolve();
      });
      this.proc.on('error', () => {
        this.exitCode = -1;
        live.delete(this);
        resolve();
      });
    });
    for (const stream of [this.proc.stdout, this.proc.stderr]) {
      let partial = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        const atMs = performance.now();
        log.write(chunk);
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) this.onLine(line, atMs);
      });
    }
    this.exited.then(() => log.end());
  }

  private onLine(line: string, atMs: number): void {
    this.tail.push({ line, atMs });
    if (this.tail.length > 30) this.tail.shift();
    for (const listener of this.listeners) listener(line, atMs);
  }

  get alive(): boolean {
    return this.exitCode === undefined;
  }

  lastLines(): string {
    return this.tail.map((entry) => entry.line).join('\n');
  }

  onLineMatching(re: RegExp, fn: (m: RegExpExecArray, atMs: number) => void): void {
    this.listeners.push((line, atMs) => {
      const m = re.exec(line);
      if (m) fn(m, atMs);
    });
  }

  /** Resolves with the first line matching `re` (and when it arrived); rejects on exit or timeout. */
  waitForLine(re: RegExp, timeoutMs: number): Promise<{ match: RegExpExecArray; atMs: number }> {
    for (const entry of this.tail) {
      const seen = re.exec(entry.line);
      if (seen) return Promise.resolve({ match: seen, atMs: entry.atMs });
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`${this.name}: no line matching ${re} within ${timeoutMs} ms\n${this.lastLines()}`));
      }, timeoutMs);
      this.listeners.push((line, atMs) => {
        const m = re.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve({ match: m, atMs });
        }
      });
      this.exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited (${this.exitCode}) before printing ${re}\n${this.lastLines()}`));
      });
    });
  }

  write(text: string): void {
    this.proc.stdin?.write(text);
  }

  /** Waits up to `timeoutMs` for the process to exit by itself; true when it did. */
  async waitExit(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    return !this.alive;
  }

  /**
   * SIGTERM to the process group, SIGKILL after `graceMs`; resolves once the leader is gone. The
   * leaders are java or node themselves (no shell), so the group holds nothing else; it is never
   * signalled after the leader exited (its id could be reused).
   */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.alive) {
      signalGroup(this.pid, 'SIGTERM');
      if (!(await this.waitExit(graceMs))) {
        signalGroup(this.pid, 'SIGKILL');
        await this.waitExit(5_000);
      }
    }
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // group already gone
  }
}

/** SIGKILLs every group still running; registered for exit and for SIGINT/SIGTERM of the harness. */
export function killAll(): void {
  for (const child of live) signalGroup(child.pid, 'SIGKILL');
  live.clear();
}

process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
