// Imported by the CLI entry points right after thread-pool-size, before the broker's modules: the
// store's lock check needs /proc/locks, whose first read in a process is slow (store-lock.ts), so it
// is read on the thread pool while the modules load. The entry point awaits this before the start.
import { prefetchLockTable } from '../store/store-lock';

export const lockTablePrefetch: Promise<void> = prefetchLockTable();
