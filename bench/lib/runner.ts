// Runs one workload against one side: fresh NameServer + Broker, the official Producer (and
// Consumer), the latency probe; collects the report lines, the broker's RSS and CPU, and stops
// everything it started.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Child, sleep } from './proc';
import {
  type ConsumerLine,
  type ConsumerSummary,
  CONSUMER_LINE,
  parseConsumerLine,
  parseProducerLine,
  PRODUCER_LINE,
  type ProducerLine,
  type ProducerSummary,
  summarizeConsumer,
  summarizeProducer,
} from './parse';
import { dropStoreCache, type Side, SideServers, sideOptions } from './servers';
import { PROBE_RATE_PER_SECOND, PROBE_TOPIC, type Workload } from './workloads';
import type { JavaContext } from './java';
import type { MachineState } from './quiet';

export interface Percentiles {
  count: number;
  meanMs?: number;
  p50Ms?: number;
  p90Ms?: number;
  p99Ms?: number;
  p999Ms?: number;
  maxMs?: number;
  histogramMs: Record<string, number>;
}

export interface ProbeResult {
  rate: number;
  seconds: number;
  size: number;
  sent: number;
  sendFailed: number;
  received: number;
  sendRt: Percentiles;
  e2e: Percentiles;
}

export interface BacklogResult {
  filled: number;
  fillFailed: number;
  fillSeconds: number;
  pageCacheBeforeDropMiB: number;
  pageCacheAfterDropMiB: number;
  restartToFirstSendMs: number;
  /** Producer before the Consumer starts */
  hot?: ProducerSummary;
  /** Producer while the Consumer reads the backlog from its start */
  cold?: ProducerSummary;
}

export interface SideResult {
  side: Side;
  workload: string;
  startupMs?: number;
  /** spawn → the broker's boot line */
  bootLineMs?: number;
  producer?: ProducerSummary;
  consumer?: ConsumerSummary;
  probe?: ProbeResult;
  rssPeakMiB?: number;
  rssAnonPeakMiB?: number;
  backlog?: BacklogResult;
  producerLines: ProducerLine[];
  consumerLines: ConsumerLine[];
  wallSeconds: number;
  /** 1-minute load average of the machine when the side started and ended (2 cores) */
  loadAvgStart: number;
  loadAvgEnd?: number;
  logDir: string;
  error?: string;
  /** uptime and the busiest other processes when the side started (quiet-machine protocol) */
  machine?: MachineState;
}

export interface RunContext {
  java: JavaContext;
  /** a folder per side and workload is made under it */
  workRoot: string;
  cpuProfileDir?: string;
  /** snapshot of our dist/ (snapshotOurs) */
  oursDir: string;
}

export interface LoadPlan {
  threads: number;
  size: number;
  producerLines: number;
  /** the Consumer starts once the Producer printed this many lines (0: with it); none when undefined */
  consumerAtLine?: number;
  /** the probe starts once the Producer printed this many lines (0: 3 s after it) */
  probeAtLine: number;
  probeSeconds: number;
}

export interface LoadResult {
  producerLines: ProducerLine[];
  consumerLines: ConsumerLine[];
  probe?: ProbeResult;
}

const MiB = 1024 * 1024;
const RESTART_TIMEOUT_MS = 300_000;

export async function runLoad(servers: SideServers, plan: LoadPlan, probeOut: string): Promise<LoadResult> {
  const producerLines: ProducerLine[] = [];
  const consumerLines: ConsumerLine[] = [];
  let probe: Child | undefined;
  let consumer: Child | undefined;
  let probeResult: ProbeResult | undefined;
  const producer = servers.client('producer', 'org.apache.rocketmq.example.benchmark.Producer', [
    '-n',
    servers.nsAddr,
    '-t',
    'BenchmarkTest',
    '-w',
    String(plan.threads),
    '-s',
    String(plan.size),
  ]);
  producer.onLineMatching(PRODUCER_LINE, (m, atMs) => {
    const line = parseProducerLine(m, atMs);
    line.brokerCpuSeconds = servers.sampler?.cpuSeconds();
    producerLines.push(line);
    console.log(`    ${servers.opts.side} producer: ${m[0]}`);
  });
  const started = performance.now();
  const deadline = started + (plan.producerLines * 10 + 75) * 1000;
  try {
    while (performance.now() < deadline) {
      if (!producer.alive) throw new Error(`benchmark Producer exited\n${producer.lastLines()}`);
      const consumerDue = plan.consumerAtLine !== undefined && producerLines.length >= plan.consumerAtLine;
      const probeDue =
        plan.probeAtLine > 0 ? producerLines.length >= plan.probeAtLine : performance.now() - started >= 3000;
      if (consumerDue && !consumer) {
        consumer = servers.client('consumer', 'org.apache.rocketmq.example.benchmark.Consumer', [
          '-n',
          servers.nsAddr,
          '-t',
          'BenchmarkTest',
        ]);
        consumer.onLineMatching(CONSUMER_LINE, (m, atMs) => {
          consumerLines.push(parseConsumerLine(m, atMs));
          console.log(`    ${servers.opts.side} consumer: ${m[0]}`);
        });
      }
      if (probeDue && !probe) {
        probe = servers.client('latency-probe', 'org.rmqts.bench.LatencyProbe', [
          '--namesrv',
          servers.nsAddr,
          '--topic',
          PROBE_TOPIC,
          '--rate',
          String(PROBE_RATE_PER_SECOND),
          '--seconds',
          String(plan.probeSeconds),
          '--size',
          String(plan.size),
          '--out',
          probeOut,
        ]);
        probe.onLineMatching(/^PROBE_RESULT (.*)$/, (m) => {
          probeResult = JSON.parse(m[1]) as ProbeResult;
        });
      }
      const probeDone = probe !== undefined && (probeResult !== undefined || !probe.alive);
      if (producerLines.length >= plan.producerLines && probeDone) break;
      await sleep(200);
    }
    if (producerLines.length < plan.producerLines) {
      throw new Error(`benchmark Producer printed ${producerLines.length} of ${plan.producerLines} lines in time`);
    }
  } finally {
    await Promise.all([producer.stop(5_000), consumer?.stop(5_000), probe?.stop(5_000)]);
  }
  if (!probeResult) console.log(`    ${servers.opts.side} latency probe gave no result:\n${probe?.lastLines()}`);
  return { producerLines, consumerLines, probe: probeResult };
}

async function fillBacklog(servers: SideServers, workload: Workload, result: SideResult): Promise<BacklogResult> {
  const plan = workload.backlog!;
  const fill = servers.client('backlog-fill', 'org.rmqts.bench.BacklogFill', [
    '--namesrv',
    servers.nsAddr,
    '--topic',
    'BenchmarkTest',
    '--count',
    String(plan.count),
    '--threads',
    String(plan.fillThreads),
    '--batch',
    String(plan.fillBatch),
    '--size',
    String(workload.size),
    '--seconds',
    String(plan.fillSeconds),
  ]);
  fill.onLineMatching(/^FILL_PROGRESS (.*)$/, (m) => console.log(`    ${result.side} fill: ${m[1]}`));
  try {
    const done = await fill.waitForLine(/^FILL_DONE (.*)$/, (plan.fillSeconds + 60) * 1000);
    const stats = JSON.parse(done.match[1]) as { sent: number; failed: number; seconds: number };
    console.log(`    ${result.side} fill done: ${done.match[1]}`);
    await servers.stopBroker();
    const cache = dropStoreCache(servers.storeFiles());
    const restartMs = await servers.startBroker(RESTART_TIMEOUT_MS);
    console.log(
      `    ${result.side} restarted cold (page cache ${(cache.beforeBytes / MiB).toFixed(0)} → ` +
        `${(cache.afterBytes / MiB).toFixed(0)} MiB) in ${restartMs.toFixed(0)} ms`,
    );
    return {
      filled: stats.sent,
      fillFailed: stats.failed,
      fillSeconds: stats.seconds,
      pageCacheBeforeDropMiB: cache.beforeBytes / MiB,
      pageCacheAfterDropMiB: cache.afterBytes / MiB,
      restartToFirstSendMs: restartMs,
    };
  } finally {
    await fill.stop(5_000);
  }
}

export async function runSide(side: Side, workload: Workload, ctx: RunContext): Promise<SideResult> {
  const workDir = path.join(ctx.workRoot, `${workload.id}-${side}`);
  fs.mkdirSync(workDir, { recursive: true });
  const servers = new SideServers(
    sideOptions(ctx, side, workDir, {
      flushDiskType: workload.flush,
      brokerConf: workload.brokerConf,
      cpuProfileDir: side === 'ours' ? ctx.cpuProfileDir : undefined,
    }),
  );
  const result: SideResult = {
    side,
    workload: workload.id,
    producerLines: [],
    consumerLines: [],
    wallSeconds: 0,
    loadAvgStart: os.loadavg()[0],
    logDir: servers.logDir,
  };
  const t0 = performance.now();
  console.log(`  [${side}] ${workload.title}`);
  try {
    await servers.start();
    result.startupMs = servers.startupMs[0];
    result.bootLineMs = servers.bootLineMs[0];
    console.log(`    ${side} started; first accepted send ${result.startupMs.toFixed(0)} ms after spawn`);
    const backlog = workload.backlog;
    if (backlog) result.backlog = await fillBacklog(servers, workload, result);
    const lines = backlog ? backlog.hotLines + backlog.coldLines : workload.producerLines;
    const load = await runLoad(
      servers,
      {
        threads: workload.threads,
        size: workload.size,
        producerLines: lines,
        // the backlog's readers start together; otherwise the Consumer runs from the start and the
        // probe measures over the lines after the warm-up
        consumerAtLine: backlog ? backlog.hotLines : workload.consumer ? 0 : undefined,
        probeAtLine: backlog ? backlog.hotLines : Math.max(0, workload.warmupLines - 1),
        probeSeconds: backlog ? backlog.coldLines * 10 - 8 : (workload.producerLines - workload.warmupLines) * 10,
      },
      path.join(workDir, 'probe.json'),
    );
    result.producerLines = load.producerLines;
    result.consumerLines = load.consumerLines;
    result.probe = load.probe;
    // lines after the warm-up; in the backlog run only the Consumer's first line (its start) is dropped
    result.consumer = summarizeConsumer(load.consumerLines, backlog ? 1 : workload.warmupLines);
    if (backlog && result.backlog) {
      result.backlog.hot = summarizeProducer(load.producerLines, workload.warmupLines, backlog.hotLines);
      result.backlog.cold = summarizeProducer(load.producerLines, backlog.hotLines + 1, lines);
      result.producer = result.backlog.cold;
    } else {
      // the same lines on both sides, even when one printed more while the probe finished
      result.producer = summarizeProducer(load.producerLines, workload.warmupLines, lines);
    }
  } catch (e) {
    result.error = e instanceof Error ? e.message : String(e);
    console.log(`    ${side} FAILED: ${result.error}\n    logs: ${servers.logDir}`);
  } finally {
    await servers.stop();
    result.rssPeakMiB = (servers.sampler?.peakRssKiB ?? 0) / 1024 || undefined;
    result.rssAnonPeakMiB = (servers.sampler?.peakRssAnonKiB ?? 0) / 1024 || undefined;
    fs.rmSync(servers.storeDir, { recursive: true, force: true });
    result.wallSeconds = (performance.now() - t0) / 1000;
    result.loadAvgEnd = os.loadavg()[0];
  }
  return result;
}

export interface StartupTrial {
  startupMs: number;
  bootLineMs: number;
}

/** Start-up only: boot both servers, time the first accepted send, stop. */
export async function runStartupTrial(side: Side, trial: number, ctx: RunContext): Promise<StartupTrial | undefined> {
  const workDir = path.join(ctx.workRoot, `startup-${trial}-${side}`);
  fs.mkdirSync(workDir, { recursive: true });
  const servers = new SideServers(sideOptions(ctx, side, workDir));
  try {
    await servers.start();
    console.log(
      `  [${side}] start-up trial ${trial}: ${servers.startupMs[0].toFixed(0)} ms (boot line ${servers.bootLineMs[0].toFixed(0)} ms)`,
    );
    return { startupMs: servers.startupMs[0], bootLineMs: servers.bootLineMs[0] };
  } catch (e) {
    console.log(`  [${side}] start-up trial ${trial} FAILED: ${e instanceof Error ? e.message : e}`);
    return undefined;
  } finally {
    await servers.stop();
    fs.rmSync(servers.storeDir, { recursive: true, force: true });
  }
}
