// One index file (Java IndexFile + IndexHeader): a hash table from "topic#key" to commit-log
// offsets, for QUERY_MESSAGE by key or unique key.
//
//   file   = header slot{hashSlotNum} entry{indexNum}
//   header = BEGINTIMESTAMP:int64 ENDTIMESTAMP:int64 BEGINPHYOFFSET:int64 ENDPHYOFFSET:int64
//            HASHSLOTCOUNT:int32 INDEXCOUNT:int32                                    (40 bytes)
//   slot   = INDEX:int32           newest entry of this hash bucket, 0 = empty
//   entry  = KEYHASH:int32 PHYOFFSET:int64 TIMEDIFF:int32 PREVINDEX:int32            (20 bytes)
//
// keyHash = |String.hashCode(key)| (Integer.MIN_VALUE -> 0); slot = keyHash % hashSlotNum;
// TIMEDIFF = seconds since BEGINTIMESTAMP (clamped to [0, Integer.MAX_VALUE]); entries are
// numbered from 1 (INDEXCOUNT starts at 1; entry 0 is never used). Each entry links to the
// previous entry of its bucket, so a lookup walks the chain from the slot.
//
// The active file keeps its slot table in memory. Entries and the header are written with each
// commit; changed slots are written by `flushSlots` (every index flush, at roll-over and at
// shutdown), whole 4 KiB pages at a time, so a busy index costs no write per key. A file is only
// trusted after a crash if the checkpoint says it was flushed (see IndexService.load).
import assert from 'node:assert';
import { javaStringHashCode } from '../codec/java-hash';
import { readInt64BE, writeInt64BE } from '../codec/message/buffer-int64';
import type { FileHandleCache } from './file-handle-cache';
import { IndexSlotTable } from './index-slot-table';
import { StoreFile } from './store-file';

export const INDEX_HEADER_SIZE = 40;
const HASH_SLOT_SIZE = 4;
export const INDEX_ENTRY_SIZE = 20;
const INVALID_INDEX = 0;

/** Java IndexService.indexKeyHashMethod. */
export function indexKeyHash(key: string): number {
  const hash = Math.abs(javaStringHashCode(key));
  return Math.max(hash, 0); // Math.abs(Integer.MIN_VALUE) stays negative in Java
}

export interface IndexHeader {
  beginTimestampMs: number;
  endTimestampMs: number;
  beginPhyOffset: number;
  endPhyOffset: number;
  hashSlotCount: number;
  indexCount: number;
}

export class IndexFile {
  readonly header: IndexHeader;
  /** The slot table while this file is written (index-slot-table.ts). */
  private slots: IndexSlotTable | null = null;
  private readonly pendingEntries: Buffer;
  private pendingCount = 0;

  /**
   * `emptyAtOpen`: the file had no bytes before it was opened (just created), so its slot table is all
   * zeros and its first load reads nothing (20 MB read for nothing delayed a new file's first put).
   */
  constructor(
    readonly file: StoreFile,
    readonly hashSlotNum: number,
    readonly indexNum: number,
    private emptyAtOpen = false,
  ) {
    this.header = IndexFile.readHeader(file);
    this.pendingEntries = Buffer.allocUnsafe(INDEX_ENTRY_SIZE * 1024);
  }

  static fileSizeBytes(hashSlotNum: number, indexNum: number): number {
    return INDEX_HEADER_SIZE + hashSlotNum * HASH_SLOT_SIZE + indexNum * INDEX_ENTRY_SIZE;
  }

  private static readHeader(file: StoreFile): IndexHeader {
    const bytes = Buffer.alloc(INDEX_HEADER_SIZE);
    file.read(bytes, 0, INDEX_HEADER_SIZE, 0);
    return {
      beginTimestampMs: readInt64BE(bytes, 0),
      endTimestampMs: readInt64BE(bytes, 8),
      beginPhyOffset: readInt64BE(bytes, 16),
      endPhyOffset: readInt64BE(bytes, 24),
      hashSlotCount: bytes.readInt32BE(32),
      indexCount: Math.max(bytes.readInt32BE(36), 1),
    };
  }

  get isFull(): boolean {
    return this.header.indexCount >= this.indexNum;
  }

  /** Java IndexFile.putKey; false when the file is full. Call `commit` after a run of puts. */
  putKey(key: string, phyOffset: number, storeTimestampMs: number): boolean {
    if (this.isFull) return false;
    const slots = this.loadSlots();
    const keyHash = indexKeyHash(key);
    const slot = keyHash % this.hashSlotNum;
    let slotValue = slots.get(slot);
    const header = this.header;
    if (slotValue <= INVALID_INDEX || slotValue > header.indexCount) slotValue = INVALID_INDEX;
    let timeDiffS = Math.trunc((storeTimestampMs - header.beginTimestampMs) / 1000);
    if (header.beginTimestampMs <= 0) timeDiffS = 0;
    timeDiffS = Math.min(Math.max(timeDiffS, 0), 0x7fffffff);
    if (this.pendingCount * INDEX_ENTRY_SIZE === this.pendingEntries.length) this.commit();
    const at = this.pendingCount++ * INDEX_ENTRY_SIZE;
    this.pendingEntries.writeInt32BE(keyHash, at);
    writeInt64BE(this.pendingEntries, phyOffset, at + 4);
    this.pendingEntries.writeInt32BE(timeDiffS, at + 12);
    this.pendingEntries.writeInt32BE(slotValue, at + 16);
    slots.set(slot, header.indexCount);
    if (header.indexCount <= 1) {
      header.beginPhyOffset = phyOffset;
      header.beginTimestampMs = storeTimestampMs;
    }
    if (slotValue === INVALID_INDEX) header.hashSlotCount++;
    header.indexCount++;
    header.endPhyOffset = phyOffset;
    header.endTimestampMs = storeTimestampMs;
    return true;
  }

  /** Writes pending entries and the header. */
  commit(): void {
    if (this.pendingCount === 0) return;
    const firstIndex = this.header.indexCount - this.pendingCount;
    const entriesAt = this.entryPosition(firstIndex);
    this.file.write(this.pendingEntries, 0, this.pendingCount * INDEX_ENTRY_SIZE, entriesAt);
    this.writeHeader();
    this.pendingCount = 0;
  }

  /** Writes pending entries, the header and the changed pages of the slot table. */
  flushSlots(): void {
    this.commit();
    this.slots?.writeSync();
  }

  /** The same, with the slot pages written off the event loop. */
  async flushSlotsAsync(): Promise<void> {
    this.commit();
    await this.slots?.write();
  }

  /** Java IndexFile.isTimeMatched. */
  isTimeMatched(beginMs: number, endMs: number): boolean {
    const { beginTimestampMs: b, endTimestampMs: e } = this.header;
    return (beginMs < b && endMs > e) || (beginMs >= b && beginMs <= e) || (endMs >= b && endMs <= e);
  }

  /** Java IndexFile.selectPhyOffset: walks the key's chain, newest first. */
  selectPhyOffsets(out: number[], key: string, maxNum: number, beginMs: number, endMs: number): void {
    assert.ok(this.pendingCount === 0, 'select with uncommitted entries');
    const keyHash = indexKeyHash(key);
    const slotValue = this.readSlot(keyHash % this.hashSlotNum);
    const indexCount = this.header.indexCount;
    if (slotValue <= INVALID_INDEX || slotValue > indexCount || indexCount <= 1) return;
    const entry = Buffer.alloc(INDEX_ENTRY_SIZE);
    // A damaged chain could loop; no chain is longer than the file's entry count.
    for (let next = slotValue, steps = 0; out.length < maxNum && steps < indexCount; steps++) {
      this.file.read(entry, 0, INDEX_ENTRY_SIZE, this.entryPosition(next));
      const timeDiffS = entry.readInt32BE(12);
      const prev = entry.readInt32BE(16);
      if (timeDiffS < 0) break;
      const timeMs = this.header.beginTimestampMs + timeDiffS * 1000;
      if (entry.readInt32BE(0) === keyHash && timeMs >= beginMs && timeMs <= endMs) {
        out.push(readInt64BE(entry, 4));
      }
      if (prev <= INVALID_INDEX || prev > indexCount || prev === next || timeMs < beginMs) break;
      next = prev;
    }
  }

  // ---- repair after a crash (index-file-repair.ts) ----

  /** `count` committed entries from entry number `from` (20 bytes each). */
  readEntries(from: number, count: number): Buffer {
    const bytes = Buffer.alloc(count * INDEX_ENTRY_SIZE);
    this.file.read(bytes, 0, bytes.length, this.entryPosition(from));
    return bytes;
  }

  /** Points `slot` at entry `index` unless it already points at a newer one. */
  raiseSlot(slot: number, index: number): void {
    const slots = this.loadSlots();
    const current = slots.get(slot);
    if (current >= index) return;
    if (current <= INVALID_INDEX) this.header.hashSlotCount++;
    slots.set(slot, index);
  }

  /** Points `slot` at `index` if it points at `expected` (unlinking a removed entry). */
  replaceSlot(slot: number, expected: number, index: number): void {
    const slots = this.loadSlots();
    if (slots.get(slot) !== expected) return;
    if (index <= INVALID_INDEX) this.header.hashSlotCount--;
    slots.set(slot, index);
  }

  /** Empties every slot that points at entry `firstMissing` or later (entries that are gone). */
  clearSlotsFrom(firstMissing: number): void {
    const slots = this.loadSlots();
    for (let slot = 0; slot < slots.slotCount; slot++) {
      const value = slots.get(slot);
      if (value >= firstMissing) this.replaceSlot(slot, value, INVALID_INDEX);
    }
  }

  /** Makes entries from `indexCount` on disappear; the caller fixed the slots first. */
  setEnd(indexCount: number, endPhyOffset: number, endTimestampMs: number): void {
    assert.ok(this.pendingCount === 0 && indexCount >= 1);
    const removed = this.header.indexCount - indexCount;
    if (removed > 0) {
      this.file.write(
        Buffer.alloc(removed * INDEX_ENTRY_SIZE),
        0,
        removed * INDEX_ENTRY_SIZE,
        this.entryPosition(indexCount),
      );
    }
    this.header.indexCount = indexCount;
    this.header.endPhyOffset = endPhyOffset;
    this.header.endTimestampMs = endTimestampMs;
    this.writeHeader();
  }

  /** Drops the in-memory slot table (for files that are no longer written). */
  releaseSlots(): void {
    this.flushSlots();
    this.slots = null;
  }

  private entryPosition(index: number): number {
    return INDEX_HEADER_SIZE + this.hashSlotNum * HASH_SLOT_SIZE + index * INDEX_ENTRY_SIZE;
  }

  private readSlot(slot: number): number {
    if (this.slots !== null) return this.slots.get(slot);
    const bytes = Buffer.alloc(HASH_SLOT_SIZE);
    this.file.read(bytes, 0, HASH_SLOT_SIZE, INDEX_HEADER_SIZE + slot * HASH_SLOT_SIZE);
    return bytes.readInt32BE(0);
  }

  private loadSlots(): IndexSlotTable {
    if (this.slots === null) {
      this.slots = this.emptyAtOpen
        ? IndexSlotTable.empty(this.file, INDEX_HEADER_SIZE, this.hashSlotNum)
        : IndexSlotTable.load(this.file, INDEX_HEADER_SIZE, this.hashSlotNum);
      this.emptyAtOpen = false; // once released, the table is read back from the file
    }
    return this.slots;
  }

  private writeHeader(): void {
    const bytes = Buffer.alloc(INDEX_HEADER_SIZE);
    const h = this.header;
    writeInt64BE(bytes, h.beginTimestampMs, 0);
    writeInt64BE(bytes, h.endTimestampMs, 8);
    writeInt64BE(bytes, h.beginPhyOffset, 16);
    writeInt64BE(bytes, h.endPhyOffset, 24);
    bytes.writeInt32BE(h.hashSlotCount, 32);
    bytes.writeInt32BE(h.indexCount, 36);
    this.file.write(bytes, 0, INDEX_HEADER_SIZE, 0);
  }
}

/** Opens an index file at `filePath` (created at full size, sparse, when missing). */
export function openIndexFile(
  dirPath: string,
  fileName: string,
  hashSlotNum: number,
  indexNum: number,
  handles: FileHandleCache,
): IndexFile {
  const sizeBytes = IndexFile.fileSizeBytes(hashSlotNum, indexNum);
  const file = new StoreFile(`${dirPath}/${fileName}`, 0, sizeBytes, handles);
  const sizeBeforeBytes = file.ensureSize();
  return new IndexFile(file, hashSlotNum, indexNum, sizeBeforeBytes === 0);
}
