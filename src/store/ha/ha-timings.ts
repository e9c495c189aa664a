// The HA intervals of MessageStoreConfig that master and slave connections run on, and how often
// their timers check them.

export interface HaTimings {
  /** A slave reports, a master sends an empty frame, after this many ms without writing. */
  haSendHeartbeatInterval: number;
  /** A connection with nothing read for this many ms is closed. */
  haHousekeepingInterval: number;
  /** Commit-log bytes per master -> slave frame. */
  haTransferBatchSize: number;
}

/** The checks run this often at most (Java's HA threads select for 1 s). */
const MAX_TICK_MS = 1000;

/** A quarter of the shortest interval, between 10 ms and 1 s. */
export function tickIntervalMs(timings: HaTimings): number {
  const shortest = Math.min(timings.haSendHeartbeatInterval, timings.haHousekeepingInterval);
  return Math.max(10, Math.min(MAX_TICK_MS, Math.floor(shortest / 4)));
}
