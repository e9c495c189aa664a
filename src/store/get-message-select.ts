// The selection step of a pull (Java DefaultMessageStore.getMessage's loop over consume-queue
// units) and the read of the selected records. Both are generators: each read they need is
// yielded as a ReadRequest and the bytes (or null) come back, so one copy of the logic serves
// the blocking and the non-blocking reader (get-message.ts).
import { readInt64BE } from '../codec/message/buffer-int64';
import { MAGICCODE_POSITION, MESSAGE_MAGIC_CODE } from '../codec/message/message-record-layout';
import type { ConsumeQueue } from './consume-queue';
import { CQ_STORE_UNIT_SIZE, PRE_BLANK_UNIT_SIZE } from './consume-queue-unit';
import { BODY_BY_REFERENCE, type GetMessageContext, type MessageFilter, type ReadRequest } from './get-message-types';
import { GetMessageStatus } from './put-message-status';

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
  const maxBytes = inDisk ? config.maxTransferBytesOnMessageInDisk : config.maxTransferBytesOnMessageInMemory;
  const maxCount = inDisk ? config.maxTransferCountOnMessageInDisk : config.maxTransferCountOnMessageInMemory;
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
  /** The body's runs, when its read was answered BODY_BY_REFERENCE (nothing was read). */
  bodyRuns?: number[];
  /** The records read, back to back, when readSelected was asked for them in one piece. */
  body?: Buffer;
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
      const next = yield {
        kind: 'units',
        queue: scan.queue,
        queueOffset: scan.queueOffset + index,
        maxUnits: requestedUnits,
      };
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
    if (isBatchFull(ctx, sizeBytes, maxMsgNums, sel.totalBytes, sel.physicalOffsets.length, inDisk)) break;
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
      const record = checkedRecord(
        yield { kind: 'log', runs: [physicalOffset, sizeBytes], totalBytes: sizeBytes },
        sizeBytes,
      );
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
  return record !== null && recordLooksRight(record, 0, sizeBytes) ? record : null;
}

/**
 * The selected records as runs of the commit log ([physicalOffset, sizeBytes] pairs): records
 * that follow each other in the same segment (a batch, or one producer's burst) share one run.
 * Only back-to-back records are joined, never across a gap: a queue's records far apart (many
 * queues written in turn) would otherwise read the other queues' records too.
 */
function recordRuns(segmentBytes: number, sel: Selection): number[] {
  const runs: number[] = [];
  let runEnd = -1;
  for (let i = 0; i < sel.physicalOffsets.length; i++) {
    const physicalOffset = sel.physicalOffsets[i];
    const sizeBytes = sel.sizes[i];
    const sameSegment = Math.floor(physicalOffset / segmentBytes) === Math.floor((runEnd - 1) / segmentBytes);
    if (physicalOffset === runEnd && sameSegment) runs[runs.length - 1] += sizeBytes;
    else runs.push(physicalOffset, sizeBytes);
    runEnd = physicalOffset + sizeBytes;
  }
  return runs;
}

/**
 * Reads the selected records in one request: their runs land back to back in one buffer, which
 * is then exactly the pull's body. Returns how many were read; on a failed read or a record that
 * does not look right, it stops there. The records go to `out` one view each, or with `out` null
 * into `sel.body` in one piece (checked in place). Answered BODY_BY_REFERENCE, it reads nothing
 * and counts all.
 */
export function* readSelected(
  segmentBytes: number,
  sel: Selection,
  out: Buffer[] | null,
): Generator<ReadRequest, number, Buffer | null> {
  if (sel.physicalOffsets.length === 0) return 0;
  const runs = recordRuns(segmentBytes, sel);
  const bytes = yield { kind: 'log', runs, totalBytes: sel.totalBytes, body: true };
  if (bytes === null) return 0;
  if (bytes === BODY_BY_REFERENCE) {
    sel.bodyRuns = runs; // unchecked, as Java sends its mapped bytes: the selection kept them in range
    return sel.physicalOffsets.length;
  }
  let position = 0;
  let count = 0;
  for (; count < sel.sizes.length; count++) {
    const sizeBytes = sel.sizes[count];
    if (!recordLooksRight(bytes, position, sizeBytes)) break;
    out?.push(bytes.subarray(position, position + sizeBytes));
    position += sizeBytes;
  }
  if (out === null && count > 0) sel.body = position === bytes.length ? bytes : bytes.subarray(0, position);
  return count;
}

/** Whether `bytes` holds, at `position`, a whole record that starts as one of `sizeBytes` does. */
function recordLooksRight(bytes: Buffer, position: number, sizeBytes: number): boolean {
  return (
    sizeBytes >= MAGICCODE_POSITION + 4 &&
    position + sizeBytes <= bytes.length &&
    bytes.readInt32BE(position) === sizeBytes &&
    bytes.readInt32BE(position + MAGICCODE_POSITION) === MESSAGE_MAGIC_CODE
  );
}
