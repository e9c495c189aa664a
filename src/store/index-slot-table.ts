// The hash-slot table of the active index file, kept in memory in the file's own byte order
// (big-endian int32 per slot), with a bitmap of the 4 KiB pages that changed since the last write.
//
// At each index flush the changed pages are written straight from this buffer with asynchronous
// positional writes: no copy, no byte swap, nothing done on the event loop but walking the bitmap.
// (A busy index touches nearly every page of the 20 MB table each second; copying, swapping and
// writing it synchronously blocked the event loop for 15-45 ms per flush.) A page may change
// while its write is in flight; it is then marked dirty again and goes out with the next flush.
import type { StoreFile } from './store-file';

const SLOT_SIZE = 4;
const PAGE_BYTES = 4096;
/** Clean pages between two dirty runs are written along (same bytes) when the gap is this small. */
const MERGE_GAP_PAGES = 8;

export class IndexSlotTable {
  private readonly dirtyPages: Uint8Array;
  private hasDirtyPages = false;

  private constructor(
    private readonly bytes: Buffer,
    private readonly file: StoreFile,
    private readonly filePosition: number,
  ) {
    this.dirtyPages = new Uint8Array(Math.ceil(bytes.length / PAGE_BYTES));
  }

  /** Reads the table of `slotCount` slots at `filePosition` of `file`. */
  static load(file: StoreFile, filePosition: number, slotCount: number): IndexSlotTable {
    const bytes = Buffer.alloc(slotCount * SLOT_SIZE);
    file.read(bytes, 0, bytes.length, filePosition);
    return new IndexSlotTable(bytes, file, filePosition);
  }

  /** The table of a file that was empty when opened: all slots 0, nothing read. */
  static empty(file: StoreFile, filePosition: number, slotCount: number): IndexSlotTable {
    return new IndexSlotTable(Buffer.alloc(slotCount * SLOT_SIZE), file, filePosition);
  }

  get slotCount(): number {
    return this.bytes.length / SLOT_SIZE;
  }

  get(slot: number): number {
    return this.bytes.readInt32BE(slot * SLOT_SIZE);
  }

  set(slot: number, value: number): void {
    this.bytes.writeInt32BE(value, slot * SLOT_SIZE);
    this.dirtyPages[(slot * SLOT_SIZE) >>> 12] = 1;
    this.hasDirtyPages = true;
  }

  /** Writes the changed pages now (roll-over, shutdown, repair). */
  writeSync(): void {
    for (const [from, length] of this.takeDirtyRuns()) {
      this.file.write(this.bytes, from, length, this.filePosition + from);
    }
  }

  /** Writes the changed pages off the event loop. */
  async write(): Promise<void> {
    await Promise.all(
      this.takeDirtyRuns().map(([from, length]) =>
        this.file.writeAsync(this.bytes, from, length, this.filePosition + from),
      ),
    );
  }

  /** Runs of consecutive dirty pages as [byte offset, length]; the bitmap is cleared. */
  private takeDirtyRuns(): Array<[number, number]> {
    const runs: Array<[number, number]> = [];
    if (!this.hasDirtyPages) return runs;
    const dirty = this.dirtyPages;
    for (let page = 0; page < dirty.length; ) {
      if (dirty[page] === 0) {
        page++;
        continue;
      }
      let last = page; // last dirty page of this run
      for (let next = page + 1; next < dirty.length && next - last <= MERGE_GAP_PAGES; next++) {
        if (dirty[next] === 1) last = next;
      }
      dirty.fill(0, page, last + 1);
      const from = page * PAGE_BYTES;
      runs.push([from, Math.min((last + 1) * PAGE_BYTES, this.bytes.length) - from]);
      page = last + 1;
    }
    this.hasDirtyPages = false;
    return runs;
  }
}
