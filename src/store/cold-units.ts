// Consume-queue units read ahead by a cold pull. A pull into a backlog on disk makes two off-loop
// round trips: the queue's units, then the records they point at. A consumer reading a backlog asks
// each queue for the next 32 units again and again, so the units' round trip is made for 1,024 of
// them at once and kept for the queue's next pulls, which then go straight to the records:
//
//   kept   one chunk per queue: the units from the queue offset read, as readUnits returned them
//   used   only when it holds every unit readUnits would return for the pull (a short answer means
//          "the file or the queue ends here" to the selection, so a partial one is never served)
//   gone   when the queue is truncated or destroyed (the units could change), or replaced by the
//          queue's next read-ahead
//
// Memory: at most 20 KiB for each queue read cold (a consumer of all 1,024 queues of a topic: 20 MiB).

/** Units a cold units read asks for at once (one pull asks for its batch + 32). */
export const COLD_READ_AHEAD_UNITS = 1024;

export class ColdUnits {
  private queueOffset = 0;
  private units: Buffer | undefined;
  /** Bumped by every change that could rewrite units (truncation): a read begun before keeps nothing. */
  private generation = 0;

  /** `unitBytes`: CQ_STORE_UNIT_SIZE. */
  constructor(private readonly unitBytes: number) {}

  /** The units [queueOffset, endQueueOffset) when the kept chunk holds them all; else undefined. */
  take(queueOffset: number, endQueueOffset: number): Buffer | undefined {
    const units = this.units;
    if (units === undefined || queueOffset < this.queueOffset) return undefined;
    const keptEnd = this.queueOffset + units.length / this.unitBytes;
    if (endQueueOffset > keptEnd || endQueueOffset <= queueOffset) return undefined;
    const from = (queueOffset - this.queueOffset) * this.unitBytes;
    return units.subarray(from, from + (endQueueOffset - queueOffset) * this.unitBytes);
  }

  /** A token to hand back to keep: keep ignores units read across a forget. */
  get readToken(): number {
    return this.generation;
  }

  keep(token: number, queueOffset: number, units: Buffer): void {
    if (token !== this.generation || units.length === 0) return;
    this.queueOffset = queueOffset;
    this.units = units;
  }

  forget(): void {
    this.generation++;
    this.units = undefined;
  }
}
