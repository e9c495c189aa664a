// Daily rolling of the log files (logger.ts). The live file keeps Java's name (broker.log, ...),
// so `tail -f ~/logs/rocketmqlogs/broker.log` works as with Java; when the local date changes, the
// day's files move to `otherdays/<name>.<yyyy-MM-dd>.log` (the size-rolled older parts of the same
// day, <name>1.log, <name>2.log, ..., to `<name>.<yyyy-MM-dd>.<i>.log`; `_<n>` is added when a name is
// taken, as after a restart on the same day), and files in otherdays/
// older than ROCKETMQ_LOG_MAX_DAYS days (7) are deleted. The size roll (shiftParts) is here too. Java 4.7.1's logback rolls by size into
// otherdays/<name>.%i.log.gz; the folder is the same, the names carry the day.
import fs from 'node:fs';
import path from 'node:path';

export const OTHER_DAYS_DIR = 'otherdays';
const MAX_NAME_TRIES = 1000;
const DAY_MS = 24 * 3600 * 1000;

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** The local date of `atMs` as yyyy-MM-dd. */
export function dayKey(atMs: number): string {
  const date = new Date(atMs);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The day the live file was last written, or undefined when there is none. */
export function liveFileDay(dir: string, name: string): string | undefined {
  try {
    return dayKey(fs.statSync(path.join(dir, `${name}.log`)).mtimeMs);
  } catch {
    return undefined;
  }
}

/** A name in otherdays/ not taken yet (a restart can roll the same day twice). */
function freeName(otherDays: string, base: string): string {
  for (let attempt = 0; attempt < MAX_NAME_TRIES; attempt++) {
    const candidate = path.join(otherDays, attempt === 0 ? `${base}.log` : `${base}_${attempt}.log`);
    if (!fs.existsSync(candidate)) return candidate;
  }
  throw new Error(`no free log file name for ${base} in ${otherDays}`);
}

/** Moves `<name>.log` and its size-rolled parts `<name>N.log` to otherdays/ under `day`; returns the moves. */
export function moveToOtherDays(dir: string, name: string, day: string, maxFiles: number): string[] {
  const otherDays = path.join(dir, OTHER_DAYS_DIR);
  fs.mkdirSync(otherDays, { recursive: true });
  const moved: string[] = [];
  for (let part = 0; part < maxFiles; part++) {
    const from = path.join(dir, part === 0 ? `${name}.log` : `${name}${part}.log`);
    if (!fs.existsSync(from)) continue;
    const to = freeName(otherDays, part === 0 ? `${name}.${day}` : `${name}.${day}.${part}`);
    fs.renameSync(from, to);
    moved.push(to);
  }
  return moved;
}

/**
 * The size roll: `<name>.log` becomes `<name>1.log`, `<name>1.log` becomes `<name>2.log`, ..., and the
 * oldest part beyond `maxFiles` files in all is deleted. (winston's own maxsize roll stalls and loses
 * every line when a burst crosses the size, as at start-up when the waiting lines are handed over.)
 */
export function shiftParts(dir: string, name: string, maxFiles: number): void {
  const part = (index: number) => path.join(dir, index === 0 ? `${name}.log` : `${name}${index}.log`);
  fs.rmSync(part(maxFiles - 1), { force: true });
  for (let index = maxFiles - 2; index >= 0; index--) {
    if (fs.existsSync(part(index))) fs.renameSync(part(index), part(index + 1));
  }
}

/** Size of the live file, 0 when there is none. */
export function liveFileBytes(dir: string, name: string): number {
  try {
    return fs.statSync(path.join(dir, `${name}.log`)).size;
  } catch {
    return 0;
  }
}

/** Deletes files in otherdays/ last written more than `maxDays` days before `nowMs`. */
export function pruneOtherDays(dir: string, maxDays: number, nowMs: number): string[] {
  const otherDays = path.join(dir, OTHER_DAYS_DIR);
  let names: string[];
  try {
    names = fs.readdirSync(otherDays);
  } catch {
    return [];
  }
  const deleted: string[] = [];
  for (const name of names) {
    const file = path.join(otherDays, name);
    try {
      if (nowMs - fs.statSync(file).mtimeMs > maxDays * DAY_MS) {
        fs.unlinkSync(file);
        deleted.push(file);
      }
    } catch {
      // gone already, or not ours to delete
    }
  }
  return deleted;
}
