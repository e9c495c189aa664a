// A test-only file layer that simulates a power loss under one folder (a store's root).
//
// While armed it wraps the `fs` module's sync calls (fdatasync, fsync, their Sync forms) and its
// asynchronous writes. The store reaches `fs` through a live binding (`import * as fs`), so nothing
// in src/ changes and production pays nothing: the wrappers exist only inside a test that arms.
//
// The model (what a disk with a volatile write cache promises):
// - a file's content (bytes and length) is durable as it was when an fdatasync/fsync on it was
//   called, once that call succeeds;
// - a file present when the layer is armed counts as durable as it is then (the test arms after
//   the store has started and its start-up writes are done);
// - a file created later and never synced does not survive; a deleted file stays deleted.
// `cutPower()` freezes that record (syncs completing afterwards do not count), `quiesce()` waits
// for writes still in flight, and `restore()` puts every file under the root back to its durable
// content, deleting those that never were.
import assert from 'node:assert';
// The module object itself (not an import-star copy): the wrappers go onto it.
import fs = require('node:fs');
import * as path from 'node:path';

type Callback = (error: NodeJS.ErrnoException | null) => void;
type WriteCallback = (error: NodeJS.ErrnoException | null, written: number, buffer: unknown) => void;

export interface RestoreReport {
  filesRestored: number;
  filesDeleted: number;
  /** Bytes written but never synced: the sum over files of what differed from the durable copy. */
  bytesDiscarded: number;
}

interface Patched {
  fdatasync: typeof fs.fdatasync;
  fsync: typeof fs.fsync;
  fdatasyncSync: typeof fs.fdatasyncSync;
  fsyncSync: typeof fs.fsyncSync;
  write: typeof fs.write;
  rmSync: typeof fs.rmSync;
}

/** At most this many bytes under the root: the layer keeps a copy of each file in memory. */
const MAX_TRACKED_BYTES = 256 * 1024 * 1024;
const QUIESCE_LIMIT_MS = 10000;

export class PowerLossFs {
  private readonly durable = new Map<string, Buffer>();
  /** Per file, the sequence number of the sync whose snapshot `durable` holds. */
  private readonly appliedSequence = new Map<string, number>();
  private sequence = 0;
  private original: Patched | null = null;
  private inFlight = 0;
  private lastOperationMs = 0;
  private powerCut = false;
  /** Syncs recorded as durable (for the report). */
  syncCount = 0;

  constructor(readonly rootDir: string) {}

  /** Records every file under the root as durable and starts watching syncs. */
  arm(): void {
    assert.ok(this.original === null, 'already armed');
    this.durable.clear();
    let total = 0;
    for (const file of listFiles(this.rootDir)) {
      const content = fs.readFileSync(file);
      total += content.length;
      assert.ok(total <= MAX_TRACKED_BYTES, `more than ${MAX_TRACKED_BYTES} bytes under ${this.rootDir}`);
      this.durable.set(file, content);
    }
    this.powerCut = false;
    this.install();
  }

  get isCut(): boolean {
    return this.powerCut;
  }

  /** The power goes: from now on nothing becomes durable. */
  cutPower(): void {
    assert.ok(this.original !== null, 'not armed');
    this.powerCut = true;
  }

  /** Waits until no write or sync under the root is in flight and none started for `idleMs`. */
  async quiesce(idleMs = 100): Promise<void> {
    const deadline = Date.now() + QUIESCE_LIMIT_MS;
    while (this.inFlight > 0 || Date.now() - this.lastOperationMs < idleMs) {
      assert.ok(Date.now() < deadline, `file operations still in flight after ${QUIESCE_LIMIT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Puts every file back to its durable content (after `cutPower` and `quiesce`); disarms. */
  restore(): RestoreReport {
    assert.ok(this.powerCut && this.inFlight === 0, 'restore needs cutPower() and quiesce() first');
    this.uninstall();
    const report: RestoreReport = { filesRestored: 0, filesDeleted: 0, bytesDiscarded: 0 };
    for (const file of listFiles(this.rootDir)) {
      const content = this.durable.get(file);
      const current = fs.readFileSync(file);
      if (content === undefined) {
        fs.rmSync(file, { force: true });
        report.filesDeleted++;
        report.bytesDiscarded += current.length;
      } else if (!content.equals(current)) {
        fs.writeFileSync(file, content); // truncates: the length comes back too
        report.filesRestored++;
        report.bytesDiscarded += differingBytes(content, current);
      }
    }
    return report;
  }

  /** Stops watching without restoring anything (a test's cleanup). */
  disarm(): void {
    if (this.original !== null) this.uninstall();
  }

  private pathOf(fd: number): string | null {
    let target: string;
    try {
      target = fs.readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      return null;
    }
    if (target.endsWith(' (deleted)')) return null;
    return isUnder(this.rootDir, target) ? target : null;
  }

  /** Called when a sync starts: the content it makes durable (null if the file is not ours). */
  private snapshot(fd: number): { file: string; content: Buffer; sequence: number } | null {
    const file = this.pathOf(fd);
    if (file === null) return null;
    this.lastOperationMs = Date.now();
    return { file, content: fs.readFileSync(file), sequence: ++this.sequence };
  }

  /** Called when that sync succeeded. */
  private commit(taken: { file: string; content: Buffer; sequence: number } | null): void {
    if (taken === null || this.powerCut) return;
    if ((this.appliedSequence.get(taken.file) ?? 0) > taken.sequence) return;
    this.appliedSequence.set(taken.file, taken.sequence);
    this.durable.set(taken.file, taken.content);
    this.syncCount++;
  }

  private install(): void {
    const original: Patched = {
      fdatasync: fs.fdatasync,
      fsync: fs.fsync,
      fdatasyncSync: fs.fdatasyncSync,
      fsyncSync: fs.fsyncSync,
      write: fs.write,
      rmSync: fs.rmSync,
    };
    this.original = original;
    const wrapAsyncSync =
      (call: (fd: number, cb: Callback) => void) =>
      (fd: number, callback: Callback): void => {
        const taken = this.snapshot(fd);
        this.inFlight++;
        call(fd, (error) => {
          this.inFlight--;
          if (error === null) this.commit(taken);
          callback(error);
        });
      };
    const wrapSync =
      (call: (fd: number) => void) =>
      (fd: number): void => {
        const taken = this.snapshot(fd);
        call(fd);
        this.commit(taken);
      };
    const target = fs as unknown as Record<keyof Patched, unknown>;
    target.fdatasync = wrapAsyncSync(original.fdatasync);
    target.fsync = wrapAsyncSync(original.fsync);
    target.fdatasyncSync = wrapSync(original.fdatasyncSync);
    target.fsyncSync = wrapSync(original.fsyncSync);
    target.write = (...args: unknown[]): void => {
      const callback = args.pop() as WriteCallback;
      this.inFlight++;
      this.lastOperationMs = Date.now();
      (original.write as unknown as (...a: unknown[]) => void)(
        ...args,
        (e: NodeJS.ErrnoException | null, n: number, b: unknown) => {
          this.inFlight--;
          callback(e, n, b);
        },
      );
    };
    target.rmSync = (file: fs.PathLike, options?: fs.RmOptions): void => {
      original.rmSync(file, options);
      const absolute = path.resolve(String(file));
      if (this.powerCut) return;
      for (const kept of [...this.durable.keys()])
        if (kept === absolute || kept.startsWith(absolute + path.sep)) this.durable.delete(kept);
    };
  }

  private uninstall(): void {
    assert.ok(this.original !== null);
    Object.assign(fs as unknown as Record<string, unknown>, this.original);
    this.original = null;
  }
}

function isUnder(rootDir: string, file: string): boolean {
  const relative = path.relative(fs.realpathSync(rootDir), file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** Every regular file under `dir` (absolute, symlinks resolved), depth-first. */
export function listFiles(dir: string): string[] {
  const root = fs.realpathSync(dir);
  const found: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) found.push(full);
    }
  };
  walk(root);
  return found;
}

function differingBytes(a: Buffer, b: Buffer): number {
  let count = Math.abs(a.length - b.length);
  const common = Math.min(a.length, b.length);
  for (let i = 0; i < common; i++) if (a[i] !== b[i]) count++;
  return count;
}
