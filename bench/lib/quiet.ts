// The quiet-machine protocol (issue 15 §1): before every run the harness records `uptime` and the
// other processes' CPU over one second (/proc/*/stat deltas, the busiest five by name), and refuses a
// run that starts with the 1-minute load average above QUIET_LOAD_MAX unless --allow-noisy, in which
// case the run is marked noisy in the table. The harness's own previous run keeps the load average
// up for a minute after it stopped, so it first waits up to SETTLE_MAX_MS for the average to fall;
// if it is still above the bar while everything else used under OTHERS_QUIET_CORES over the last
// second, the machine is quiet and only the average lags: the run goes on and says so.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

export const QUIET_LOAD_MAX = 1.5;
const SETTLE_MAX_MS = 15_000;
const OTHERS_QUIET_CORES = 0.25;
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

export interface MachineState {
  atIso: string;
  uptime: string;
  loadAvg1: number;
  /** CPU of every other process over one second, in cores */
  othersCores: number;
  /** the busiest other processes over that second: "pid name cores" */
  topProcesses: string[];
  /** the load average was above the bar only because it lagged behind our own previous run */
  lagging: boolean;
  noisy: boolean;
}

function cpuTicksByPid(): Map<number, { name: string; ticks: number }> {
  const out = new Map<number, { name: string; ticks: number }>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(entry), { name, ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

async function othersOverOneSecond(): Promise<{ cores: number; top: string[] }> {
  const before = cpuTicksByPid();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, 1000));
  const after = cpuTicksByPid();
  const seconds = (performance.now() - t0) / 1000;
  const deltas: Array<[number, string, number]> = [];
  for (const [pid, a] of after) {
    if (pid === process.pid) continue;
    const d = (a.ticks - (before.get(pid)?.ticks ?? a.ticks)) / TICKS_PER_SECOND / seconds;
    if (d > 0) deltas.push([pid, a.name, d]);
  }
  deltas.sort((x, y) => y[2] - x[2]);
  return {
    cores: deltas.reduce((sum, d) => sum + d[2], 0),
    top: deltas.slice(0, 5).map(([pid, name, d]) => `${pid} ${name} ${d.toFixed(2)} cores`),
  };
}

function uptimeLine(): string {
  try {
    return execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    return `load average ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(', ')}`;
  }
}

/**
 * Records the machine before a run (see the top of this file). A noisy start is refused (throws)
 * unless allowNoisy; then the state comes back with noisy = true for the table to mark.
 */
export async function checkQuiet(label: string, allowNoisy: boolean): Promise<MachineState> {
  const deadline = Date.now() + SETTLE_MAX_MS;
  let others = await othersOverOneSecond();
  while (os.loadavg()[0] > QUIET_LOAD_MAX && others.cores < OTHERS_QUIET_CORES && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 4000));
    others = await othersOverOneSecond();
  }
  const loadAvg1 = os.loadavg()[0];
  const lagging = loadAvg1 > QUIET_LOAD_MAX && others.cores < OTHERS_QUIET_CORES;
  const state: MachineState = {
    atIso: new Date().toISOString(),
    uptime: uptimeLine(),
    loadAvg1,
    othersCores: others.cores,
    topProcesses: others.top,
    lagging,
    noisy: loadAvg1 > QUIET_LOAD_MAX && !lagging,
  };
  console.log(
    `  [${label}] ${state.uptime}; other processes ${others.cores.toFixed(2)} cores over 1 s` +
      `${lagging ? ' (load average lagging our previous run)' : ''}`,
  );
  for (const p of state.topProcesses.slice(0, 3)) console.log(`      top: ${p}`);
  if (state.noisy && !allowNoisy) {
    throw new Error(
      `machine not quiet before ${label}: load average ${loadAvg1.toFixed(2)} > ${QUIET_LOAD_MAX}, other processes ` +
        `${others.cores.toFixed(2)} cores (wait, or pass --allow-noisy to run and mark the rows NOISY)`,
    );
  }
  return state;
}

/** "1.23 (others 0.05)" for the tables; NOISY or lagging marked. */
export function loadText(m: MachineState | undefined, fallbackLoad?: number): string {
  if (!m) return fallbackLoad === undefined || !Number.isFinite(fallbackLoad) ? '–' : fallbackLoad.toFixed(2);
  return `${m.loadAvg1.toFixed(2)} (others ${m.othersCores.toFixed(2)})${m.noisy ? ' NOISY' : m.lagging ? ' lag' : ''}`;
}

export function spread(xs: number[]): { median?: number; min?: number; max?: number; spreadPct?: number } {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return {};
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return {
    median,
    min: s[0],
    max: s[s.length - 1],
    spreadPct: median ? ((s[s.length - 1] - s[0]) / median) * 100 : undefined,
  };
}
