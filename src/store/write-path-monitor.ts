// Java's "broker busy" flow control (DefaultMessageStore.isOSPageCacheBusy). While it is true the
// send processor's rejectRequest() makes the server answer sends SYSTEM_BUSY "[REJECTREQUEST]…"
// unprocessed; a put that reaches the store anyway gets OS_PAGECACHE_BUSY → SYSTEM_ERROR
// "[PC_SYNCHRONIZED]broker busy, …".
// Java measures how long the put holding the commit-log lock has been running. We have no lock;
// the write path counts as busy:
//
//   - while the oldest SYNC_FLUSH put has waited for the disk longer than
//     osPageCacheBusyTimeOutMills (1000 ms): the disk does not keep up with group commits;
//   - while more than osPageCacheBusyUnflushedBytes (512 MiB) are written but not flushed:
//     the page cache fills faster than it drains;
//   - for osPageCacheBusyTimeOutMills after one commit-log write blocked the event loop that
//     long (the kernel throttled the writer).
//
// Refused puts take no offset and no memory, so a slow disk cannot make the broker queue
// unbounded work. The 4.7.1 client retries SYSTEM_ERROR on another broker but hands SYSTEM_BUSY
// to the application (see send-message-processor.ts).
import type { MessageStoreConfig } from './message-store-config';

/** Java osPageCacheBusyTimeOutMills default. */
const DEFAULT_BUSY_TIMEOUT_MS = 1000;
const DEFAULT_BUSY_UNFLUSHED_BYTES = 512 * 1024 * 1024;

export class WritePathMonitor {
  private readonly busyTimeoutMs: number;
  private readonly busyUnflushedBytes: number;
  /** Until then the write path counts as busy (a write blocked too long). */
  private slowWriteUntilMs = 0;

  constructor(
    config: MessageStoreConfig,
    private readonly log: (message: string) => void,
  ) {
    this.busyTimeoutMs = config.osPageCacheBusyTimeOutMills ?? DEFAULT_BUSY_TIMEOUT_MS;
    this.busyUnflushedBytes = config.osPageCacheBusyUnflushedBytes ?? DEFAULT_BUSY_UNFLUSHED_BYTES;
  }

  /** Runs one commit-log write and notes it when it blocked too long. */
  timed(write: () => void): void {
    const startedAtMs = Date.now();
    write();
    this.note(startedAtMs, Date.now());
  }

  /** One commit-log write (on the thread pool or not) took from `startedAtMs` to `endedAtMs`. */
  note(startedAtMs: number, endedAtMs: number): void {
    if (endedAtMs - startedAtMs > this.busyTimeoutMs) {
      this.slowWriteUntilMs = endedAtMs + this.busyTimeoutMs;
      this.log(`commit log write took ${endedAtMs - startedAtMs} ms: flow control for a while`);
    }
  }

  isBusy(nowMs: number, oldestFlushWaitMs: number, unflushedBytes: number): boolean {
    return (
      nowMs < this.slowWriteUntilMs ||
      oldestFlushWaitMs > this.busyTimeoutMs ||
      unflushedBytes > this.busyUnflushedBytes
    );
  }
}
