// Both servers give the C heap's free pages back to the kernel every FREE_MEMORY_INTERVAL_MS
// (glibc's malloc_trim through the addon: native/mapped-file.c `trim`). glibc keeps what the threads
// freed for reuse, in one arena per thread that allocated (the main thread, the connection workers,
// the thread pool); after a burst (large frames, a fuzz run, a backlog read) the process's RSS would
// otherwise stay near its peak. V8's own heap is not concerned: it returns its pages itself.
//
// A trim walks the arenas' free lists and advises the kernel of the free pages; it takes well under
// a millisecond when there is nothing to give back. Without the addon (no compiler at build time)
// nothing is done.
import { performance } from 'node:perf_hooks';
import { nativeAddon } from './native-addon';

export const FREE_MEMORY_INTERVAL_MS = 30_000;

export interface FreeMemoryResult {
  /** true when the kernel got pages back */
  released: boolean;
  elapsedMs: number;
}

/** Trims the C heap now; null without the addon. */
export function freeMemoryNow(): FreeMemoryResult | null {
  const addon = nativeAddon();
  if (addon === null) return null;
  const startMs = performance.now();
  const released = addon.trim();
  return { released, elapsedMs: performance.now() - startMs };
}
