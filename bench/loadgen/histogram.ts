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
