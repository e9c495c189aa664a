// The quiet-machine protocol (issue 15 §1): before every run the harness records `uptime` and the
// busiest other processes, and refuses a run that starts with the 1-minute load average above
// QUIET_LOAD_MAX unless --allow-noisy was given, in which case the run is marked noisy in the table.
import { execFileSync } from 'node:child_process';
import os from 'node:os';

export const QUIET_LOAD_MAX = 1.5;

export interface MachineState {
  atIso: string;
  uptime: string;
  loadAvg1: number;
  /** the busiest processes not started by this harness: "pid %cpu command" */
  topProcesses: string[];
  noisy: boolean;
}

/** Processes by recent CPU (ps pcpu is lifetime-averaged; top -b -n 2 would take seconds, so ps it is). */
function topProcesses(exclude: Set<number>, n: number): string[] {
  try {
    const out = execFileSync('ps', ['-eo', 'pid=,pcpu=,etimes=,comm=', '--sort=-pcpu'], { encoding: 'utf8' });
    return out.split('\n').map((l) => l.trim()).filter((l) => l.length > 0)
      .filter((l) => !exclude.has(Number(l.split(/\s+/)[0])))
      .slice(0, n)
      .map((l) => {
        const [pid, pcpu, etimes, ...comm] = l.split(/\s+/);
        return `${pid} ${pcpu}% ${comm.join(' ')} (up ${etimes} s)`;
      });
  } catch {
    return [];
  }
}

export function machineState(): MachineState {
  let uptime = '';
  try {
    uptime = execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    uptime = `load average ${os.loadavg().map((x) => x.toFixed(2)).join(', ')}`;
  }
  const loadAvg1 = os.loadavg()[0];
  return {
    atIso: new Date().toISOString(),
    uptime,
    loadAvg1,
    topProcesses: topProcesses(new Set([process.pid]), 5),
    noisy: loadAvg1 > QUIET_LOAD_MAX,
  };
}

/**
 * Records the machine before a run. A noisy start is refused (throws) unless allowNoisy, in which
 * case the state is returned with noisy = true for the table to mark.
 */
export function checkQuiet(label: string, allowNoisy: boolean): MachineState {
  const state = machineState();
  console.log(`  [${label}] ${state.uptime}`);
  for (const p of state.topProcesses.slice(0, 3)) console.log(`      top: ${p}`);
  if (state.noisy && !allowNoisy) {
    throw new Error(`machine not quiet before ${label}: load average ${state.loadAvg1.toFixed(2)} > ${QUIET_LOAD_MAX} `
      + '(wait, or pass --allow-noisy to run and mark the rows noisy)');
  }
  return state;
}


export function spread(xs: number[]): { median?: number; min?: number; max?: number; spreadPct?: number } {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return {};
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1], spreadPct: median ? ((s[s.length - 1] - s[0]) / median) * 100 : undefined };
}
