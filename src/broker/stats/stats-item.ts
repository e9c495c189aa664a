// StatsItem / StatsItemSet (org.apache.rocketmq.common.stats): a counter pair (value, times) per
// key, sampled into three windows that VIEW_BROKER_STATS_DATA reports:
//
//   minute: a sample every 10 s, the last 7 kept (60 s)
//   hour:   a sample every 10 min, the last 7 kept (60 min)
//   day:    a sample every hour, the last 25 kept (24 h)
//
// A window's snapshot compares its first and last sample: sum = value difference,
// tps = sum per second, avgpt = sum per call (value / times). The first sample of a new item
// is preceded by a zero sample one period earlier, so the first 10 s tick already reports the
// whole value (Java does the same).

export interface StatsSnapshot {
  sum: number;
  tps: number;
  avgpt: number;
  times: number;
}

interface CallSnapshot {
  timestampMs: number;
  times: number;
  value: number;
}

export const MINUTE_SAMPLE_PERIOD_MS = 10_000;
export const HOUR_SAMPLE_PERIOD_MS = 10 * 60_000;
export const DAY_SAMPLE_PERIOD_MS = 60 * 60_000;

class SampleWindow {
  private readonly samples: CallSnapshot[] = [];

  constructor(
    private readonly periodMs: number,
    private readonly maxSamples: number,
  ) {}

  sample(nowMs: number, times: number, value: number): void {
    if (this.samples.length === 0) this.samples.push({ timestampMs: nowMs - this.periodMs, times: 0, value: 0 });
    this.samples.push({ timestampMs: nowMs, times, value });
    if (this.samples.length > this.maxSamples) this.samples.shift();
  }

  snapshot(): StatsSnapshot {
    if (this.samples.length === 0) return { sum: 0, tps: 0, avgpt: 0, times: 0 };
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const sum = last.value - first.value;
    const elapsedMs = last.timestampMs - first.timestampMs;
    const times = last.times - first.times;
    return {
      sum,
      tps: elapsedMs > 0 ? (sum * 1000) / elapsedMs : 0,
      avgpt: times > 0 ? sum / times : 0,
      times,
    };
  }
}

export class StatsItem {
  value = 0;
  times = 0;
  private readonly minute = new SampleWindow(MINUTE_SAMPLE_PERIOD_MS, 7);
  private readonly hour = new SampleWindow(HOUR_SAMPLE_PERIOD_MS, 7);
  private readonly day = new SampleWindow(DAY_SAMPLE_PERIOD_MS, 25);

  constructor(
    readonly statsName: string,
    readonly statsKey: string,
  ) {}

  add(incValue: number, incTimes: number): void {
    this.value += incValue;
    this.times += incTimes;
  }

  samplingInSeconds(nowMs: number): void {
    this.minute.sample(nowMs, this.times, this.value);
  }

  samplingInMinutes(nowMs: number): void {
    this.hour.sample(nowMs, this.times, this.value);
  }

  samplingInHour(nowMs: number): void {
    this.day.sample(nowMs, this.times, this.value);
  }

  getStatsDataInMinute(): StatsSnapshot {
    return this.minute.snapshot();
  }

  getStatsDataInHour(): StatsSnapshot {
    return this.hour.snapshot();
  }

  getStatsDataInDay(): StatsSnapshot {
    return this.day.snapshot();
  }
}

/** At most this many keys per stats name; the oldest key goes when a new one would exceed it. */
export const MAX_ITEMS_PER_SET = 100_000;

export class StatsItemSet {
  readonly items = new Map<string, StatsItem>();

  constructor(
    readonly statsName: string,
    private readonly maxItems = MAX_ITEMS_PER_SET,
  ) {}

  getAndCreateStatsItem(statsKey: string): StatsItem {
    let item = this.items.get(statsKey);
    if (item === undefined) {
      if (this.items.size >= this.maxItems) this.items.delete(this.items.keys().next().value as string);
      item = new StatsItem(this.statsName, statsKey);
      this.items.set(statsKey, item);
    }
    return item;
  }

  addValue(statsKey: string, incValue: number, incTimes: number): void {
    this.getAndCreateStatsItem(statsKey).add(incValue, incTimes);
  }

  getStatsItem(statsKey: string): StatsItem | undefined {
    return this.items.get(statsKey);
  }

  /** StatsItemSet.getStatsDataInMinute: zeros for a key never counted. */
  getStatsDataInMinute(statsKey: string): StatsSnapshot {
    return this.items.get(statsKey)?.getStatsDataInMinute() ?? { sum: 0, tps: 0, avgpt: 0, times: 0 };
  }

  /** Drops the keys `matches` accepts (topic or group deleted). */
  deleteWhere(matches: (statsKey: string) => boolean): void {
    for (const key of [...this.items.keys()]) if (matches(key)) this.items.delete(key);
  }

  samplingInSeconds(nowMs: number): void {
    for (const item of this.items.values()) item.samplingInSeconds(nowMs);
  }

  samplingInMinutes(nowMs: number): void {
    for (const item of this.items.values()) item.samplingInMinutes(nowMs);
  }

  samplingInHour(nowMs: number): void {
    for (const item of this.items.values()) item.samplingInHour(nowMs);
  }

  /** Java StatsItem.printAtMinutes: one stats.log line per key with the last minute's figures. */
  printAtMinutes(print: (line: string) => void): void {
    for (const [key, item] of this.items) {
      const ss = item.getStatsDataInMinute();
      print(
        `[${this.statsName}] [${key}] Stats In One Minute, SUM: ${ss.sum} TPS: ${ss.tps.toFixed(2)} AVGPT: ${ss.avgpt.toFixed(2)}`,
      );
    }
  }
}
