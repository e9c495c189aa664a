// The load test (issue #14 §4): producers send at full speed to one topic, first alone (the
// unloaded baseline), then while `connections` clients heartbeat and `groups` consumer groups
// read every queue; reports send p50/p99/max and the longest stretch with no acknowledgement in
// both phases, the broker's RSS (a process of its own), and whether every acknowledged message of
// the loaded phase was consumed by every group. Everything on 127.0.0.1, bounded in time.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { RequestCode } from '../../src/codec/request-code';
import { ResponseCode } from '../../src/codec/response-code';
import { BROKER_NODE_FLAGS } from '../../src/cli/node-flags';
import { buildJava } from '../lib/java';
import { SideServers, sideOptions } from '../lib/servers';
import type { Connection } from '../../src/remoting/connection';
import type { LoadClientsData, LoadClientsReport } from './load-clients';
import { call, connect, LOAD_QUEUES, LOAD_TOPIC, sendHeader } from './load-peer';

export interface LoadOptions {
  connections: number;
  groups: number;
  /** the loaded phase */
  seconds: number;
  baselineSeconds: number;
  /**
   * The start of each phase left out of its p50, p99 and sends/s (at most a quarter of the phase; 0
   * by default, as the figures in the README were taken): the loaded phase begins right after 2,000
   * clients joined their groups and 50 consumers began to read, the unloaded one with a broker that
   * has not yet compiled its send path. Max and longest gap cover the whole phase.
   */
  settleSeconds: number;
  producers: number;
  /** sends in flight per producer connection */
  inflight: number;
  bodyBytes: number;
  /** sends per second in all, paced; 0 = full speed (each loop sends again as soon as answered) */
  rate: number;
  heartbeatIntervalMs: number;
  /** whose broker and NameServer serve the test: ours, or Java 4.7.1's (the same load, for comparison) */
  broker: 'ours' | 'java';
  suspendTimeoutMs: number;
  drainTimeoutMs: number;
  log: (line: string) => void;
}

export const DEFAULT_LOAD_OPTIONS: LoadOptions = {
  connections: 2000,
  groups: 50,
  seconds: 60,
  baselineSeconds: 20,
  settleSeconds: 0,
  producers: 4,
  inflight: 8,
  bodyBytes: 512,
  rate: 0,
  heartbeatIntervalMs: 30_000,
  broker: 'ours',
  suspendTimeoutMs: 15_000,
  drainTimeoutMs: 60_000,
  log: () => undefined,
};

export interface PhaseStats {
  seconds: number;
  /** the part of `seconds` at the start that p50, p99 and perSecond leave out */
  settleSeconds: number;
  sent: number;
  failed: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** the longest time in which no send was answered */
  longestGapMs: number;
  brokerPeakRssMb: number;
}

export interface LoadReport {
  options: Omit<LoadOptions, 'log'>;
  baseline: PhaseStats;
  loaded: PhaseStats;
  p99Ratio: number;
  clientsReadyMs: number;
  brokerRssMb: { start: number; end: number };
  acknowledgedInLoadedPhase: number;
  clients: LoadClientsReport;
}

const MAX_LATENCY_SAMPLES = 5_000_000;

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

function rssMb(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/** The servers under test: the broker's port and pid (for its RSS), and how to stop them. */
interface LoadServers {
  brokerPort: number;
  pid: number;
  stop: () => Promise<void>;
}

const COMMIT_LOG_SEGMENT_BYTES = 128 * 1024 * 1024;

function startServers(broker: LoadOptions['broker']): Promise<LoadServers> {
  return broker === 'java' ? startJavaServers() : startOurServers();
}

function startOurServers(): Promise<LoadServers> {
  const script = path.join(__dirname, 'load-servers.js');
  // e.g. LOAD_BROKER_CONF='{"pullTurnBudgetMs":1}': broker or store keys over the load test's defaults
  const overrides = {
    mappedFileSizeCommitLog: COMMIT_LOG_SEGMENT_BYTES,
    ...(JSON.parse(process.env.LOAD_BROKER_CONF ?? '{}') as Record<string, unknown>),
  };
  // e.g. LOAD_SERVERS_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile the broker under load
  const extraArgs = (process.env.LOAD_SERVERS_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');
  const child = spawn(process.execPath, [...BROKER_NODE_FLAGS, ...extraArgs, script, JSON.stringify(overrides)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error('load servers did not start in 30 s')), 30_000);
    child.once('exit', (code) => reject(new Error(`load servers exited with ${code}`)));
    let started = false;
    child.stdout!.on('data', (chunk: Buffer) => {
      // after the start, the servers' stdout (e.g. node --trace-gc) is shown with LOAD_SERVERS_STDOUT=1
      if (started) {
        if (process.env.LOAD_SERVERS_STDOUT === '1') process.stderr.write(chunk);
        return;
      }
      text += chunk.toString();
      const match = /LOAD-SERVERS (\{.*\})/.exec(text);
      if (match === null) return;
      started = true;
      clearTimeout(timer);
      const { brokerPort } = JSON.parse(match[1]) as { brokerPort: number };
      resolve({ brokerPort, pid: child.pid!, stop: () => stopServers(child) });
    });
  });
}

/** The Java 4.7.1 NameServer and broker of the bench (bench/java's classpath), on the bench's heaps. */
async function startJavaServers(): Promise<LoadServers> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rmq-load-java-'));
  const servers = new SideServers(
    sideOptions({ java: { classpath: buildJava() }, oursDir: '' }, 'java', workDir, {
      mappedFileSizeCommitLog: COMMIT_LOG_SEGMENT_BYTES,
      timeStartup: false,
    }),
  );
  await servers.start();
  return {
    brokerPort: servers.brokerPort,
    pid: servers.broker!.pid,
    stop: async () => {
      await servers.stop();
      fs.rmSync(workDir, { recursive: true, force: true });
    },
  };
}

async function stopServers(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Producers at full speed for `seconds`, each send timed; RSS of `pid` sampled meanwhile. */
async function producePhase(
  producers: Connection[],
  options: LoadOptions,
  seconds: number,
  pid: number,
): Promise<PhaseStats> {
  const latenciesMs: number[] = [];
  const body = Buffer.alloc(options.bodyBytes, 0x61);
  let sent = 0;
  let settledSent = 0;
  let failed = 0;
  let lastAnswerMs = Date.now();
  let longestGapMs = 0;
  let maxMs = 0;
  let nextQueue = 0;
  let peakRss = rssMb(pid);
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(pid))), 500);
  const startMs = Date.now();
  const endMs = startMs + seconds * 1000;
  const settleMs = Math.min(options.settleSeconds, seconds / 4) * 1000;
  let ticket = 0;
  const loop = async (connection: Connection) => {
    while (Date.now() < endMs) {
      if (options.rate > 0) {
        const dueMs = startMs + (ticket++ * 1000) / options.rate;
        if (dueMs >= endMs) break;
        if (dueMs > Date.now()) await new Promise((resolve) => setTimeout(resolve, dueMs - Date.now()));
      }
      const queueId = nextQueue++ % LOAD_QUEUES;
      const settled = Date.now() - startMs >= settleMs;
      const begin = process.hrtime.bigint();
      let ok = false;
      try {
        ok =
          (await call(connection, RequestCode.SEND_MESSAGE_V2, sendHeader(queueId), body)).code ===
          ResponseCode.SUCCESS;
      } catch {
        ok = false;
      }
      const latencyMs = Number(process.hrtime.bigint() - begin) / 1e6;
      const nowMs = Date.now();
      longestGapMs = Math.max(longestGapMs, nowMs - lastAnswerMs);
      lastAnswerMs = nowMs;
      if (!ok) failed++;
      else {
        sent++;
        maxMs = Math.max(maxMs, latencyMs);
        if (!settled) continue;
        settledSent++;
        if (latenciesMs.length < MAX_LATENCY_SAMPLES) latenciesMs.push(latencyMs);
      }
    }
  };
  await Promise.all(
    producers.flatMap((connection) => Array.from({ length: options.inflight }, () => loop(connection))),
  );
  clearInterval(sampler);
  const elapsedS = (Date.now() - startMs) / 1000;
  latenciesMs.sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    seconds: round(elapsedS),
    settleSeconds: round(settleMs / 1000),
    sent,
    failed,
    perSecond: Math.round(settledSent / (elapsedS - settleMs / 1000)),
    p50Ms: round(percentile(latenciesMs, 0.5)),
    p99Ms: round(percentile(latenciesMs, 0.99)),
    maxMs: round(maxMs),
    longestGapMs,
    brokerPeakRssMb: Math.round(peakRss),
  };
}

async function maxOffsets(connection: Connection): Promise<number[]> {
  const offsets: number[] = [];
  for (let queueId = 0; queueId < LOAD_QUEUES; queueId++) {
    const response = await call(connection, RequestCode.GET_MAX_OFFSET, {
      topic: LOAD_TOPIC,
      queueId: String(queueId),
    });
    offsets.push(Number(response.extFields?.offset ?? 0));
  }
  return offsets;
}

function startClients(data: LoadClientsData): Promise<{ worker: Worker; readyMs: number }> {
  const startMs = Date.now();
  const worker = new Worker(path.join(__dirname, 'load-clients.js'), { workerData: data });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (message: { type: string; message?: string }) => {
      if (message.type === 'ready') resolve({ worker, readyMs: Date.now() - startMs });
      if (message.type === 'error') reject(new Error(message.message));
    });
  });
}

function drainClients(worker: Worker, targets: number[], timeoutMs: number): Promise<LoadClientsReport> {
  return new Promise((resolve) => {
    worker.on('message', (message: { type: string; report?: LoadClientsReport }) => {
      if (message.type === 'report') resolve(message.report!);
    });
    worker.postMessage({ type: 'drain', targets, timeoutMs });
  });
}

export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const servers = await startServers(options.broker);
  const { brokerPort, pid } = servers;
  const producers: Connection[] = [];
  let worker: Worker | undefined;
  try {
    for (let i = 0; i < options.producers; i++) producers.push(await connect(brokerPort));
    for (let queueId = 0; queueId < LOAD_QUEUES; queueId++)
      await call(producers[0], RequestCode.SEND_MESSAGE_V2, sendHeader(queueId), Buffer.from('warm'));
    const startRss = rssMb(pid);
    options.log(
      `broker pid ${pid} on 127.0.0.1:${brokerPort}, RSS ${startRss.toFixed(0)} MB; baseline ${options.baselineSeconds} s`,
    );
    const baseline = await producePhase(producers, options, options.baselineSeconds, pid);
    options.log(`baseline: ${JSON.stringify(baseline)}`);
    const startOffsets = await maxOffsets(producers[0]);
    const clients = await startClients({
      brokerPort,
      connections: options.connections,
      groups: options.groups,
      heartbeatIntervalMs: options.heartbeatIntervalMs,
      suspendTimeoutMs: options.suspendTimeoutMs,
      startOffsets,
    });
    worker = clients.worker;
    options.log(
      `${options.connections} heartbeating connections and ${options.groups} consumer groups ` +
        `ready in ${clients.readyMs} ms; loaded ${options.seconds} s`,
    );
    const loaded = await producePhase(producers, options, options.seconds, pid);
    options.log(`loaded: ${JSON.stringify(loaded)}`);
    const targets = await maxOffsets(producers[0]);
    const clientsReport = await drainClients(worker, targets, options.drainTimeoutMs);
    const { log: _log, ...plainOptions } = options;
    return {
      options: plainOptions,
      baseline,
      loaded,
      p99Ratio: Math.round((loaded.p99Ms / baseline.p99Ms) * 100) / 100,
      clientsReadyMs: clients.readyMs,
      brokerRssMb: { start: Math.round(startRss), end: Math.round(rssMb(pid)) },
      acknowledgedInLoadedPhase: targets.reduce((sum, end, queueId) => sum + end - startOffsets[queueId], 0),
      clients: clientsReport,
    };
  } finally {
    for (const connection of producers) connection.close();
    await worker?.terminate();
    await servers.stop();
  }
}
