// Read-only mappings of commit-log segments, for the reads the event loop makes itself (pulls of
// bytes past the hot tail that the page cache probably holds). Java reads its whole log through
// mappings; a read(2) here cost a system call and a copy into our memory before the copy into the
// answer (log-blocks.ts read 256 KiB blocks to share that cost). With a mapping the record is copied
// once, straight from the page cache.
//
// The mapping comes from a small N-API addon (native/mapped-file.c, built by scripts/build-native.mjs
// with the system compiler; no RocketMQ or third-party code). Without it, or with
// ROCKETMQ_MAPPED_READS=false, every read goes through pread as before. Cold reads (bytes on disk
// from before this process started, a backlog) stay on the thread pool: a page fault on a mapping
// would stop the event loop for the disk.
//
// Safety: a mapping covers at most the file's size when it was mapped (a page past a file's end
// raises SIGBUS), commit-log segments keep their full size for as long as they exist (created at
// full size; a truncation zeroes the tail and extends the file again in the same synchronous step),
// only the thread that mapped a segment reads it, and nothing but the StoreFile holds a view (reads
// copy out of it). Closing the file releases the mapping (detached: a stale view reads as empty and a
// copy from it throws; the pages are unmapped at the next turn), so a deleted segment's disk space
// is freed at once, not at some later collection.
import * as fs from 'node:fs';
import { type NativeAddon, nativeAddon } from '../common/native-addon';
import type { GatherCopy } from './gather-copy';

/** The addon's gather (gather-copy.ts), or null without the addon. */
export function nativeGather(): NativeAddon['gather'] | null {
  return mappedReadsAvailable() ? addon!.gather : null;
}

function loadAddon(): NativeAddon | null {
  return process.env.ROCKETMQ_MAPPED_READS === 'false' ? null : nativeAddon();
}

let addon: NativeAddon | null | undefined;

/** True when commit-log reads on the event loop go through mappings. */
export function mappedReadsAvailable(): boolean {
  addon ??= loadAddon();
  return addon !== null;
}

/** Bytes [0, lengthBytes) of `fd` as a read-only view of the page cache; undefined when not available. */
export function mapReadOnly(fd: number, lengthBytes: number): Buffer | undefined {
  if (!mappedReadsAvailable() || lengthBytes <= 0) return undefined;
  try {
    return Buffer.from(addon!.map(fd, lengthBytes));
  } catch {
    return undefined; // out of address space or a file that cannot be mapped: pread instead
  }
}

/** Releases a view `mapReadOnly` returned: detached now, unmapped once this turn is over. */
export function releaseMapping(view: Buffer): void {
  addon?.release(view.buffer as ArrayBuffer);
}

/**
 * A bound on how many files of one kind are mapped at once. Consume-queue files are many and
 * small (one per queue and 6 MB of units): past the bound they are read by pread, so a broker with
 * tens of thousands of queues stays far from the kernel's limit on mappings (vm.max_map_count,
 * 65,530 by default) that the commit log's segments also need.
 */
export class MappingBudget {
  mappedFiles = 0;

  constructor(readonly maxMappedFiles: number) {}
}

/**
 * One file's mapping as its readers use it (StoreFile on the main thread, a connection worker's
 * segment handle): mapped at the first use over the file's size then (at most `maxBytes`), copied
 * out of with a bounds check, released with the file.
 */
export class FileMapping {
  /** undefined: not mapped yet; null: no mapping (no addon, or the map failed). */
  private mapped: Buffer | null | undefined;

  constructor(
    private readonly descriptor: () => number,
    private readonly maxBytes: number,
    /** When given, the file is mapped only while the budget has room (else it is read by pread). */
    private readonly budget?: MappingBudget,
  ) {}

  /** The mapping, made at the first call; null without one. */
  view(): Buffer | null {
    if (this.mapped === undefined) {
      if (this.budget !== undefined && this.budget.mappedFiles >= this.budget.maxMappedFiles) {
        this.mapped = null; // until the file is closed: then the next use asks again
        return null;
      }
      const fd = this.descriptor();
      this.mapped = mapReadOnly(fd, Math.min(fs.fstatSync(fd).size, this.maxBytes)) ?? null;
      if (this.mapped !== null && this.budget !== undefined) this.budget.mappedFiles++;
    }
    return this.mapped;
  }

  /** Copies file bytes [filePosition, + lengthBytes) into `target`; false without a mapping that holds them. */
  copyTo(target: Buffer, targetStart: number, filePosition: number, lengthBytes: number): boolean {
    const view = this.viewHolding(filePosition, lengthBytes);
    if (view === null) return false;
    view.copy(target, targetStart, filePosition, filePosition + lengthBytes);
    return true;
  }

  /** As copyTo, through `gather` (gather-copy.ts): the bytes are in the target once it is flushed. */
  gatherTo(gather: GatherCopy, targetStart: number, filePosition: number, lengthBytes: number): boolean {
    const view = this.viewHolding(filePosition, lengthBytes);
    if (view === null) return false;
    gather.add(view, filePosition, targetStart, lengthBytes);
    return true;
  }

  /** The mapping when it holds file bytes [filePosition, + lengthBytes), else null. */
  private viewHolding(filePosition: number, lengthBytes: number): Buffer | null {
    const view = this.view();
    return view === null || filePosition + lengthBytes > view.length ? null : view;
  }

  /** Releases the mapping (see releaseMapping); the next use maps the file again. */
  release(): void {
    if (this.mapped) {
      releaseMapping(this.mapped);
      if (this.budget !== undefined) this.budget.mappedFiles--;
    }
    this.mapped = undefined;
  }
}
