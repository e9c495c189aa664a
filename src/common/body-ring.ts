// Reused memory for the bodies of pull answers.
//
// Every pull answer used to get a new buffer for its records (~35 KB for 32 × 1 KiB). Buffers
// live outside the JS heap, and V8 starts a full (mark-compact) collection for every 64 MB of
// such memory it is told about: at 200k pulled messages a second that was ~7 full collections a
// second, about a quarter of the broker's CPU with the collector's threads, and the pauses land on
// the sends. The bodies now come from one ring, allocated once:
//
//   take(n)        n bytes after the last lease (wrapping, skipping leases still alive), or
//                  undefined (the caller allocates) when n is large or no room is found
//   lease refs     one for the reader, dropped at the next event-loop turn (by then the answer was
//                  built and handed to its socket: pull answers are written in the turn they are
//                  read, through promise reactions at most), and one per socket write of the body,
//                  dropped when the write is done (Connection.send)
//   retainView(v)  retains the live leases a view lies in (Connection.send, for every body)
//
// A byte of the ring is reused only when no live lease covers it, so a body still queued on a slow
// socket is never overwritten. A body with bytes in no live lease is a bug (an answer sent after its
// turn), and Connection.send closes the connection rather than send it: a best-effort check, as
// bytes already leased again look alive.
import assert from 'node:assert';

export const PULL_BODY_RING_BYTES = 8 * 1024 * 1024;
/** Larger bodies get their own buffer, so one answer cannot take a large share of the ring. */
const MAX_LEASE_SHARE = 8;
/** Live leases skipped over when looking for room before giving up. */
const MAX_SKIPS = 4;

const NO_LEASES: readonly BodyLease[] = [];

export class BodyLease {
  private refs = 1;

  constructor(
    private readonly ring: BodyRing,
    readonly start: number,
    readonly end: number,
  ) {}

  retain(): void {
    assert.ok(this.refs > 0, 'BodyLease.retain after its end');
    this.refs++;
  }

  release(): void {
    assert.ok(this.refs > 0, 'BodyLease.release after its end');
    if (--this.refs === 0) this.ring.free(this);
  }
}

export class BodyRing {
  private memory: Buffer | undefined;
  private head = 0;
  /** Live leases, oldest first. */
  private readonly live: BodyLease[] = [];
  /** Leases taken in this turn, whose reader's reference ends at the next turn. */
  private turnLeases: BodyLease[] = [];
  /** Requests answered undefined (the caller allocated): a count for tests and the curious. */
  refused = 0;

  constructor(readonly sizeBytes: number) {
    assert.ok(Number.isInteger(sizeBytes) && sizeBytes > 0, 'BodyRing size');
  }

  /** `lengthBytes` of ring memory, valid until the next event-loop turn unless a write retains it. */
  take(lengthBytes: number): Buffer | undefined {
    if (lengthBytes <= 0 || lengthBytes > this.sizeBytes / MAX_LEASE_SHARE) return this.refuse();
    this.memory ??= Buffer.allocUnsafeSlow(this.sizeBytes);
    let start = this.head + lengthBytes > this.sizeBytes ? 0 : this.head;
    for (let skips = 0; skips <= MAX_SKIPS; skips++) {
      const blocking = this.overlapping(start, start + lengthBytes);
      if (blocking === undefined) return this.lease(start, lengthBytes);
      start = blocking.end + lengthBytes > this.sizeBytes ? 0 : blocking.end;
    }
    return this.refuse();
  }

  /**
   * Retains the live leases `view` lies in (one, or several taken back to back: a body joined from
   * the records of several reads) and answers them, to be released when the view is no longer
   * used; [] for memory outside the ring; null when some of its bytes are in no live lease.
   */
  retainView(view: Buffer): readonly BodyLease[] | null {
    if (!this.holdsMemoryOf(view)) return NO_LEASES;
    const start = view.byteOffset;
    const end = start + view.length;
    const newest = this.live[this.live.length - 1];
    if (newest !== undefined && start >= newest.start && end <= newest.end) {
      newest.retain(); // the usual case: the answer read last
      return [newest];
    }
    const covering = this.live.filter((lease) => start < lease.end && lease.start < end);
    covering.sort((a, b) => a.start - b.start);
    let coveredTo = start;
    for (const lease of covering) {
      if (lease.start > coveredTo) return null;
      coveredTo = lease.end;
    }
    if (coveredTo < end) return null;
    for (const lease of covering) lease.retain();
    return covering;
  }

  /** The live lease that `view` lies in wholly; undefined for none (tests). */
  leaseOf(view: Buffer): BodyLease | undefined {
    if (!this.holdsMemoryOf(view)) return undefined;
    const start = view.byteOffset;
    return this.live.find((lease) => start >= lease.start && start + view.length <= lease.end);
  }

  /** True when `view` is ring memory (alive or not). */
  holdsMemoryOf(view: Buffer): boolean {
    return this.memory !== undefined && view.buffer === this.memory.buffer;
  }

  /** Leases alive now (tests). */
  get liveCount(): number {
    return this.live.length;
  }

  free(lease: BodyLease): void {
    const index = this.live.indexOf(lease);
    assert.ok(index >= 0, 'BodyRing.free of a lease not alive');
    this.live.splice(index, 1);
  }

  private lease(start: number, lengthBytes: number): Buffer {
    const lease = new BodyLease(this, start, start + lengthBytes);
    this.live.push(lease);
    this.head = lease.end;
    if (this.turnLeases.length === 0) setImmediate(() => this.endTurn());
    this.turnLeases.push(lease);
    return this.memory!.subarray(start, lease.end);
  }

  private endTurn(): void {
    const leases = this.turnLeases;
    this.turnLeases = [];
    for (const lease of leases) lease.release();
  }

  private overlapping(start: number, end: number): BodyLease | undefined {
    for (const lease of this.live) if (start < lease.end && lease.start < end) return lease;
    return undefined;
  }

  private refuse(): undefined {
    this.refused++;
    return undefined;
  }
}

/** The ring of every store in this process (pull answers only: see getMessageNonBlocking). */
export const pullBodyRing = new BodyRing(PULL_BODY_RING_BYTES);
