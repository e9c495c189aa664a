// Both servers give the C heap's free pages back to the kernel every FREE_MEMORY_INTERVAL_MS
// (glibc's malloc_trim through the addon: native/mapped-file.c `trim`). The heap is the process's,
// so the timer is too: one however many servers run in the process (`npm start` runs two), kept
// while any of them holds it (holdMemoryTrim). glibc keeps what the threads
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

let holders = 0;
let trimTimer: NodeJS.Timeout | undefined;

/**
 * Keeps the process's trim timer running until the returned release is called (once per holder;
 * a second call does nothing). The first holder starts it, the last release stops it.
 */
export function holdMemoryTrim(): () => void {
  if (holders++ === 0) {
    trimTimer = setInterval(() => freeMemoryNow(), FREE_MEMORY_INTERVAL_MS);
    trimTimer.unref();
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--holders > 0) return;
    clearInterval(trimTimer);
    trimTimer = undefined;
  };
}

/** Servers holding the trim timer now (tests). */
export function memoryTrimHolders(): number {
  return holders;
}
