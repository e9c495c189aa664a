// StoreStatsService + BrokerStats (org.apache.rocketmq.store): the broker-wide put/get counters
// behind the first half of GET_BROKER_RUNTIME_INFO.
//
// Counters are sampled every second (the last 601 samples kept), and the put/get TPS values are
// reported over 10 s, 60 s and 600 s as Java writes them: "a b c", each an empty string until
// enough samples exist (so "0.0  " ten seconds after start), getTotalTps always three numbers.
// putMessageDistributeTime counts puts by latency bucket and restarts every minute.
// The morning totals (msgPutTotalTodayMorning, …) are taken at local midnight.
import { formatRuntime, javaDoubleToString } from './java-format';

const SAMPLE_PERIOD_MS = 1000;
const MAX_SAMPLES = 600 + 1;
const DISTRIBUTION_RESET_MS = 60_000;
const TPS_WINDOWS_S = [10, 60, 600];

/** Bucket upper bounds (exclusive, ms) and names of StoreStatsService.putMessageDistributeTime. */
const LATENCY_BOUNDS_MS = [1, 10, 50, 100, 200, 500, 1000, 2000, 3000, 4000, 5000, 10_000];
const LATENCY_NAMES = [
  '[<=0ms]',
  '[0~10ms]',
  '[10~50ms]',
  '[50~100ms]',
  '[100~200ms]',
  '[200~500ms]',
  '[500ms~1s]',
  '[1~2s]',
  '[2~3s]',
  '[3~4s]',
  '[4~5s]',
  '[5~10s]',
  '[10s~]',
];

interface CallSnapshot {
  timestampMs: number;
  total: number;
}

class SampledCounter {
  total = 0;
  private readonly samples: CallSnapshot[] = [];

  sample(nowMs: number): void {
    this.samples.push({ timestampMs: nowMs, total: this.total });
    if (this.samples.length > MAX_SAMPLES) this.samples.shift();
  }

  /** Calls per second over the last `windowS` samples; undefined until there are that many. */
  tps(windowS: number): number | undefined {
    if (this.samples.length <= windowS) return undefined;
    const last = this.samples[this.samples.length - 1];
    const before = this.samples[this.samples.length - (windowS + 1)];
    return ((last.total - before.total) / (last.timestampMs - before.timestampMs)) * 1000;
  }

  /** Java's "a b c" string, empty parts for windows not filled yet. */
  tpsText(): string {
    return TPS_WINDOWS_S.map((windowS) => {
      const tps = this.tps(windowS);
      return tps === undefined ? '' : javaDoubleToString(tps);
    }).join(' ');
  }
}

export class StoreStatsService {
  readonly bootTimestampMs: number;
  putMessageSizeTotal = 0;
  putMessageEntireTimeMaxMs = 0;
  private readonly puts = new SampledCounter();
  private readonly getsFound = new SampledCounter();
  private readonly getsMissed = new SampledCounter();
  private readonly transferred = new SampledCounter();
  private distribution = new Array<number>(LATENCY_NAMES.length).fill(0);
  private lastDistributionResetMs: number;
  msgPutTotalYesterdayMorning = 0;
  msgPutTotalTodayMorning = 0;
  msgGetTotalYesterdayMorning = 0;
  msgGetTotalTodayMorning = 0;

  constructor(nowMs = Date.now()) {
    this.bootTimestampMs = nowMs;
    this.lastDistributionResetMs = nowMs;
  }

  /** Messages stored (a batch counts each message), their bytes and the put latency. */
  onPut(messageCount: number, sizeBytes: number, elapsedMs: number): void {
    this.puts.total += messageCount;
    this.putMessageSizeTotal += sizeBytes;
    const latencyMs = Math.max(0, elapsedMs);
    let bucket = LATENCY_BOUNDS_MS.findIndex((bound) => latencyMs < bound);
    if (bucket < 0) bucket = LATENCY_BOUNDS_MS.length;
    this.distribution[bucket] += 1;
    this.putMessageEntireTimeMaxMs = Math.max(this.putMessageEntireTimeMaxMs, latencyMs);
  }

  /** One store read: found or not, and how many messages it returned. */
  onGet(found: boolean, messageCount: number): void {
    if (found) this.getsFound.total += 1;
    else this.getsMissed.total += 1;
    this.transferred.total += messageCount;
  }

  get putMessageTimesTotal(): number {
    return this.puts.total;
  }

  get getMessageTransferredMsgCount(): number {
    return this.transferred.total;
  }

  /** The 1 s tick: one sample of every counter; the latency buckets restart each minute. */
  sampling(nowMs = Date.now()): void {
    for (const counter of [this.puts, this.getsFound, this.getsMissed, this.transferred]) counter.sample(nowMs);
    if (nowMs - this.lastDistributionResetMs >= DISTRIBUTION_RESET_MS) {
      this.lastDistributionResetMs = nowMs;
      this.distribution = this.distribution.map(() => 0);
    }
  }

  /** BrokerStats.record(): yesterday's morning totals become today's, at local midnight. */
  recordMorning(): void {
    this.msgPutTotalYesterdayMorning = this.msgPutTotalTodayMorning;
    this.msgGetTotalYesterdayMorning = this.msgGetTotalTodayMorning;
    this.msgPutTotalTodayMorning = this.putMessageTimesTotal;
    this.msgGetTotalTodayMorning = this.getMessageTransferredMsgCount;
  }

  /** StoreStatsService.getRuntimeInfo, values in Java's formats. */
  runtimeInfo(nowMs = Date.now()): Map<string, string> {
    // Java reports at least one put so the average never divides by zero.
    const totalTimes = this.putMessageTimesTotal === 0 ? 1 : this.putMessageTimesTotal;
    const totalTps = TPS_WINDOWS_S.map(
      (windowS) => (this.getsFound.tps(windowS) ?? 0) + (this.getsMissed.tps(windowS) ?? 0),
    );
    return new Map([
      ['bootTimestamp', String(this.bootTimestampMs)],
      ['runtime', formatRuntime(nowMs - this.bootTimestampMs)],
      ['putMessageEntireTimeMax', String(this.putMessageEntireTimeMaxMs)],
      ['putMessageTimesTotal', String(totalTimes)],
      ['putMessageSizeTotal', String(this.putMessageSizeTotal)],
      ['putMessageDistributeTime', this.distribution.map((count, i) => `${LATENCY_NAMES[i]}:${count} `).join('')],
      ['putMessageAverageSize', javaDoubleToString(this.putMessageSizeTotal / totalTimes)],
      ['dispatchMaxBuffer', '0'],
      ['getMessageEntireTimeMax', '0'],
      ['putTps', this.puts.tpsText()],
      ['getFoundTps', this.getsFound.tpsText()],
      ['getMissTps', this.getsMissed.tpsText()],
      ['getTotalTps', totalTps.map(javaDoubleToString).join(' ')],
      ['getTransferedTps', this.transferred.tpsText()],
    ]);
  }
}

/** Milliseconds from `nowMs` to the next local midnight (UtilAll.computeNextMorningTimeMillis). */
export function msUntilNextMorning(nowMs = Date.now()): number {
  const next = new Date(nowMs);
  next.setHours(24, 0, 0, 0);
  return next.getTime() - nowMs;
}

export const STORE_STATS_SAMPLE_PERIOD_MS = SAMPLE_PERIOD_MS;
