// The live charts' data: every SAMPLE_PERIOD_MS the broker's put and get (messages transferred)
// totals turned into TPS, and the total lag of every group, kept for the last MAX_SAMPLES samples.
import type { BrokerContext } from '../broker/broker-context';
import type { GroupsView } from './console-groups';

export const SAMPLE_PERIOD_MS = 2000;
/** Ten minutes of samples. */
export const MAX_SAMPLES = 300;
/** Groups summed into one lag sample at most (the rest are left out). */
const MAX_GROUPS_PER_SAMPLE = 500;

export interface StatsSample {
  timestampMs: number;
  putTps: number;
  getTps: number;
  lag: number;
  /** Messages stored and messages handed to consumers since the previous sample. */
  puts: number;
  gets: number;
}

export class ConsoleStats {
  readonly samples: StatsSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private last: { timestampMs: number; puts: number; gets: number } | undefined;

  constructor(
    private readonly broker: BrokerContext,
    private readonly groups: GroupsView,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), SAMPLE_PERIOD_MS);
    this.timer.unref();
  }

  sample(nowMs = Date.now()): void {
    const stats = this.broker.brokerStatsManager.storeStats;
    const current = { timestampMs: nowMs, puts: stats.putMessageTimesTotal, gets: stats.getMessageTransferredMsgCount };
    const previous = this.last;
    this.last = current;
    if (previous === undefined || nowMs <= previous.timestampMs) return;
    const seconds = (nowMs - previous.timestampMs) / 1000;
    let lag = 0;
    for (const group of this.groups.groupNames().slice(0, MAX_GROUPS_PER_SAMPLE))
      for (const row of this.groups.lag(group)) lag += row.lag;
    this.samples.push({
      timestampMs: nowMs,
      putTps: Math.round(((current.puts - previous.puts) / seconds) * 10) / 10,
      getTps: Math.round(((current.gets - previous.gets) / seconds) * 10) / 10,
      lag,
      puts: current.puts - previous.puts,
      gets: current.gets - previous.gets,
    });
    if (this.samples.length > MAX_SAMPLES) this.samples.splice(0, this.samples.length - MAX_SAMPLES);
  }

  shutdown(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
  }
}
