// Reading a batch of messages for a pull (Java DefaultMessageStore.getMessage, master role).
//
//   no queue                  -> NO_MATCHED_LOGIC_QUEUE, next 0
//   queue empty (max == 0)    -> NO_MESSAGE_IN_QUEUE,    next 0
//   offset < min              -> OFFSET_TOO_SMALL,       next min
//   offset == max             -> OFFSET_OVERFLOW_ONE,    next offset
//   offset > max              -> OFFSET_OVERFLOW_BADLY,  next min if min == 0 else max
//   unit file missing         -> OFFSET_FOUND_NULL,      next start of the next queue file
//   otherwise scan units (at most max(800, maxMsgNums)): skip non-matching tags
//   (NO_MATCHED_MESSAGE), skip records whose segment is gone (MESSAGE_WAS_REMOVING), stop when
//   the batch is full (maxMsgNums, maxTransfer* by in-memory / on-disk); next = offset + scanned.
//
// Selection uses only the 20-byte units; the chosen records are then read with as few reads as
// possible (neighbouring records in one read) and handed out as slices. A filter with a second
// stage (matchesRecord, Java isMatchedByCommitLog: SQL92 on the message properties) needs each
// candidate record itself, so those are read one by one during selection; non-matching records
// count like tag misses (NO_MATCHED_MESSAGE when nothing matched).
import { readInt64BE } from '../codec/message/buffer-int64';
import { MAGICCODE_POSITION, MESSAGE_MAGIC_CODE } from '../codec/message/message-record-layout';
import { CommitLog } from './commit-log';
import { CQ_STORE_UNIT_SIZE, PRE_BLANK_UNIT_SIZE } from './consume-queue';
import { ConsumeQueueTable } from './consume-queue-table';
import { MessageStoreConfig } from './message-store-config';
import { GetMessageResult, GetMessageStatus } from './put-message-status';

/** The consume-queue check on a unit's tagsCode (Java isMatchedByConsumeQueue). */
export interface MessageFilter {
  (tagsCode: number): boolean;
  /** Optional second stage on each stored record that passed the first (Java isMatchedByCommitLog). */
  matchesRecord?: (record: Buffer) => boolean;
}

/** One read may cover neighbouring records up to this span. */
const MAX_COALESCED_READ_BYTES = 1024 * 1024;
/** Java: at most max(16000, maxMsgNums * 20) bytes of units are scanned per request. */
const MIN_SCANNED_UNITS = 16000 / CQ_STORE_UNIT_SIZE;

export interface GetMessageContext {
  config: MessageStoreConfig;
  commitLog: CommitLog;
  consumeQueues: ConsumeQueueTable;
  /** Bytes of the log end considered "in memory" (RAM x accessMessageInMemoryMaxRatio). */
  inMemoryBytes: number;
}

function emptyResult(
  status: GetMessageStatus,
  nextBeginOffset: number,
  minOffset: number,
  maxOffset: number,
): GetMessageResult {
  return {
    status,
    nextBeginOffset,
    minOffset,
    maxOffset,
    messageBuffers: [],
    messageCount: 0,
    bufferTotalSize: 0,
  };
}

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

interface Selection {
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

function selectUnits(
  ctx: GetMessageContext,
  units: Buffer,
  maxMsgNums: number,
  filter?: MessageFilter,
): Selection {
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
  const unitCount = units.length / CQ_STORE_UNIT_SIZE;
  let index = 0;
  for (; index < unitCount; index++) {
    const position = index * CQ_STORE_UNIT_SIZE;
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
      const record = readRecord(log, physicalOffset, sizeBytes);
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
function readRecord(log: CommitLog, physicalOffset: number, sizeBytes: number): Buffer | null {
  const record = log.read(physicalOffset, sizeBytes);
  if (record === null) return null;
  const looksRight =
    record.readInt32BE(0) === sizeBytes &&
    record.readInt32BE(MAGICCODE_POSITION) === MESSAGE_MAGIC_CODE;
  return looksRight ? record : null;
}

/**
 * Reads the selected records, several per read where they are close together. Returns how many
 * were read; on a failed read or a record that does not look right, it stops there.
 */
function readSelected(log: CommitLog, sel: Selection, out: Buffer[]): number {
  const count = sel.physicalOffsets.length;
  let start = 0;
  while (start < count) {
    const spanStart = sel.physicalOffsets[start];
    const segment = Math.floor(spanStart / log.fileSizeBytes);
    let end = start + 1;
    let spanEnd = spanStart + sel.sizes[start];
    while (end < count) {
      const next = sel.physicalOffsets[end];
      const nextEnd = next + sel.sizes[end];
      if (
        next < spanEnd ||
        nextEnd - spanStart > MAX_COALESCED_READ_BYTES ||
        Math.floor(next / log.fileSizeBytes) !== segment
      )
        break;
      spanEnd = nextEnd;
      end++;
    }
    const span = log.read(spanStart, spanEnd - spanStart);
    if (span === null) return out.length;
    for (let i = start; i < end; i++) {
      const from = sel.physicalOffsets[i] - spanStart;
      const record = span.subarray(from, from + sel.sizes[i]);
      if (
        record.readInt32BE(0) !== sel.sizes[i] ||
        record.readInt32BE(MAGICCODE_POSITION) !== MESSAGE_MAGIC_CODE
      ) {
        return out.length;
      }
      out.push(record);
    }
    start = end;
  }
  return out.length;
}

export function getMessage(
  ctx: GetMessageContext,
  topic: string,
  queueId: number,
  queueOffset: number,
  maxMsgNums: number,
  filter?: MessageFilter,
): GetMessageResult {
  const queue = ctx.consumeQueues.find(topic, queueId);
  if (queue === undefined) return emptyResult(GetMessageStatus.NO_MATCHED_LOGIC_QUEUE, 0, 0, 0);
  const minOffset = queue.minQueueOffset;
  const maxOffset = queue.maxQueueOffset;
  if (maxOffset === 0)
    return emptyResult(GetMessageStatus.NO_MESSAGE_IN_QUEUE, 0, minOffset, maxOffset);
  if (queueOffset < minOffset)
    return emptyResult(GetMessageStatus.OFFSET_TOO_SMALL, minOffset, minOffset, maxOffset);
  if (queueOffset === maxOffset)
    return emptyResult(GetMessageStatus.OFFSET_OVERFLOW_ONE, queueOffset, minOffset, maxOffset);
  if (queueOffset > maxOffset) {
    const next = minOffset === 0 ? minOffset : maxOffset;
    return emptyResult(GetMessageStatus.OFFSET_OVERFLOW_BADLY, next, minOffset, maxOffset);
  }
  const units = queue.readUnits(queueOffset, Math.max(MIN_SCANNED_UNITS, maxMsgNums));
  if (units === null) {
    return emptyResult(
      GetMessageStatus.OFFSET_FOUND_NULL,
      queue.rollNextFile(queueOffset),
      minOffset,
      maxOffset,
    );
  }
  const sel = selectUnits(ctx, units, maxMsgNums, filter);
  const result = emptyResult(sel.status, queueOffset + sel.scannedUnits, minOffset, maxOffset);
  let read: number;
  if (filter?.matchesRecord !== undefined) {
    result.messageBuffers.push(...(sel.records ?? []));
    read = result.messageBuffers.length;
    if (read === 0 && sel.stoppedAtUnreadable === true) {
      result.status = GetMessageStatus.MESSAGE_WAS_REMOVING;
    }
  } else {
    read = readSelected(ctx.commitLog, sel, result.messageBuffers);
  }
  if (read < sel.physicalOffsets.length) {
    // Stop before the first record we could not read, so the consumer asks for it again.
    result.nextBeginOffset = queueOffset + sel.unitIndexes[read];
    if (read === 0) result.status = GetMessageStatus.MESSAGE_WAS_REMOVING;
  }
  result.messageCount = read;
  for (const buffer of result.messageBuffers) result.bufferTotalSize += buffer.length;
  result.suggestPullingFromSlave =
    ctx.commitLog.writtenPhysicalOffset - sel.lastPulledPhysicalOffset > ctx.inMemoryBytes;
  return result;
}
