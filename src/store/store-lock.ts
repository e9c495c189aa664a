// One broker per store directory (Java DefaultMessageStore: `FileChannel.tryLock` on
// `<storePathRootDir>/lock`, "Lock failed,MQ already started").
//
// Node has no fcntl locks, so the guard is ours, in two parts:
//
//   1. `<root>/lock.owner` = "<pid> <process start time>\n", created with O_EXCL (atomic). If it
//      exists and names a live process (same pid and same start time, so a recycled pid does
//      not count), the store is in use. A stale file (its process is gone: a kill, a crash) is
//      taken over by renaming it away first, so two brokers racing for a stale file cannot both
//      win. The file is removed at shutdown.
//   2. A running Java broker is noticed too (Linux): its fcntl lock on `<root>/lock` shows in
//      /proc/locks, with the holder's pid.
//
// Not interoperable the other way: a Java broker started on a store we are running does not
// see our owner file (its tryLock succeeds). Do not start one on a store a Node broker uses.
import * as fs from 'node:fs';
import * as path from 'node:path';

export class StoreLockedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreLockedError';
  }
}

interface Owner {
  pid: number;
  startTime: string;
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot); '' when unknown. */
function processStartTime(pid: number): string {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

function isAlive(owner: Owner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const startTime = processStartTime(owner.pid);
  return startTime === '' || owner.startTime === '' || startTime === owner.startTime;
}

function parseOwner(text: string): Owner | null {
  const match = /^(\d+) (\d*)\n?$/.exec(text);
  return match === null ? null : { pid: Number(match[1]), startTime: match[2] };
}

function readIfPresent(filePath: string): string | null {
  try {
    return fs.readFileSync(filePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** gnu_dev_major / gnu_dev_minor of a stat `dev`, as /proc/locks prints them (hex). */
function deviceText(dev: bigint): string {
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
  return `${major.toString(16).padStart(2, '0')}:${minor.toString(16).padStart(2, '0')}`;
}

/** The pid of another live process holding a POSIX/flock lock on `filePath`, or null. */
export function findLockHolder(filePath: string, locksText?: string): number | null {
  let text = locksText;
  if (text === undefined) {
    try {
      text = fs.readFileSync('/proc/locks', 'utf8');
    } catch {
      return null;
    }
  }
  const stat = fs.statSync(filePath, { bigint: true });
  const wanted = `${deviceText(stat.dev)}:${stat.ino}`;
  for (const line of text.split('\n')) {
    // "1: POSIX  ADVISORY  WRITE 12345 fd:01:1234567 0 0"
    const fields = line.trim().split(/\s+/);
    const at = fields.findIndex((field) => /^[0-9a-f]+:[0-9a-f]+:\d+$/.test(field));
    if (at < 1 || fields[at] !== wanted) continue;
    const pid = Number(fields[at - 1]);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid) return pid;
  }
  return null;
}

export class StoreLock {
  private readonly lockPath: string;
  private readonly ownerPath: string;
  private ownerText: string | null = null;

  constructor(rootDir: string) {
    this.lockPath = path.join(rootDir, 'lock');
    this.ownerPath = path.join(rootDir, 'lock.owner');
  }

  get held(): boolean {
    return this.ownerText !== null;
  }

  /** Takes the store or throws StoreLockedError naming the process that has it. */
  acquire(): void {
    if (this.held) return;
    fs.mkdirSync(path.dirname(this.lockPath), { recursive: true });
    if (!fs.existsSync(this.lockPath) || fs.statSync(this.lockPath).size === 0) {
      fs.writeFileSync(this.lockPath, 'lock'); // what Java writes into it
    }
    const javaHolder = findLockHolder(this.lockPath);
    if (javaHolder !== null) {
      throw new StoreLockedError(
        `Lock failed, MQ already started: ${this.lockPath} is locked by process ${javaHolder}`,
      );
    }
    const text = `${process.pid} ${processStartTime(process.pid)}\n`;
    for (let attempt = 0; attempt < 3; attempt++) {
      if (this.tryCreate(text)) {
        this.ownerText = text;
        return;
      }
      const existing = readIfPresent(this.ownerPath);
      if (existing === null) continue;
      const owner = parseOwner(existing);
      if (owner !== null && isAlive(owner)) {
        throw new StoreLockedError(
          `Lock failed, MQ already started: ${path.dirname(this.lockPath)} is used by process ${owner.pid} (${this.ownerPath})`,
        );
      }
      this.removeStale(existing);
    }
    throw new StoreLockedError(`Lock failed: could not take ${this.ownerPath}`);
  }

  /** Gives the store up (only if the owner file is still ours). */
  release(): void {
    if (this.ownerText === null) return;
    if (readIfPresent(this.ownerPath) === this.ownerText) fs.rmSync(this.ownerPath, { force: true });
    this.ownerText = null;
  }

  private tryCreate(text: string): boolean {
    let fd: number;
    try {
      fd = fs.openSync(this.ownerPath, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
    try {
      fs.writeSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    return true;
  }

  /** Moves a stale owner file away; puts it back if a racing broker replaced it meanwhile. */
  private removeStale(staleText: string): void {
    const aside = `${this.ownerPath}.stale-${process.pid}`;
    try {
      fs.renameSync(this.ownerPath, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    if (readIfPresent(aside) !== staleText) {
      try {
        fs.linkSync(aside, this.ownerPath); // a live owner's fresh file: restore it
      } catch {
        // someone else created one meanwhile; theirs stands
      }
    }
    fs.rmSync(aside, { force: true });
  }
}
