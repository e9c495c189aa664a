// Runs the lean load generator (bench/loadgen) as its own process, optionally pinned with taskset,
// and reads the broker's per-thread CPU when the generator's measured window opens and closes.
import path from 'node:path';
import type { LoadgenResult } from '../loadgen/main';
import { Child } from './proc';
import { readThreads, splitThreads, type ThreadSplit } from './threads';

export interface LoadgenOptions {
  broker: string;
  args: string[];
  /** taskset -c for the generator (core 0 in the capacity runs) */
  cpuList?: string;
  logDir: string;
  name: string;
  /** the broker (or brokers) whose threads are read over the window */
  brokerPids: number[];
  timeoutMs: number;
  onTick?: (line: string) => void;
}

export interface LoadgenRun {
  result: LoadgenResult;
  /** per broker pid, CPU over the measured window */
  brokerThreads: ThreadSplit[];
}

/**
 * The generator's arguments for a fill: `count` messages of `size` bytes over 16 queues, from 4 send
 * connections with 16 sends in flight each, no timed window (--seconds 0 --warmup 0).
 */
export function fillArgs(size: number, count: number): string[] {
  return [
    '--send-connections',
    '4',
    '--window',
    '16',
    '--size',
    String(size),
    '--queues',
    '16',
    '--count',
    String(count),
    '--seconds',
    '0',
    '--warmup',
    '0',
  ];
}

const MAIN = path.resolve(__dirname, '..', 'loadgen', 'main.js');

export async function runLoadgen(o: LoadgenOptions): Promise<LoadgenRun> {
  // a larger young generation: the generator allocates per batch, and scavenges are most of its GC
  // e.g. LOADGEN_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile the generator
  const extraArgs = (process.env.LOADGEN_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');
  const command = [process.execPath, '--max-semi-space-size=32', ...extraArgs, MAIN, '--broker', o.broker, ...o.args];
  const child = new Child(o.name, o.cpuList ? ['taskset', '-c', o.cpuList, ...command] : command, {
    cwd: o.logDir,
    logFile: path.join(o.logDir, `${o.name}.out`),
  });
  try {
    if (o.onTick) child.onLineMatching(/^LOADGEN_TICK (.*)$/, (m) => o.onTick!(m[1]));
    await child.waitForLine(/^LOADGEN_MEASURE/, o.timeoutMs);
    const before = o.brokerPids.map((pid) => readThreads(pid));
    const done = await child.waitForLine(/^LOADGEN_RESULT (.*)$/, o.timeoutMs);
    const after = o.brokerPids.map((pid) => readThreads(pid));
    const result = JSON.parse(done.match[1]) as LoadgenResult;
    return { result, brokerThreads: o.brokerPids.map((pid, i) => splitThreads(pid, before[i], after[i])) };
  } finally {
    await child.stop(3_000);
  }
}
