// The records of one pull answer copied into its body in one native call per source (the hot
// tail's ring, a segment's mapping): native/mapped-file.c `gather`. Buffer.copy costs a call into
// Node and, on Node 20, a new Uint8Array for every record; a 24-record answer's copies took 3.7–5.4 µs
// that way against 1.2–1.8 µs gathered (development machine). Without the addon (or with
// ROCKETMQ_MAPPED_READS=false) every run is copied at once by Buffer.copy, as before.
//
// Runs are collected by `add` and copied by `flush`, when the source changes or the list is full,
// and at the end of the read; the caller flushes before anything may change the sources (all of a
// read happens in one synchronous call).
import assert from 'node:assert';
import { nativeGather } from './mapped-view';

/** Runs gathered in one native call at most (a pull answer holds at most 32 records, or 2 × 32 runs). */
const GATHER_MAX_RUNS = 64;

export class GatherCopy {
  private readonly gather = nativeGather();
  /** (source position, target position, length) triples */
  private readonly runs = new Float64Array(3 * GATHER_MAX_RUNS);
  private count = 0;
  private source: Uint8Array | null = null;
  private target: Uint8Array | null = null;

  /** Starts the copies into `target`. */
  begin(target: Uint8Array): void {
    assert.ok(this.count === 0, 'gather: begun again before the last flush');
    this.target = target;
  }

  /** Copies `lengthBytes` of `source` from `sourcePosition` to `targetPosition` of the target, now or at the flush. */
  add(source: Buffer, sourcePosition: number, targetPosition: number, lengthBytes: number): void {
    if (this.gather === null) {
      source.copy(this.target!, targetPosition, sourcePosition, sourcePosition + lengthBytes);
      return;
    }
    if ((source !== this.source && this.count > 0) || this.count === GATHER_MAX_RUNS) this.flush();
    this.source = source;
    const at = 3 * this.count++;
    this.runs[at] = sourcePosition;
    this.runs[at + 1] = targetPosition;
    this.runs[at + 2] = lengthBytes;
  }

  /** Copies every run added since the last flush. */
  flush(): void {
    const count = this.count;
    const source = this.source;
    this.count = 0;
    this.source = null;
    if (count > 0) this.gather!(source!, this.target!, this.runs, count);
  }

  /** Flushes and forgets the target. */
  end(): void {
    this.flush();
    this.target = null;
  }

  /** Forgets the runs not flushed yet and the target (a read given up: its target is thrown away). */
  discard(): void {
    this.count = 0;
    this.source = null;
    this.target = null;
  }
}
