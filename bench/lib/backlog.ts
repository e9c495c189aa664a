// The seed's hundred-million backlog (issue 15 §3): `npm run bench -- --backlog N`. Per side: fill N
// messages of 128 B with the load generator (fill rate over the first 10M reported apart), then a
// clean restart over a cold page cache, a restart after SIGKILL, RSS at rest, disk use, and a reader
// from offset 0 on a cold cache while an open-loop sender measures its p99 beside the unloaded p99.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fillArgs, runLoadgen } from './loadgen-run';
import { sleep } from './proc';
import { checkQuiet, loadText, type MachineState } from './quiet';
import type { RunContext } from './runner';
import { readMemory } from './sampler';
import { dropStoreCache, type Side, SideServers, sideOptions } from './servers';
import { metricMaker, renderMetrics, TABLE_HEAD } from './table';
import { quantileOfSeconds } from '../loadgen/histogram';
import type { LoadgenResult } from '../loadgen/main';

const SIZE = 128;
const QUEUES = ['--queues', '16'];
const FIRST_FILL = 10_000_000;
const PROBE_RATE = 2000;
/** The probe's warm-up (its --warmup), and a margin for its process to start and connect. */
const PROBE_WARMUP_S = 2;
const PROBE_START_MS = 300;
const RESTART_TIMEOUT_MS = 900_000;

export interface BacklogOptions {
  count: number;
  /** Java's backlog when smaller (its fill takes longer); reported beside */
  javaCount: number;
  allowNoisy: boolean;
  readSeconds: number;
  sides: readonly Side[];
}

export interface BacklogSample {
  side: Side;
  count: number;
  machine: MachineState;
  fillSeconds?: number;
  fillTps?: number;
  /** messages/s over the first min(10M, count) */
  fillTpsFirst10M?: number;
  fillErrors?: number;
  diskBytes?: number;
  cleanRestartMs?: number;
  killRestartMs?: number;
  rssAtRestMiB?: number;
  unloadedP99Ms?: number;
  /** Send p99 over the probe's seconds while the backlog was being read (all of them if not read in the window). */
  coldReadP99Ms?: number;
  /** Send p99 over the whole read window (the reader catches up, then gets a trickle). */
  readWindowP99Ms?: number;
  /** The backlog's count over the seconds until the reader had read that many (else over the window). */
  consumeTps?: number;
  /** Seconds from the reader's start until it had read `count` messages; undefined if it had not. */
  coldReadSeconds?: number;
  error?: string;
}

/** Blocks allocated on disk (not the apparent size: both brokers' 1 GiB segments may be sparse at the end). */
function diskBytes(dir: string): number {
  return Number(execFileSync('du', ['-s', '-B1', dir], { encoding: 'utf8' }).split(/\s/)[0]);
}

/** Refuses a fill the disk cannot hold: about size + 200 B of log, queue and index per message, ×1.2. */
export function checkDisk(dir: string, count: number): void {
  const need = count * (SIZE + 200) * 1.2;
  const avail = Number(
    execFileSync('df', ['-B1', '--output=avail', dir], { encoding: 'utf8' }).trim().split('\n').pop(),
  );
  if (avail < need)
    throw new Error(
      `backlog of ${count} needs about ${(need / 2 ** 30).toFixed(1)} GiB in ${dir}; ${(avail / 2 ** 30).toFixed(1)} GiB free`,
    );
}

/**
 * When the reader had read `count` messages: the fractional second, interpolated within the tick
 * that passed it; undefined when it never did. The sender keeps writing to the same queues, so a
 * reader that is done still gets its trickle: the rate over the last tick with messages (how this
 * was computed before 2026-12-07) counted the whole window for a reader that caught up early.
 */
export function secondsToRead(ticks: readonly number[], count: number): number | undefined {
  let total = 0;
  for (let i = 0; i < ticks.length; i++) {
    if (total + ticks[i] >= count) return i + (count - total) / ticks[i];
    total += ticks[i];
  }
  return undefined;
}

function firstTps(r: LoadgenResult, first: number): number {
  let total = 0;
  for (let i = 0; i < r.ticks.length; i++) {
    total += r.ticks[i];
    if (total >= first) return total / (i + 1);
  }
  return total / Math.max(1, r.ticks.length);
}

async function fill(servers: SideServers, count: number, s: BacklogSample): Promise<void> {
  const started = performance.now();
  const run = await runLoadgen({
    broker: servers.brokerAddr,
    name: 'fill',
    logDir: servers.logDir,
    brokerPids: [],
    timeoutMs: 4 * 3600_000,
    args: [...fillArgs(SIZE, count), '--max-seconds', String(4 * 3600)],
    onTick: (line) => {
      const sec = Math.round((performance.now() - started) / 1000);
      if (sec % 30 === 0) console.log(`    ${s.side} fill ${sec} s: ${line}`);
    },
  });
  s.fillSeconds = (performance.now() - started) / 1000;
  s.fillTps = run.result.sent / run.result.seconds;
  s.fillTpsFirst10M = firstTps(run.result, Math.min(FIRST_FILL, count));
  s.fillErrors = run.result.sendErrors;
  console.log(
    `    ${s.side} filled ${run.result.sent} in ${s.fillSeconds.toFixed(0)} s (${s.fillTps.toFixed(0)}/s), errors ${s.fillErrors}`,
  );
}

async function restarts(servers: SideServers, s: BacklogSample): Promise<void> {
  await servers.stopBroker();
  dropStoreCache(servers.storeFiles());
  s.cleanRestartMs = await servers.startBroker(RESTART_TIMEOUT_MS);
  console.log(`    ${s.side} clean restart (cold cache) → first send ${s.cleanRestartMs.toFixed(0)} ms`);
  await servers.killBroker();
  s.killRestartMs = await servers.startBroker(RESTART_TIMEOUT_MS);
  console.log(`    ${s.side} restart after SIGKILL → first send ${s.killRestartMs.toFixed(0)} ms`);
  await sleep(10_000);
  s.rssAtRestMiB = (readMemory(servers.broker!.pid)?.rssKiB ?? NaN) / 1024;
}

async function coldRead(servers: SideServers, s: BacklogSample, o: BacklogOptions): Promise<void> {
  await servers.stopBroker();
  dropStoreCache(servers.storeFiles());
  await servers.startBroker(RESTART_TIMEOUT_MS);
  const probeArgs = [
    '--send-connections',
    '1',
    '--window',
    '16',
    '--size',
    String(SIZE),
    ...QUEUES,
    '--rate',
    String(PROBE_RATE),
    '--warmup',
    String(PROBE_WARMUP_S),
  ];
  const unloaded = await runLoadgen({
    broker: servers.brokerAddr,
    name: 'probe-unloaded',
    logDir: servers.logDir,
    brokerPids: [],
    timeoutMs: 120_000,
    args: [...probeArgs, '--seconds', '10'],
  });
  s.unloadedP99Ms = unloaded.result.latency.p99Ms;
  // the probe first: once its warm-up is over the reader starts, so the probe's measured seconds
  // line up with the reader's (the p99 is then taken over the seconds the read lasted)
  const probeRun = runLoadgen({
    broker: servers.brokerAddr,
    name: 'probe-cold',
    logDir: servers.logDir,
    brokerPids: [],
    timeoutMs: (o.readSeconds + 120) * 1000,
    args: [...probeArgs, '--seconds', String(o.readSeconds)],
  });
  await sleep(PROBE_WARMUP_S * 1000 + PROBE_START_MS);
  const [reader, probe] = await Promise.all([
    runLoadgen({
      broker: servers.brokerAddr,
      name: 'cold-reader',
      logDir: servers.logDir,
      brokerPids: [],
      timeoutMs: (o.readSeconds + 120) * 1000,
      args: [
        '--send-connections',
        '0',
        '--pull-connections',
        '2',
        '--pull-batch',
        '32',
        ...QUEUES,
        '--seconds',
        String(o.readSeconds),
        '--warmup',
        '0', // every message counts: the rate is the backlog over the time to read it
      ],
    }),
    probeRun,
  ]);
  // over the seconds it took to read the backlog (else, not done in the window, over the window)
  const ticks = reader.result.ticks;
  s.coldReadSeconds = secondsToRead(ticks, s.count);
  s.consumeTps =
    s.coldReadSeconds !== undefined ? s.count / s.coldReadSeconds : reader.result.pulled / Math.max(1, ticks.length);
  const readSeconds = Math.max(1, Math.ceil(s.coldReadSeconds ?? ticks.length));
  s.coldReadP99Ms = quantileOfSeconds(probe.result.sendLatencyBySecond.slice(0, readSeconds), 0.99);
  s.readWindowP99Ms = probe.result.latency.p99Ms;
  const took = s.coldReadSeconds !== undefined ? `in ${s.coldReadSeconds.toFixed(1)} s` : 'not done in the window';
  console.log(
    `    ${s.side} cold read from offset 0: ${s.consumeTps.toFixed(0)} msg/s (${took}); ` +
      `send p99 ${s.coldReadP99Ms} ms while it read, ${s.readWindowP99Ms} ms over the window ` +
      `(unloaded ${s.unloadedP99Ms} ms)`,
  );
}

export async function runBacklog(ctx: RunContext, o: BacklogOptions): Promise<BacklogSample[]> {
  const samples: BacklogSample[] = [];
  for (const side of o.sides) {
    const count = side === 'java' ? o.javaCount : o.count;
    console.log(`\n== backlog ${count} × ${SIZE} B, ${side}`);
    const s: BacklogSample = { side, count, machine: await checkQuiet(`backlog ${side}`, o.allowNoisy) };
    const workDir = path.join(ctx.workRoot, `backlog-${side}`);
    fs.mkdirSync(workDir, { recursive: true });
    const servers = new SideServers(
      sideOptions(ctx, side, workDir, {
        // a new reader starts wherever it asks (PULL with the subscription in the header); 90 keeps Java
        // serving a cold backlog from the log instead of suggesting a slave
        brokerConf: ['accessMessageInMemoryMaxRatio=90'],
        // --profile: one profile per broker process (fill, restarts, cold read), written at its stop
        cpuProfileDir: side === 'ours' ? ctx.cpuProfileDir : undefined,
      }),
    );
    try {
      checkDisk(ctx.workRoot, count);
      await servers.start();
      await fill(servers, count, s);
      s.diskBytes = diskBytes(servers.storeDir);
      await restarts(servers, s);
      await coldRead(servers, s, o);
    } catch (e) {
      s.error = e instanceof Error ? e.message : String(e);
      console.log(`    ${side} backlog FAILED: ${s.error}\n    logs: ${servers.logDir}`);
    } finally {
      await servers.stop();
      fs.rmSync(servers.storeDir, { recursive: true, force: true });
    }
    samples.push(s);
  }
  return samples;
}

export function renderBacklog(samples: BacklogSample[], o: BacklogOptions): string {
  const of = (side: Side, f: (s: BacklogSample) => number | undefined): number[] =>
    samples
      .filter((s) => s.side === side)
      .map(f)
      .filter((v): v is number => v !== undefined && Number.isFinite(v));
  const m = metricMaker(of);
  const rows = [
    m('messages filled', 'info', 0, (s) => s.count),
    m(
      `fill msgs/s over the first ${Math.min(FIRST_FILL, o.count).toLocaleString('en-US')}`,
      'higher',
      0,
      (s) => s.fillTpsFirst10M,
    ),
    m('fill msgs/s overall', 'higher', 0, (s) => s.fillTps),
    m('fill non-SUCCESS answers', 'lower', 0, (s) => s.fillErrors),
    m('disk use, bytes / message', 'lower', 1, (s) => (s.diskBytes ?? NaN) / s.count),
    m('disk use, GiB', 'lower', 2, (s) => (s.diskBytes ?? NaN) / 2 ** 30),
    m('clean restart (cold cache) → first send, ms', 'lower', 0, (s) => s.cleanRestartMs),
    m('restart after SIGKILL → first send, ms', 'lower', 0, (s) => s.killRestartMs),
    m('RSS at rest after restart, MiB', 'lower', 0, (s) => s.rssAtRestMiB),
    m('consume msgs/s from offset 0 (cold cache)', 'higher', 0, (s) => s.consumeTps, '≥ 1×'),
    m('… seconds to read the backlog', 'lower', 1, (s) => s.coldReadSeconds),
    m(`send p99 unloaded, ms (${PROBE_RATE}/s open loop)`, 'lower', 2, (s) => s.unloadedP99Ms),
    m('send p99 during the cold read, ms', 'lower', 2, (s) => s.coldReadP99Ms),
    m('… ÷ unloaded p99', 'lower', 2, (s) => (s.coldReadP99Ms ?? NaN) / (s.unloadedP99Ms ?? NaN), 'ours ≤ 1.5'),
    m('send p99 over the whole read window, ms', 'lower', 2, (s) => s.readWindowP99Ms),
  ];
  const out = [
    `#### Backlog: ${o.count.toLocaleString('en-US')} × ${SIZE} B (ours)` +
      `${o.javaCount !== o.count ? `, Java ${o.javaCount.toLocaleString('en-US')} (smaller: its fill takes longer)` : ''}`,
    '',
    ...TABLE_HEAD,
    ...renderMetrics('backlog', rows),
  ];
  out.push(`| | load avg at start | ${samples.map((s) => `${s.side} ${loadText(s.machine)}`).join(', ')} | | | |`);
  for (const s of samples.filter((x) => x.error))
    out.push(`| | error ${s.side} | ${s.error!.split('\n')[0].replace(/\|/g, '\\|')} | | | |`);
  out.push(
    '',
    `Fill: bench/loadgen, 4 connections × 16 in flight, ${SIZE} B, 16 queues of BenchmarkTest. ` +
      'Restarts: the store fsynced and dropped from the page cache (dd iflag=nocache) before the clean restart; ' +
      'timed spawn → first accepted send. Cold read: the cache dropped again, ' +
      `then 2 pull connections from offset 0 of the 16 queues for ${o.readSeconds} s ` +
      `while a ${PROBE_RATE}/s open-loop sender measures p99 (its unloaded p99 taken just before; ` +
      'during the cold read: over its seconds until the backlog was read, the reader started once the ' +
      "sender's warm-up was over; the window's p99 also counts the seconds after, when the reader has caught up); " +
      'the consume rate is the backlog over the seconds until the reader had read that many messages ' +
      '(the sender writes to the same queues, so a reader that caught up keeps getting a trickle). ' +
      'Retention: fileReservedTime is 72 h on both, so the cleaner deletes nothing in a run.',
    '',
  );
  return out.join('\n');
}
