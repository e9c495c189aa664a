// Master/slave pairs (issue 13 §8): a SYNC_MASTER + SLAVE of ours beside a SYNC_MASTER + SLAVE of
// Java 4.7.1, same machine, same run. The official benchmark Producer (64 threads, 1 KiB) gives send
// TPS, the latency probe p99 send RT; then each pair is restarted as ASYNC_MASTER + SLAVE and
// saturated by the load generator while the replication lag (master commitLogMaxOffset − slave
// commitLogMaxOffset, GET_BROKER_RUNTIME_INFO) is sampled every second. Memory: both brokers' peak RSS.
import fs from 'node:fs';
import path from 'node:path';
import { runtimeInfo } from './admin';
import { runLoadgen } from './loadgen-run';
import { summarizeProducer } from './parse';
import { sleep } from './proc';
import { checkQuiet, loadText, type MachineState } from './quiet';
import { type ProbeResult, type RunContext, runLoad } from './runner';
import { type Side, SideServers, sideOptions } from './servers';
import { metricMaker, renderMetrics, TABLE_HEAD } from './table';

export interface PairSample {
  side: Side;
  run: number;
  machine: MachineState;
  syncTps?: number;
  syncAvgRtMs?: number;
  probe?: ProbeResult;
  sendFailed?: number;
  pairRssPeakMiB?: number;
  asyncTps?: number;
  /** bytes, one per second under ASYNC_MASTER load */
  lagBytes: number[];
  /** ms from the end of the load until the slave had everything */
  catchUpMs?: number;
  error?: string;
}

export interface PairOptions {
  runs: number;
  allowNoisy: boolean;
  producerLines: number;
  asyncSeconds: number;
}

async function startPair(
  side: Side,
  role: 'SYNC_MASTER' | 'ASYNC_MASTER',
  dir: string,
  ctx: RunContext,
): Promise<[SideServers, SideServers]> {
  // one Java home for both brokers of the pair
  const java = { ...ctx.java, homeDir: path.join(dir, 'home') };
  const master = new SideServers(
    sideOptions(ctx, side, path.join(dir, 'master'), { java, timeStartup: false, brokerRole: role, brokerId: 0 }),
  );
  await master.start();
  const slave = new SideServers(
    sideOptions(ctx, side, path.join(dir, 'slave'), {
      java,
      timeStartup: false,
      brokerRole: 'SLAVE',
      brokerId: 1,
      nsPort: master.nsPort,
    }),
  );
  try {
    await slave.start();
  } catch (e) {
    await master.stop();
    throw e;
  }
  await sleep(3000); // the slave connects to the master's HA port after its first registration
  return [master, slave];
}

async function stopPair(pair: [SideServers, SideServers]): Promise<number> {
  const [master, slave] = pair;
  await slave.stop();
  await master.stop();
  const rss = ((master.sampler?.peakRssKiB ?? 0) + (slave.sampler?.peakRssKiB ?? 0)) / 1024;
  for (const s of pair) fs.rmSync(s.storeDir, { recursive: true, force: true });
  return rss;
}

async function lagOnce(master: SideServers, slave: SideServers): Promise<number | undefined> {
  try {
    // the slave first: the master's offset only grows, so the difference is never below the true lag
    const s = await runtimeInfo(slave.brokerAddr);
    const m = await runtimeInfo(master.brokerAddr);
    return Number(m.commitLogMaxOffset) - Number(s.commitLogMaxOffset);
  } catch {
    return undefined;
  }
}

async function syncPhase(sample: PairSample, dir: string, ctx: RunContext, o: PairOptions): Promise<void> {
  const pair = await startPair(sample.side, 'SYNC_MASTER', path.join(dir, 'sync'), ctx);
  let rss = 0;
  try {
    const load = await runLoad(
      pair[0],
      {
        threads: 64,
        size: 1024,
        producerLines: o.producerLines,
        probeAtLine: 1,
        probeSeconds: (o.producerLines - 2) * 10,
      },
      path.join(dir, 'probe.json'),
    );
    const summary = summarizeProducer(load.producerLines, 2, o.producerLines);
    sample.syncTps = summary?.sendTps;
    sample.syncAvgRtMs = summary?.avgRtMs;
    sample.sendFailed = summary?.sendFailed;
    sample.probe = load.probe;
  } finally {
    rss = await stopPair(pair);
    sample.pairRssPeakMiB = rss;
  }
}

async function asyncPhase(sample: PairSample, dir: string, ctx: RunContext, o: PairOptions): Promise<void> {
  const pair = await startPair(sample.side, 'ASYNC_MASTER', path.join(dir, 'async'), ctx);
  const [master, slave] = pair;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const lag = await lagOnce(master, slave);
      if (lag !== undefined && sampling) sample.lagBytes.push(lag);
      await sleep(1000);
    }
  })();
  try {
    const run = await runLoadgen({
      broker: master.brokerAddr,
      name: 'loadgen-async',
      logDir: master.logDir,
      brokerPids: [master.broker!.pid],
      timeoutMs: (o.asyncSeconds + 60) * 1000,
      args: [
        '--send-connections',
        '4',
        '--window',
        '16',
        '--size',
        '1024',
        '--queues',
        '16',
        '--seconds',
        String(o.asyncSeconds),
        '--warmup',
        '2',
      ],
    });
    sample.asyncTps = run.result.sendTps;
    sampling = false;
    await sampler;
    const ended = performance.now();
    while (performance.now() - ended < 30_000) {
      if ((await lagOnce(master, slave)) === 0) {
        sample.catchUpMs = performance.now() - ended;
        break;
      }
      await sleep(50);
    }
  } finally {
    sampling = false;
    await sampler;
    const rss = await stopPair(pair);
    sample.pairRssPeakMiB = Math.max(sample.pairRssPeakMiB ?? 0, rss);
  }
}

export async function runPairs(ctx: RunContext, o: PairOptions): Promise<PairSample[]> {
  const samples: PairSample[] = [];
  for (let run = 1; run <= o.runs; run++) {
    for (const side of (run % 2 === 1 ? ['java', 'ours'] : ['ours', 'java']) as Side[]) {
      console.log(`\n== master/slave pair, ${side}, run ${run}/${o.runs}`);
      const sample: PairSample = {
        side,
        run,
        machine: await checkQuiet(`pair ${side} run ${run}`, o.allowNoisy),
        lagBytes: [],
      };
      const dir = path.join(ctx.workRoot, `pair-${side}-${run}`);
      try {
        await syncPhase(sample, dir, ctx, o);
        console.log(
          `    ${side} SYNC_MASTER pair: ${sample.syncTps?.toFixed(0)} TPS, probe p99 ${sample.probe?.sendRt.p99Ms} ms`,
        );
        await asyncPhase(sample, dir, ctx, o);
        console.log(
          `    ${side} ASYNC_MASTER pair: ${sample.asyncTps?.toFixed(0)} TPS, lag ${sample.lagBytes.join(' ')} B`,
        );
      } catch (e) {
        sample.error = e instanceof Error ? e.message : String(e);
        console.log(`    ${side} pair FAILED: ${sample.error}`);
      }
      samples.push(sample);
    }
  }
  return samples;
}

function percentile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
}

export function renderPairs(samples: PairSample[], o: PairOptions): string {
  const of = (side: Side, f: (s: PairSample) => number | undefined): number[] =>
    samples
      .filter((s) => s.side === side && !s.error)
      .map(f)
      .filter((v): v is number => v !== undefined && Number.isFinite(v));
  const m = metricMaker(of);
  const KiB = 1024;
  const rows = [
    m('SYNC_MASTER send TPS (benchmark.Producer 64 thr 1 KiB)', 'higher', 0, (s) => s.syncTps, '≥ 1.2×'),
    m('SYNC_MASTER send avg RT, ms (tool)', 'lower', 3, (s) => s.syncAvgRtMs),
    m('SYNC_MASTER probe send RT p99, ms', 'lower', 2, (s) => s.probe?.sendRt.p99Ms, '≤ 1×'),
    m('send failures (tool, cumulative)', 'lower', 0, (s) => s.sendFailed),
    m('pair RSS peak (master + slave), MiB', 'lower', 0, (s) => s.pairRssPeakMiB, '≤ 0.1×'),
    m('ASYNC_MASTER send TPS (generator, 4 × 16 in flight)', 'higher', 0, (s) => s.asyncTps),
    m('replication lag p50, KiB (1/s samples)', 'lower', 0, (s) => percentile(s.lagBytes, 0.5) / KiB),
    m('replication lag max, KiB', 'lower', 0, (s) => (s.lagBytes.length ? Math.max(...s.lagBytes) / KiB : undefined)),
    m('slave caught up after the load, ms', 'lower', 0, (s) => s.catchUpMs),
  ];
  const out = [
    `#### Master/slave pairs (${o.runs} run(s) per side, alternating; SYNC: ${o.producerLines} Producer lines, first 2 warm-up; ` +
      `ASYNC: ${o.asyncSeconds} s of generator load)`,
    '',
    ...TABLE_HEAD,
    ...renderMetrics('SYNC_MASTER / ASYNC_MASTER + SLAVE', rows),
  ];
  out.push(
    `| | load avg at start | ${samples.map((s) => `${s.side[0].toUpperCase()}${s.run} ${loadText(s.machine)}`).join(', ')} | | | |`,
  );
  for (const s of samples.filter((x) => x.error))
    out.push(`| | error ${s.side} run ${s.run} | ${s.error!.split('\n')[0].replace(/\|/g, '\\|')} | | | |`);
  out.push(
    '',
    'Both pairs: brokerIP2=127.0.0.1, the slave (brokerId 1, brokerRole SLAVE) learns its master from the NameServer; ' +
      'ASYNC_FLUSH; fresh stores. Lag: master commitLogMaxOffset − slave commitLogMaxOffset from GET_BROKER_RUNTIME_INFO, sampled ' +
      "each second during the generator's load (the slave's max offset is what it has acknowledged).",
    '',
  );
  if (samples.some((s) => s.machine.noisy))
    out.push('**NOISY**: a run started with load average above 1.5 (--allow-noisy).', '');
  return out.join('\n');
}
