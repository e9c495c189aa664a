// A fixed-size latency histogram: 10 µs buckets up to 20 ms, then 1 ms buckets up to 60 s; the last
// bucket takes everything slower. Recording is one division and an increment, so it costs the load
// generator nothing next to a frame.
const FINE_US = 10;
const FINE_BUCKETS = 2000; // 0 .. 20 ms
const COARSE_US = 1000;
const COARSE_BUCKETS = 60_000; // 20 ms .. 60 s

export interface LatencySummary {
  count: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
}

export class Histogram {
  private readonly counts = new Float64Array(FINE_BUCKETS + COARSE_BUCKETS + 1);
  count = 0;
  private sumUs = 0;
  private maxUs = 0;

  record(us: number): void {
    const v = Math.max(us, 0);
    const fine = Math.floor(v / FINE_US);
    const index =
      fine < FINE_BUCKETS
        ? fine
        : Math.min(FINE_BUCKETS + Math.floor((v - FINE_BUCKETS * FINE_US) / COARSE_US), this.counts.length - 1);
    this.counts[index]++;
    this.count++;
    this.sumUs += v;
    if (v > this.maxUs) this.maxUs = v;
  }

  /** Upper edge of the bucket holding the q-quantile, in ms. */
  quantileMs(q: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.ceil(q * this.count);
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i];
      if (seen >= rank) {
        const upperUs =
          i < FINE_BUCKETS ? (i + 1) * FINE_US : FINE_BUCKETS * FINE_US + (i - FINE_BUCKETS + 1) * COARSE_US;
        return Math.min(upperUs, this.maxUs) / 1000;
      }
    }
    return this.maxUs / 1000;
  }

  summary(): LatencySummary {
    return {
      count: this.count,
      meanMs: this.count ? this.sumUs / this.count / 1000 : NaN,
      p50Ms: this.quantileMs(0.5),
      p90Ms: this.quantileMs(0.9),
      p99Ms: this.quantileMs(0.99),
      p999Ms: this.quantileMs(0.999),
      maxMs: this.maxUs / 1000,
    };
  }
}

/**
 * Send latencies second by second, coarser (50 µs buckets up to 100 ms, then one for the rest), so
 * that a quantile can be taken over any run of seconds afterwards: the backlog's cold read takes
 * the send p99 over the seconds the read lasted, which the harness learns only at the end.
 * Each second is kept as [bucket, count] pairs (a few dozen a second).
 */
const SECOND_BUCKET_US = 50;
const SECOND_BUCKETS = 2000; // 0 .. 100 ms; the last index takes everything slower

export type SecondLatencies = [bucket: number, count: number][];

export class PerSecondLatency {
  private current = new Uint32Array(SECOND_BUCKETS + 1);
  readonly seconds: SecondLatencies[] = [];

  record(us: number): void {
    this.current[Math.min(Math.floor(Math.max(us, 0) / SECOND_BUCKET_US), SECOND_BUCKETS)]++;
  }

  /** Ends the current second. */
  endSecond(): void {
    const pairs: SecondLatencies = [];
    for (let i = 0; i < this.current.length; i++) if (this.current[i] > 0) pairs.push([i, this.current[i]]);
    this.seconds.push(pairs);
    this.current.fill(0);
  }
}

/** The q-quantile (upper bucket edge, ms) of the latencies of `seconds`; NaN when they hold none. */
export function quantileOfSeconds(seconds: readonly SecondLatencies[], q: number): number {
  const counts = new Uint32Array(SECOND_BUCKETS + 1);
  let total = 0;
  for (const second of seconds)
    for (const [bucket, count] of second) {
      counts[bucket] += count;
      total += count;
    }
  if (total === 0) return Number.NaN;
  const rank = Math.ceil(q * total);
  let seen = 0;
  let bucket = 0;
  while (seen + counts[bucket] < rank) seen += counts[bucket++];
  return ((bucket + 1) * SECOND_BUCKET_US) / 1000;
}
