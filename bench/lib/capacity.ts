// Capacity per core (issue 15 §1): each broker pinned to one core (`taskset -c 1`), the lean load
// generator pinned to core 0 with the NameServer, the broker driven to saturation. Per workload and
// side: messages/s, the broker's CPU µs per message split into its main thread (tid == pid) and the
// others (and its busiest thread), and the generator's own CPU per message beside it. The scaling
// rows give the broker both cores (the generator still on core 0, so it shares that core).
import fs from 'node:fs';
import path from 'node:path';
import { fillArgs, runLoadgen, type LoadgenRun } from './loadgen-run';
import { checkQuiet, loadText, type MachineState } from './quiet';
import type { RunContext } from './runner';
import { type Side, SideServers, sideOptions } from './servers';
import { type Metric, metricMaker, renderMetrics, TABLE_HEAD } from './table';

export interface CapacityWorkload {
  id: string;
  title: string;
  /** loadgen arguments of the measured load */
  args: string[];
  /** messages written before the measured load (a backlog for the pulls) */
  fillCount?: number;
  /** taskset list for the broker (default '1') */
  brokerCpus?: string;
}

const QUEUES = ['--queues', '16'];

export function capacityWorkloads(): CapacityWorkload[] {
  return [
    {
      id: 'cap-send-1k',
      title: 'send 1 KiB, 1 core',
      args: ['--send-connections', '4', '--window', '16', '--size', '1024', ...QUEUES],
    },
    {
      id: 'cap-send-128',
      title: 'send 128 B, 1 core',
      args: ['--send-connections', '4', '--window', '16', '--size', '128', ...QUEUES],
    },
    {
      id: 'cap-pull-hot',
      title: 'pull hot backlog (200k × 1 KiB, 32 per pull), 1 core',
      fillCount: 200_000,
      args: ['--send-connections', '0', '--pull-connections', '2', '--pull-wrap', '--pull-batch', '32', ...QUEUES],
    },
    {
      id: 'cap-send-consume',
      title: 'send 1 KiB + consume (long polling), 1 core',
      args: ['--send-connections', '2', '--window', '32', '--size', '1024', '--pull-connections', '2', ...QUEUES],
    },
    {
      id: 'cap-pull-hot-2cores',
      title: 'pull hot backlog (200k × 1 KiB, 32 per pull), broker on 2 cores (generator shares core 0)',
      fillCount: 200_000,
      brokerCpus: '0,1',
      args: ['--send-connections', '0', '--pull-connections', '2', '--pull-wrap', '--pull-batch', '32', ...QUEUES],
    },
    {
      id: 'cap-send-1k-2cores',
      title: 'send 1 KiB, broker on 2 cores (generator shares core 0)',
      brokerCpus: '0,1',
      args: ['--send-connections', '4', '--window', '16', '--size', '1024', ...QUEUES],
    },
  ];
}

export interface CapacitySample {
  side: Side;
  workload: string;
  run: number;
  machine: MachineState;
  run_?: LoadgenRun;
  rssPeakMiB?: number;
  error?: string;
}

export interface CapacityOptions {
  runs: number;
  seconds: number;
  warmupSeconds: number;
  allowNoisy: boolean;
  only?: string[];
  /** the sides to run (both unless --sides says otherwise) */
  sides?: readonly Side[];
}

async function fill(servers: SideServers, count: number, logDir: string): Promise<void> {
  await runLoadgen({
    broker: servers.brokerAddr,
    name: 'fill',
    logDir,
    brokerPids: [],
    cpuList: '0',
    timeoutMs: 300_000,
    args: fillArgs(1024, count),
  });
}

async function runOne(
  side: Side,
  w: CapacityWorkload,
  run: number,
  ctx: RunContext,
  o: CapacityOptions,
): Promise<CapacitySample> {
  const machine = await checkQuiet(`${w.id} ${side} run ${run}`, o.allowNoisy);
  const workDir = path.join(ctx.workRoot, `${w.id}-${side}-${run}`);
  fs.mkdirSync(workDir, { recursive: true });
  const servers = new SideServers(
    sideOptions(ctx, side, workDir, {
      cpuList: w.brokerCpus ?? '1',
      nsCpuList: '0',
      timeStartup: false,
      cpuProfileDir: side === 'ours' ? ctx.cpuProfileDir : undefined,
    }),
  );
  const sample: CapacitySample = { side, workload: w.id, run, machine };
  try {
    await servers.start();
    if (w.fillCount) await fill(servers, w.fillCount, servers.logDir);
    sample.run_ = await runLoadgen({
      broker: servers.brokerAddr,
      name: 'loadgen',
      logDir: servers.logDir,
      brokerPids: [servers.broker!.pid],
      cpuList: '0',
      timeoutMs: (o.seconds + o.warmupSeconds + 60) * 1000,
      args: [...w.args, '--seconds', String(o.seconds), '--warmup', String(o.warmupSeconds)],
    });
    const r = sample.run_.result;
    const t = sample.run_.brokerThreads[0];
    const msgs = r.sent + r.pulled;
    console.log(
      `    ${side} ${w.id}: ${(msgs / r.seconds).toFixed(0)} msg/s, broker ${((t.totalSeconds * 1e6) / msgs).toFixed(1)} µs/msg ` +
        `(main ${((t.mainSeconds * 1e6) / msgs).toFixed(1)}), generator ${r.cpuUsPerMessage.toFixed(1)} µs/msg, errors ${r.sendErrors}`,
    );
  } catch (e) {
    sample.error = e instanceof Error ? e.message : String(e);
    console.log(`    ${side} ${w.id} FAILED: ${sample.error}\n    logs: ${servers.logDir}`);
  } finally {
    await servers.stop();
    sample.rssPeakMiB = (servers.sampler?.peakRssKiB ?? 0) / 1024 || undefined;
    fs.rmSync(servers.storeDir, { recursive: true, force: true });
  }
  return sample;
}

export async function runCapacity(ctx: RunContext, o: CapacityOptions): Promise<CapacitySample[]> {
  const workloads = capacityWorkloads().filter((w) => !o.only || o.only.includes(w.id));
  const samples: CapacitySample[] = [];
  for (let run = 1; run <= o.runs; run++) {
    for (const w of workloads) {
      console.log(`\n== capacity ${w.title}, run ${run}/${o.runs}`);
      // alternate which side goes first from run to run
      const order: Side[] = run % 2 === 1 ? ['java', 'ours'] : ['ours', 'java'];
      for (const side of order.filter((x) => o.sides?.includes(x) ?? true))
        samples.push(await runOne(side, w, run, ctx, o));
    }
  }
  return samples;
}

function metricsFor(samples: CapacitySample[], w: CapacityWorkload): Metric[] {
  const of = (side: Side, f: (s: LoadgenRun, msgs: number) => number): number[] =>
    samples
      .filter((s) => s.side === side && s.workload === w.id && s.run_ && !s.error)
      .map((s) => f(s.run_!, s.run_!.result.sent + s.run_!.result.pulled));
  const m = metricMaker(of);
  const us = (seconds: number, msgs: number): number => (seconds * 1e6) / msgs;
  const twoX = w.id === 'cap-send-1k' || w.id === 'cap-pull-hot' ? '≥ 2×' : undefined;
  return [
    m('messages/s at saturation', 'higher', 0, (s, n) => n / s.result.seconds, twoX),
    m('send p99, ms (generator)', 'lower', 2, (s) => s.result.latency.p99Ms),
    m('broker CPU µs / msg, all threads', 'lower', 1, (s, n) => us(s.brokerThreads[0].totalSeconds, n)),
    m(
      '… main thread (tid = pid)',
      'lower',
      1,
      (s, n) => us(s.brokerThreads[0].mainSeconds, n),
      w.id === 'cap-send-1k' ? 'ours ≤ 8 µs' : undefined,
    ),
    m('… other threads', 'lower', 1, (s, n) => us(s.brokerThreads[0].otherSeconds, n)),
    m('… busiest single thread', 'lower', 1, (s, n) => us(s.brokerThreads[0].busiestSeconds, n)),
    m('broker CPU use, cores', 'info', 2, (s) => s.brokerThreads[0].totalSeconds / s.result.seconds),
    m('generator CPU µs / msg', 'info', 1, (s) => s.result.cpuUsPerMessage),
    m('generator CPU use, cores (its share of core 0)', 'info', 2, (s) => s.result.cpuSeconds / s.result.seconds),
    m(
      'generator ÷ broker CPU per msg',
      'info',
      2,
      (s, n) => s.result.cpuUsPerMessage / us(s.brokerThreads[0].totalSeconds, n),
      '< 0.25',
    ),
    m('send errors (non-SUCCESS answers)', 'lower', 0, (s) => s.result.sendErrors),
  ];
}

export function renderCapacity(samples: CapacitySample[], o: CapacityOptions): string {
  const out: string[] = [
    `#### Capacity per core (broker \`taskset -c 1\`, generator and NameServer \`taskset -c 0\`; ${o.runs} run(s) each, ` +
      `${o.warmupSeconds} s warm-up + ${o.seconds} s measured)`,
    '',
    ...TABLE_HEAD,
  ];
  for (const w of capacityWorkloads()) {
    const ws = samples.filter((s) => s.workload === w.id);
    if (ws.length === 0) continue;
    out.push(...renderMetrics(w.title, metricsFor(samples, w)));
    const loads = ws.map((s) => `${s.side[0].toUpperCase()}${s.run} ${loadText(s.machine)}`).join(', ');
    out.push(`| | load avg at start (J/O + run) | ${loads} | | | |`);
    for (const s of ws.filter((x) => x.error))
      out.push(`| | error ${s.side} run ${s.run} | ${s.error!.split('\n')[0].replace(/\|/g, '\\|')} | | | |`);
  }
  if (samples.some((s) => s.machine.noisy)) {
    out.push(
      '',
      '**NOISY**: at least one run started with load average above 1.5 (--allow-noisy); these figures are not capacity.',
    );
  }
  out.push(
    '',
    'Generator: bench/loadgen (pipelined SEND_MESSAGE_V2 / PULL_MESSAGE with JSON headers as the 4.7.1 client writes them, ' +
      "4 send connections × 16 in flight (64 in all, as the Producer's 64 threads; far deeper windows only make Java shed requests " +
      'that waited over waitTimeMillsInSendQueue = 200 ms as SYSTEM_BUSY), 16 queues of BenchmarkTest; hot pulls: 2 connections, 4 pulls ' +
      'of 32 in flight per queue at successive offsets, wrapping at the end; ' +
      'send + consume: 2 × 32 sends in flight, one long-polling pull per queue). ' +
      "Broker CPU: utime+stime of every /proc/<pid>/task/*/stat between the generator's measure start and end. For Java the main " +
      'thread (tid = pid) is the idle launcher; its busiest thread is the figure that bounds it.',
    '',
  );
  return out.join('\n');
}
