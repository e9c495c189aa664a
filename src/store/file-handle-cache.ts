// A bound on open file descriptors. The Java store mmaps every file; we use positional reads and
// writes instead, and a store with many queues would otherwise keep thousands of descriptors open.
// Files register here when they open; past `maxOpen` the least recently used file that is not
// pinned (an fsync in flight) is closed and reopens on its next use.

export interface CachedHandle {
  /** Closes the descriptor; the owner reopens lazily. */
  closeHandle(): void;
  /** True while an asynchronous operation uses the descriptor. */
  isPinned(): boolean;
}

export class FileHandleCache {
  private readonly open = new Map<CachedHandle, true>();
  private mostRecent: CachedHandle | null = null;

  constructor(private readonly maxOpen: number = 1024) {}

  /** Marks `file` as just used; call on every open and access. */
  touch(file: CachedHandle): void {
    if (this.mostRecent === file) return;
    this.open.delete(file);
    this.open.set(file, true);
    this.mostRecent = file;
    if (this.open.size > this.maxOpen) this.evict();
  }

  /** Forgets a file that closed itself. */
  forget(file: CachedHandle): void {
    this.open.delete(file);
    if (this.mostRecent === file) this.mostRecent = null;
  }

  get openCount(): number {
    return this.open.size;
  }

  private evict(): void {
    for (const file of this.open.keys()) {
      if (this.open.size <= this.maxOpen) return;
      if (file === this.mostRecent || file.isPinned()) continue;
      this.open.delete(file);
      file.closeHandle();
    }
  }
}
