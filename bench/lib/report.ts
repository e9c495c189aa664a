// The results table: one row per workload and metric with Java's value, ours, and ours/Java; a
// targets table (issue 4) on top; written as Markdown and JSON.
import type { SideResult } from './runner';
import type { Workload } from './workloads';
import { cell, type Metric, ratioText } from './table';
import { loadText } from './quiet';

export interface WorkloadPair {
  workload: Workload;
  /** the run with the median send TPS of each side (the only run when there was one) */
  java: SideResult;
  ours: SideResult;
  /** every run, alternating Java and ours (--runs), when there were several */
  runs?: { java: SideResult[]; ours: SideResult[] };
}

export interface RunMeta {
  date: string;
  mode: 'quick' | 'full';
  machine: string;
  node: string;
  java: string;
  commit: string;
  javaSettings: string;
  notes: string[];
}

export interface Report {
  meta: RunMeta;
  pairs: WorkloadPair[];
  startup: {
    java: number[];
    ours: number[];
    bootJava?: number[];
    bootOurs?: number[];
    /** the load average at the start of each start-up-only trial (loadText) */
    trialLoads?: { java: string[]; ours: string[] };
  };
}

type Better = Metric['better'];

interface Row {
  metric: string;
  java?: number;
  ours?: number;
  better: Better;
  digits: number;
}

export function median(xs: number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function fmt(v: number | undefined, digits: number): string {
  if (v === undefined || !Number.isFinite(v)) return '–';
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function ratio(java: number | undefined, ours: number | undefined): number | undefined {
  if (java === undefined || ours === undefined || !Number.isFinite(java) || !Number.isFinite(ours) || java === 0)
    return undefined;
  return ours / java;
}

function ratioCell(row: Row): string {
  const r = ratio(row.java, row.ours);
  if (r === undefined) return '–';
  const text = `${r.toFixed(2)}×`;
  if (row.better === 'info') return text;
  const good = row.better === 'higher' ? r >= 1 : r <= 1;
  return good ? `**${text}**` : text;
}

function rowsFor(pair: WorkloadPair): Row[] {
  const { java: j, ours: o, workload } = pair;
  const rows: Row[] = [];
  const add = (metric: string, f: (r: SideResult) => number | undefined, better: Better, digits: number): void => {
    const java = f(j);
    const ours = f(o);
    if (java !== undefined || ours !== undefined) rows.push({ metric, java, ours, better, digits });
  };
  const b = workload.backlog;
  if (b) {
    add('backlog written (BacklogFill, msgs)', (r) => r.backlog?.filled, 'info', 0);
    add(
      'fill TPS (8 thr, batches of 64)',
      (r) => (r.backlog ? r.backlog.filled / r.backlog.fillSeconds : undefined),
      'higher',
      0,
    );
    add('restart with backlog → first send, ms', (r) => r.backlog?.restartToFirstSendMs, 'lower', 0);
    add('send TPS before the read', (r) => r.backlog?.hot?.sendTps, 'higher', 0);
    add('send avg RT before the read, ms', (r) => r.backlog?.hot?.avgRtMs, 'lower', 3);
    add('send TPS while reading cold backlog', (r) => r.backlog?.cold?.sendTps, 'higher', 0);
    add('send avg RT while reading, ms', (r) => r.backlog?.cold?.avgRtMs, 'lower', 3);
    add(
      'avg RT while reading ÷ before',
      (r) => {
        const hot = r.backlog?.hot?.avgRtMs;
        const cold = r.backlog?.cold?.avgRtMs;
        return hot && cold ? cold / hot : undefined;
      },
      'lower',
      2,
    );
    add('consumer TPS (cold read from offset 0)', (r) => r.consumer?.consumerTps, 'higher', 0);
  } else {
    add('send TPS', (r) => r.producer?.sendTps, 'higher', 0);
    add('send avg RT, ms', (r) => r.producer?.avgRtMs, 'lower', 3);
    add('send max RT, ms (cumulative, tool)', (r) => r.producer?.maxRtMs, 'lower', 0);
    if (workload.consumer) add('consumer TPS', (r) => r.consumer?.consumerTps, 'higher', 0);
  }
  if ((j.producer?.sendFailed ?? 0) + (o.producer?.sendFailed ?? 0) > 0) {
    add('send failures (tool, cumulative)', (r) => r.producer?.sendFailed, 'lower', 0);
  }
  add('probe send RT p99, ms', (r) => r.probe?.sendRt.p99Ms, 'lower', 2);
  add('e2e latency p50, ms', (r) => r.probe?.e2e.p50Ms, 'lower', 2);
  add('e2e latency p99, ms', (r) => r.probe?.e2e.p99Ms, 'lower', 2);
  add('e2e latency p999, ms', (r) => r.probe?.e2e.p999Ms, 'lower', 2);
  add('broker RSS peak, MiB', (r) => r.rssPeakMiB, 'lower', 0);
  add('broker anon RSS peak, MiB', (r) => r.rssAnonPeakMiB, 'lower', 0);
  add(
    b || workload.consumer ? 'broker CPU s / 100k sent (incl. reads)' : 'broker CPU s / 100k msgs',
    (r) => r.producer?.cpuSecondsPer100k,
    'lower',
    2,
  );
  add('start-up → first accepted send, ms', (r) => r.startupMs, 'lower', 0);
  add('machine load avg (1 min) at start, 2 cores', (r) => r.loadAvgStart, 'info', 1);
  add("other processes' CPU over 1 s at start, cores", (r) => r.machine?.othersCores, 'info', 2);
  return rows;
}

/** Median and range over the runs of a workload run several times (the headline, --runs). */
function runRows(pair: WorkloadPair): string[] {
  const runs = pair.runs;
  const loads = (rs: SideResult[]): string => rs.map((r) => loadText(r.machine, r.loadAvgStart)).join(' / ');
  if (!runs || Math.max(runs.java.length, runs.ours.length) < 2)
    return [`| | load avg at start (lag: above 1.5) | ${loads([pair.java])} | ${loads([pair.ours])} | |`];
  const metric = (name: string, f: (r: SideResult) => number | undefined, digits: number, better: Better): string => {
    const j = runs.java.map(f).filter((v): v is number => v !== undefined);
    const o = runs.ours.map(f).filter((v): v is number => v !== undefined);
    const m: Metric = { name, java: j, ours: o, digits, better };
    return `| | ${name}, median of ${j.length} / ${o.length} (range) | ${cell(j, digits)} | ${cell(o, digits)} | ${ratioText(m)} |`;
  };
  return [
    metric('send TPS', (r) => r.producer?.sendTps, 0, 'higher'),
    metric('send avg RT, ms', (r) => r.producer?.avgRtMs, 3, 'lower'),
    metric('probe send RT p99, ms', (r) => r.probe?.sendRt.p99Ms, 2, 'lower'),
    metric('broker CPU s / 100k msgs', (r) => r.producer?.cpuSecondsPer100k, 2, 'lower'),
    `| | load avg at start of each run | ${loads(runs.java)} | ${loads(runs.ours)} | |`,
  ];
}

interface Target {
  goal: string;
  value?: number;
  met?: boolean;
}

function targets(report: Report): Target[] {
  const byId = (id: string): WorkloadPair | undefined => report.pairs.find((p) => p.workload.id === id);
  const main = byId('send-64t-1024b-async');
  const sync = byId('send-64t-1024b-sync');
  const out: Target[] = [];
  const check = (goal: string, value: number | undefined, ok: (v: number) => boolean): void => {
    out.push({ goal, value, met: value === undefined ? undefined : ok(value) });
  };
  const medianTps = (rs: SideResult[] | undefined, one: SideResult | undefined): number | undefined =>
    median((rs ?? (one ? [one] : [])).map((r) => r.producer?.sendTps).filter((v): v is number => v !== undefined));
  check(
    `send TPS, 64 thr 1 KiB async (median of ${main?.runs?.ours.length ?? 1} runs): ≥ 1.5×`,
    ratio(medianTps(main?.runs?.java, main?.java), medianTps(main?.runs?.ours, main?.ours)),
    (v) => v >= 1.5,
  );
  if (sync)
    check(
      'send TPS, 64 thr 1 KiB SYNC_FLUSH: ≥ 1.2×',
      ratio(sync.java.producer?.sendTps, sync.ours.producer?.sendTps),
      (v) => v >= 1.2,
    );
  check(
    'p99 send RT (probe), 64 thr 1 KiB async: ≤ 1×',
    ratio(main?.java.probe?.sendRt.p99Ms, main?.ours.probe?.sendRt.p99Ms),
    (v) => v <= 1,
  );
  check(
    'p99 e2e latency, 64 thr 1 KiB async: ≤ 1×',
    ratio(main?.java.probe?.e2e.p99Ms, main?.ours.probe?.e2e.p99Ms),
    (v) => v <= 1,
  );
  check(
    'broker RSS peak, 64 thr 1 KiB async: ≤ 0.1×',
    ratio(main?.java.rssPeakMiB, main?.ours.rssPeakMiB),
    (v) => v <= 0.1,
  );
  check(
    'start-up to first send (median): ≤ 0.2×',
    ratio(median(report.startup.java), median(report.startup.ours)),
    (v) => v <= 0.2,
  );
  return out;
}

export function renderMarkdown(report: Report): string {
  const { meta } = report;
  const out: string[] = [];
  out.push(`### Benchmark ${meta.date} (${meta.mode})`, '');
  out.push(`Machine: ${meta.machine}. ${meta.node}; ${meta.java}. Commit ${meta.commit}.`, '');
  out.push('| Target (ours ÷ Java, same run) | Ratio | Met |', '|---|---:|:---:|');
  for (const t of targets(report)) {
    out.push(
      `| ${t.goal} | ${t.value === undefined ? '–' : `${t.value.toFixed(2)}×`} ` +
        `| ${t.met === undefined ? '–' : t.met ? 'yes' : 'no'} |`,
    );
  }
  out.push('', '| Workload | Metric | Java 4.7.1 | Ours | Ours ÷ Java |', '|---|---|---:|---:|---:|');
  const startJ = median(report.startup.java);
  const startO = median(report.startup.ours);
  out.push(
    `| start-up | spawn → first accepted send, median ms (n = ${report.startup.java.length} / ${report.startup.ours.length}) ` +
      `| ${fmt(startJ, 0)} | ${fmt(startO, 0)} | ${ratioCell({ metric: '', java: startJ, ours: startO, better: 'lower', digits: 0 })} |`,
  );
  const bootJ = median(report.startup.bootJava ?? []);
  const bootO = median(report.startup.bootOurs ?? []);
  out.push(
    '|  | spawn → boot line (registered), median ms ' +
      `(n = ${report.startup.bootJava?.length ?? 0} / ${report.startup.bootOurs?.length ?? 0}) ` +
      `| ${fmt(bootJ, 0)} | ${fmt(bootO, 0)} | ${ratioCell({ metric: '', java: bootJ, ours: bootO, better: 'lower', digits: 0 })} |`,
  );
  const trialLoads = report.startup.trialLoads;
  if (trialLoads !== undefined && trialLoads.java.length + trialLoads.ours.length > 0)
    out.push(
      `|  | load avg at start of each start-up trial | ${trialLoads.java.join(' / ')} | ${trialLoads.ours.join(' / ')} | |`,
    );
  for (const pair of report.pairs) {
    const errors = [pair.java, pair.ours].filter((r) => r.error).map((r) => `${r.side}: ${r.error!.split('\n')[0]}`);
    const all = [...(pair.runs?.java ?? [pair.java]), ...(pair.runs?.ours ?? [pair.ours])];
    const noisy = all.some((r) => r.machine?.noisy) ? ' (NOISY: a run started with load avg > 1.5)' : '';
    rowsFor(pair).forEach((row, i) => {
      const name = i === 0 ? `**${pair.workload.title}**${noisy}` : '';
      out.push(
        `| ${name} | ${row.metric} | ${fmt(row.java, row.digits)} | ${fmt(row.ours, row.digits)} | ${ratioCell(row)} |`,
      );
    });
    out.push(...runRows(pair));
    if (errors.length > 0) out.push(`| | error | ${errors.join('; ').replace(/\|/g, '\\|')} | | |`);
  }
  out.push(
    '',
    'Bold ratio: ours is better. Ratios, not absolute figures, are what to compare: both sides ran ' +
      'on the same shared 2-core machine in the same run, one after the other, with the clients on the same cores.',
    '',
  );
  for (const note of meta.notes) out.push(`- ${note}`);
  out.push('', `Java servers: ${meta.javaSettings}`, '');
  return out.join('\n');
}

export function renderJson(report: Report): string {
  return JSON.stringify({ ...report, targets: targets(report) }, null, 2);
}
