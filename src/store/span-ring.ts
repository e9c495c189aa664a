// Scratch memory for the cold reads' spans (read-spans.ts), reused as a ring.
//
// A cold reader of many queues reads the log in spans of up to 1 MiB. Each span used to get a new
// buffer: outside the JS heap, so V8 counts it as external memory, and past every 64 MB of it V8
// starts a full (mark-compact) collection. At 80k messages/s that was about 9 full collections a
// second, each pausing the event loop (and the sends on it) for 2-6 ms. Spans now take their bytes
// from one ring, allocated once at the first cold read:
//
//   lease(n)   -> the next n bytes after the last lease (wrapping to the start), or undefined when
//                 n is more than a quarter of the ring or those bytes are still being read into
//   release()  -> the read into a lease is over (its bytes may be leased again once the ring comes round)
//   holds(...) -> whether bytes leased in an earlier lap are still there (RecentSpans checks this
//                 before it copies from a kept span)
//
// A lease never overlaps a lease still being read into; everything else in the ring is only a cache.
import assert from 'node:assert';

/** A stretch of the ring: `bytes` is ring[start, start + bytes.length) in lap `lap`. */
export interface SpanLease {
  readonly bytes: Buffer;
  readonly start: number;
  readonly lap: number;
}

export class SpanRing {
  private ring: Buffer | undefined;
  private head = 0;
  private lap = 0;
  private readonly reading: SpanLease[] = [];
  /** Leases refused (the caller then allocates): a count for tests and the curious. */
  refused = 0;

  constructor(readonly sizeBytes: number) {
    assert.ok(Number.isInteger(sizeBytes) && sizeBytes > 0, 'SpanRing size');
  }

  lease(lengthBytes: number): SpanLease | undefined {
    if (lengthBytes <= 0 || lengthBytes > this.sizeBytes / 4) return this.refuse();
    this.ring ??= Buffer.allocUnsafeSlow(this.sizeBytes);
    let start = this.head;
    let lap = this.lap;
    if (start + lengthBytes > this.sizeBytes) {
      start = 0;
      lap++;
    }
    const end = start + lengthBytes;
    for (const busy of this.reading) {
      if (start < busy.start + busy.bytes.length && busy.start < end) return this.refuse();
    }
    this.head = end;
    this.lap = lap;
    const lease = { bytes: this.ring.subarray(start, end), start, lap };
    this.reading.push(lease);
    return lease;
  }

  release(lease: SpanLease): void {
    const index = this.reading.indexOf(lease);
    assert.ok(index >= 0, 'SpanRing.release of a lease not being read into');
    this.reading.splice(index, 1);
  }

  /** True while no later lease has covered any byte of `lease`. */
  holds(lease: SpanLease): boolean {
    if (lease.lap === this.lap) return true;
    return lease.lap === this.lap - 1 && this.head <= lease.start;
  }

  private refuse(): undefined {
    this.refused++;
    return undefined;
  }
}
