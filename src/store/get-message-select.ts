// The selection step of a pull (Java DefaultMessageStore.getMessage's loop over consume-queue
// units) and the read of the selected records. Both are generators: each read they need is
// yielded as a ReadRequest and the bytes (or null) come back, so one copy of the logic serves
// the blocking and the non-blocking reader (get-message.ts).
import { readInt64BE } from '../codec/message/buffer-int64';
import { MAGICCODE_POSITION, MESSAGE_MAGIC_CODE } from '../codec/message/message-record-layout';
import { ConsumeQueue, CQ_STORE_UNIT_SIZE, PRE_BLANK_UNIT_SIZE } from './consume-queue';
import type { GetMessageContext, MessageFilter, ReadRequest } from './get-message';
import { GetMessageStatus } from './put-message-status';

/** One read may cover neighbouring records up to this span. */
const MAX_COALESCED_READ_BYTES = 1024 * 1024;

/** Java isTheBatchFull. */
function isBatchFull(
  ctx: GetMessageContext,
  sizeBytes: number,
  maxMsgNums: number,
  totalBytes: number,
  count: number,
  inDisk: boolean,
): boolean {
  if (totalBytes === 0 || count === 0) return false;
  if (maxMsgNums <= count) return true;
  const { config } = ctx;
  const maxBytes = inDisk
    ? config.maxTransferBytesOnMessageInDisk
    : config.maxTransferBytesOnMessageInMemory;
  const maxCount = inDisk
    ? config.maxTransferCountOnMessageInDisk
    : config.maxTransferCountOnMessageInMemory;
  return totalBytes + sizeBytes > maxBytes || count > maxCount - 1;
}

export interface Selection {
  status: GetMessageStatus;
  /** Units scanned (next = offset + scanned). */
  scannedUnits: number;
  physicalOffsets: number[];
  sizes: number[];
  unitIndexes: number[];
  totalBytes: number;
  lastPulledPhysicalOffset: number;
  /** The records already read for a second-stage filter, one per selected unit. */
  records?: Buffer[];
  /** The second-stage scan stopped at a record it could not read. */
  stoppedAtUnreadable?: boolean;
}

/**
 * Where the units of a scan come from: the first chunk is read before the scan starts; each later
 * chunk (twice the size of the one before) is asked for only when the batch is not full yet.
 */
export interface UnitScan {
  queue: ConsumeQueue;
  /** Queue offset of the first unit scanned. */
  queueOffset: number;
  /** Scan at most this many units (Java's 16000 bytes, and not past the queue's end). */
  limitUnits: number;
  firstChunk: Buffer;
  /** Units asked for in the first read; fewer came back when the file or the queue ended. */
  firstRequestedUnits: number;
}

export function* selectUnits(
  ctx: GetMessageContext,
  scan: UnitScan,
  maxMsgNums: number,
  filter?: MessageFilter,
): Generator<ReadRequest, Selection, Buffer | null> {
  const log = ctx.commitLog;
  const maxPhysicalOffset = log.writtenPhysicalOffset;
  const sel: Selection = {
    status: GetMessageStatus.NO_MATCHED_MESSAGE,
    scannedUnits: 0,
    physicalOffsets: [],
    sizes: [],
    unitIndexes: [],
    totalBytes: 0,
    lastPulledPhysicalOffset: 0,
  };
  let nextFileStartPhysicalOffset = -1;
  let units = scan.firstChunk;
  let chunkStart = 0;
  let chunkUnits = units.length / CQ_STORE_UNIT_SIZE;
  let requestedUnits = scan.firstRequestedUnits;
  let index = 0;
  for (; ; index++) {
    if (index === chunkStart + chunkUnits) {
      // A short chunk means the file or the queue ended there.
      if (chunkUnits < requestedUnits || index >= scan.limitUnits) break;
      requestedUnits = Math.min(chunkUnits * 2, scan.limitUnits - index);
      const next = yield { kind: 'units', queue: scan.queue, queueOffset: scan.queueOffset + index, maxUnits: requestedUnits };
      if (next === null || next.length === 0) break;
      units = next;
      chunkStart = index;
      chunkUnits = next.length / CQ_STORE_UNIT_SIZE;
    }
    const position = (index - chunkStart) * CQ_STORE_UNIT_SIZE;
    const physicalOffset = readInt64BE(units, position);
    const sizeBytes = units.readInt32BE(position + 8);
    sel.lastPulledPhysicalOffset = physicalOffset;
    if (nextFileStartPhysicalOffset >= 0 && physicalOffset < nextFileStartPhysicalOffset) continue;
    // Zero units (a gap) and Java's pre-blank units point at nothing.
    if (sizeBytes <= 0 || sizeBytes === PRE_BLANK_UNIT_SIZE || physicalOffset < 0) continue;
    const inDisk = maxPhysicalOffset - physicalOffset > ctx.inMemoryBytes;
    if (isBatchFull(ctx, sizeBytes, maxMsgNums, sel.totalBytes, sel.physicalOffsets.length, inDisk))
      break;
    if (filter !== undefined && !filter(readInt64BE(units, position + 12))) {
      if (sel.totalBytes === 0) sel.status = GetMessageStatus.NO_MATCHED_MESSAGE;
      continue;
    }
    if (physicalOffset < log.minPhysicalOffset || physicalOffset + sizeBytes > maxPhysicalOffset) {
      if (sel.totalBytes === 0) sel.status = GetMessageStatus.MESSAGE_WAS_REMOVING;
      nextFileStartPhysicalOffset = log.rollNextFile(physicalOffset);
      continue;
    }
    if (filter?.matchesRecord !== undefined) {
      const record = checkedRecord(yield { kind: 'log', physicalOffset, sizeBytes }, sizeBytes);
      // An unreadable record ends the batch, so the consumer asks for it again (as readSelected).
      if (record === null) {
        sel.stoppedAtUnreadable = true;
        break;
      }
      if (!filter.matchesRecord(record)) {
        if (sel.totalBytes === 0) sel.status = GetMessageStatus.NO_MATCHED_MESSAGE;
        continue;
      }
      (sel.records ??= []).push(record);
    }
    sel.physicalOffsets.push(physicalOffset);
    sel.sizes.push(sizeBytes);
    sel.unitIndexes.push(index);
    sel.totalBytes += sizeBytes;
    sel.status = GetMessageStatus.FOUND;
    nextFileStartPhysicalOffset = -1;
  }
  sel.scannedUnits = index;
  return sel;
}

/** One record, checked as readSelected checks it; null when it cannot be read or looks wrong. */
function checkedRecord(record: Buffer | null, sizeBytes: number): Buffer | null {
  if (record === null) return null;
  const looksRight =
    record.readInt32BE(0) === sizeBytes &&
    record.readInt32BE(MAGICCODE_POSITION) === MESSAGE_MAGIC_CODE;
  return looksRight ? record : null;
}

/** Where the run of selected records that can be read together, starting at `start`, ends. */
function spanEnd(segmentBytes: number, sel: Selection, start: number): number {
  const spanStart = sel.physicalOffsets[start];
  const segment = Math.floor(spanStart / segmentBytes);
  let end = start + 1;
  let endPhysicalOffset = spanStart + sel.sizes[start];
  while (end < sel.physicalOffsets.length) {
    const next = sel.physicalOffsets[end];
    const nextEnd = next + sel.sizes[end];
    if (
      next < endPhysicalOffset ||
      nextEnd - spanStart > MAX_COALESCED_READ_BYTES ||
      Math.floor(next / segmentBytes) !== segment
    )
      break;
    endPhysicalOffset = nextEnd;
    end++;
  }
  return end;
}

/**
 * Reads the selected records, several per read where they are close together. Returns how many
 * were read; on a failed read or a record that does not look right, it stops there.
 */
export function* readSelected(
  segmentBytes: number,
  sel: Selection,
  out: Buffer[],
): Generator<ReadRequest, number, Buffer | null> {
  const count = sel.physicalOffsets.length;
  let start = 0;
  while (start < count) {
    const end = spanEnd(segmentBytes, sel, start);
    const spanStart = sel.physicalOffsets[start];
    const spanBytes = sel.physicalOffsets[end - 1] + sel.sizes[end - 1] - spanStart;
    const span = yield { kind: 'log', physicalOffset: spanStart, sizeBytes: spanBytes };
    if (span === null) return out.length;
    for (let i = start; i < end; i++) {
      const from = sel.physicalOffsets[i] - spanStart;
      const record = checkedRecord(span.subarray(from, from + sel.sizes[i]), sel.sizes[i]);
      if (record === null) return out.length;
      out.push(record);
    }
    start = end;
  }
  return out.length;
}

