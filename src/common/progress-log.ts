// Progress lines for long operations (commit-log recovery, which also rebuilds consume-queue units
// and index entries): at most one line every `intervalMs` (5 s), so an operator watching
// store.log during a slow start sees how far it got; a short operation prints nothing.
import { getLogger } from './logger';

export interface ProgressOptions {
  intervalMs?: number;
  nowMs?: () => number;
}

const DEFAULT_INTERVAL_MS = 5000;

/** Where the store's long operations (recovery, index repair) report; tests swap `print` and `intervalMs`. */
export const storeProgressSink = {
  intervalMs: DEFAULT_INTERVAL_MS,
  print: (line: string): void => {
    getLogger('store').info(line);
  },
};
/** Clock reads are skipped between checks: one every this many ticks. */
const TICKS_PER_CLOCK_READ = 256;

export class ProgressLog {
  private readonly intervalMs: number;
  private readonly nowMs: () => number;
  private readonly startedMs: number;
  private lastLineMs: number;
  private ticks = 0;
  /** Progress lines printed so far. */
  lines = 0;

  constructor(
    private readonly what: string,
    private readonly totalUnits: number,
    private readonly unitName: string,
    private readonly print: (line: string) => void,
    options: ProgressOptions = {},
  ) {
    if (!(totalUnits >= 0)) throw new Error(`progress total must be >= 0: ${totalUnits}`);
    this.intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
    this.nowMs = options.nowMs ?? Date.now;
    this.startedMs = this.nowMs();
    this.lastLineMs = this.startedMs;
  }

  /** `doneUnits` of `totalUnits` done; prints when `intervalMs` passed since the last line. */
  tick(doneUnits: number): void {
    if (++this.ticks % TICKS_PER_CLOCK_READ !== 0) return;
    const now = this.nowMs();
    if (now - this.lastLineMs < this.intervalMs) return;
    this.lastLineMs = now;
    this.lines++;
    const percent = this.totalUnits === 0 ? 100 : Math.min(100, (doneUnits / this.totalUnits) * 100);
    this.print(
      `${this.what}: ${doneUnits}/${this.totalUnits} ${this.unitName} (${percent.toFixed(1)}%), ${this.elapsedSeconds(now)} s`,
    );
  }

  /** Prints the closing line when progress lines were printed (a long operation ended). */
  finish(summary: string): void {
    if (this.lines === 0) return;
    this.print(`${this.what}: done in ${this.elapsedSeconds(this.nowMs())} s, ${summary}`);
  }

  private elapsedSeconds(now: number): string {
    return ((now - this.startedMs) / 1000).toFixed(1);
  }
}
