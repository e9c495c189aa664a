// Per-thread CPU of a process from /proc/<pid>/task/*/stat, read before and after a measured window:
// the main thread (tid == pid: Node's event loop; for Java the launcher thread, idle) and the others,
// plus the busiest single thread (for Java, where the work is spread over named threads).
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

export interface ThreadTimes {
  /** tid → [name, cpu seconds] */
  byTid: Map<number, { name: string; cpuSeconds: number }>;
}

export function readThreads(pid: number): ThreadTimes {
  const byTid = new Map<number, { name: string; cpuSeconds: number }>();
  let tids: string[] = [];
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return { byTid };
  }
  for (const tid of tids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      byTid.set(Number(tid), { name, cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND });
    } catch {
      // thread ended meanwhile
    }
  }
  return { byTid };
}

export interface ThreadSplit {
  totalSeconds: number;
  mainSeconds: number;
  otherSeconds: number;
  busiestName: string;
  busiestSeconds: number;
}

/** CPU spent between two readings, split into main thread (tid == pid) and the rest. */
export function splitThreads(pid: number, before: ThreadTimes, after: ThreadTimes): ThreadSplit {
  let total = 0;
  let main = 0;
  let busiestName = '';
  let busiestSeconds = 0;
  for (const [tid, t] of after.byTid) {
    const delta = t.cpuSeconds - (before.byTid.get(tid)?.cpuSeconds ?? 0);
    total += delta;
    if (tid === pid) main += delta;
    if (delta > busiestSeconds) {
      busiestSeconds = delta;
      busiestName = `${t.name}${tid === pid ? ' (main)' : ''}`;
    }
  }
  return { totalSeconds: total, mainSeconds: main, otherSeconds: total - main, busiestName, busiestSeconds };
}
