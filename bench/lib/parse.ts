// The official benchmark tools' report lines (rocketmq-example benchmark Producer and Consumer),
// printed every 10 s over a 10-snapshot (≈9 s) window.

export interface ProducerLine {
  atMs: number;
  tps: number;
  maxRtMs: number;
  avgRtMs: number;
  sendFailed: number;
  responseFailed: number;
  /** broker CPU seconds read when the line arrived */
  brokerCpuSeconds?: number;
}

export interface ConsumerLine {
  atMs: number;
  tps: number;
  failed: number;
  avgBornToConsumeMs: number;
  avgStoreToConsumeMs: number;
  maxBornToConsumeMs: number;
  maxStoreToConsumeMs: number;
}

export const PRODUCER_LINE =
  /Send TPS: (\d+) Max RT: (\d+) Average RT: +([\d.]+) Send Failed: (\d+) Response Failed: (\d+)/;
export const CONSUMER_LINE =
  /^TPS: (\d+) FAIL: (\d+) AVG\(B2C\) RT: +([\d.-]+) AVG\(S2C\) RT: +([\d.-]+) MAX\(B2C\) RT: (-?\d+) MAX\(S2C\) RT: (-?\d+)/;

export function parseProducerLine(m: RegExpExecArray, atMs: number): ProducerLine {
  return {
    atMs,
    tps: Number(m[1]),
    maxRtMs: Number(m[2]),
    avgRtMs: Number(m[3]),
    sendFailed: Number(m[4]),
    responseFailed: Number(m[5]),
  };
}

export function parseConsumerLine(m: RegExpExecArray, atMs: number): ConsumerLine {
  return {
    atMs,
    tps: Number(m[1]),
    failed: Number(m[2]),
    avgBornToConsumeMs: Number(m[3]),
    avgStoreToConsumeMs: Number(m[4]),
    maxBornToConsumeMs: Number(m[5]),
    maxStoreToConsumeMs: Number(m[6]),
  };
}

export interface ProducerSummary {
  lines: number;
  usedLines: number;
  sendTps: number;
  avgRtMs: number;
  maxRtMs: number;
  sendFailed: number;
  /** broker CPU seconds per 100k sent messages between the first and last used line */
  cpuSecondsPer100k?: number;
}

const mean = (xs: number[]): number => (xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length);

/**
 * Summary of lines[from, to): TPS is their mean, average RT their TPS-weighted mean, max RT the
 * largest printed (the tool's max is cumulative since its start). CPU per 100k messages spans the
 * line before `from` (the window start) to the last used line.
 */
export function summarizeProducer(lines: ProducerLine[], from = 1, to = lines.length): ProducerSummary | undefined {
  if (lines.length === 0) return undefined;
  const start = Math.min(from, lines.length - 1);
  const used = lines.slice(start, Math.max(start + 1, to));
  const sendTps = mean(used.map((l) => l.tps));
  const weight = used.reduce((a, l) => a + l.tps, 0);
  const avgRtMs =
    weight > 0 ? used.reduce((a, l) => a + l.avgRtMs * l.tps, 0) / weight : mean(used.map((l) => l.avgRtMs));
  const summary: ProducerSummary = {
    lines: lines.length,
    usedLines: used.length,
    sendTps,
    avgRtMs,
    maxRtMs: Math.max(...used.map((l) => l.maxRtMs)),
    // the tool prints cumulative failure counts
    sendFailed: lines[lines.length - 1].sendFailed + lines[lines.length - 1].responseFailed,
  };
  const first = start > 0 ? lines[start - 1] : undefined;
  const last = used[used.length - 1];
  if (first?.brokerCpuSeconds !== undefined && last.brokerCpuSeconds !== undefined && sendTps > 0) {
    const messages = sendTps * ((last.atMs - first.atMs) / 1000);
    summary.cpuSecondsPer100k = ((last.brokerCpuSeconds - first.brokerCpuSeconds) / messages) * 100_000;
  }
  return summary;
}

export interface ConsumerSummary {
  lines: number;
  consumerTps: number;
  avgStoreToConsumeMs: number;
}

export function summarizeConsumer(lines: ConsumerLine[], from = 1): ConsumerSummary | undefined {
  if (lines.length === 0) return undefined;
  const used = lines.slice(Math.min(from, lines.length - 1));
  return {
    lines: lines.length,
    consumerTps: mean(used.map((l) => l.tps)),
    avgStoreToConsumeMs: mean(used.map((l) => l.avgStoreToConsumeMs)),
  };
}
