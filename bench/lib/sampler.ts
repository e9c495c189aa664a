// Samples a process from /proc every 500 ms: VmRSS and RssAnon from /proc/<pid>/status (peaks kept)
// and CPU time utime+stime from /proc/<pid>/stat (read on demand too, for windows aligned to the
// benchmark's report lines).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

export interface MemorySample {
  rssKiB: number;
  rssAnonKiB: number;
}

export function readMemory(pid: number): MemorySample | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rssKiB: kib('VmRSS'), rssAnonKiB: kib('RssAnon') };
  } catch {
    return undefined;
  }
}

/** utime + stime of the whole process (all threads) in seconds, or undefined once it is gone. */
export function readCpuSeconds(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after the command name, which is in parentheses and may contain spaces
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return (utime + stime) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

export class ProcSampler {
  peakRssKiB = 0;
  peakRssAnonKiB = 0;
  samples = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    public pid: number,
    intervalMs = 500,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  /** Follows another process (a restarted broker); peaks carry over. */
  retarget(pid: number): void {
    this.sample();
    this.pid = pid;
    this.sample();
  }

  sample(): void {
    const m = readMemory(this.pid);
    if (!m) return;
    this.samples++;
    this.peakRssKiB = Math.max(this.peakRssKiB, m.rssKiB);
    this.peakRssAnonKiB = Math.max(this.peakRssAnonKiB, m.rssAnonKiB);
  }

  cpuSeconds(): number | undefined {
    return readCpuSeconds(this.pid);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
