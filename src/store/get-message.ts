// Reading a batch of messages for a pull (Java DefaultMessageStore.getMessage, master role).
//
//   no queue                  -> NO_MATCHED_LOGIC_QUEUE, next 0
//   queue empty (max == 0)    -> NO_MESSAGE_IN_QUEUE,    next 0
//   offset < min              -> OFFSET_TOO_SMALL,       next min
//   offset == max             -> OFFSET_OVERFLOW_ONE,    next offset
//   offset > max              -> OFFSET_OVERFLOW_BADLY,  next min if min == 0 else max
//   unit file missing         -> OFFSET_FOUND_NULL,      next start of the next queue file
//   (a SLAVE keeps the asked offset as `next` in the cases above, unless offsetCheckInSlave)
//   otherwise scan units (at most max(800, maxMsgNums)): skip non-matching tags
//   (NO_MATCHED_MESSAGE), skip records whose segment is gone (MESSAGE_WAS_REMOVING), stop when
//   the batch is full (maxMsgNums, maxTransfer* by in-memory / on-disk); next = offset + scanned.
//
// Selection uses only the 20-byte units; the chosen records are then read with as few reads as
// possible (neighbouring records in one read) and handed out as slices, or for a consumer's pull
// as one body. A filter with a second stage (matchesRecord, Java isMatchedByCommitLog: SQL92 on
// the message properties) needs each candidate record itself, so those are read one by one during
// selection; non-matching records count like tag misses (NO_MATCHED_MESSAGE when nothing matched).
//
// The steps are one generator that yields each read it needs (units of a consume queue, a span
// of the commit log) and gets the bytes back. `getMessage` answers every read at once;
// `getMessageNonBlocking` does too while the bytes are probably in the page cache, and moves a
// read of cold bytes (a backlog loaded from an earlier run, or far behind the log end) to the
// libuv thread pool, so sends keep flowing while a consumer catches up from disk.
import type { BodyRing } from '../common/body-ring';
import { CQ_STORE_UNIT_SIZE } from './consume-queue-unit';
import { readSelected, selectUnits } from './get-message-select';
import { type GetMessageResult, GetMessageStatus } from './put-message-status';
import { BODY_BY_REFERENCE, type GetMessageContext, type MessageFilter, type ReadRequest } from './get-message-types';

export type { GetMessageContext, MessageFilter, ReadRequest } from './get-message-types';

/** Java: at most max(16000, maxMsgNums * 20) bytes of units are scanned per request. */
const MIN_SCANNED_UNITS = 16000 / CQ_STORE_UNIT_SIZE;
/**
 * The first read asks for maxMsgNums + this many units, not for all 800 Java may scan: most pulls
 * fill their batch from it, and a filter that skips units reads more (doubling) only as needed.
 */
const FIRST_CHUNK_SLACK_UNITS = 32;

/** What a pull asks for: up to maxMsgNums messages of one queue from queueOffset on. */
export interface GetMessageQuery {
  topic: string;
  queueId: number;
  queueOffset: number;
  maxMsgNums: number;
  filter?: MessageFilter;
  /**
   * True once nobody waits for the answer (the consumer's connection closed). An off-loop read
   * checks it when its turn comes, and the pull then ends without reading.
   */
  abandoned?: () => boolean;
  /**
   * getMessageNonBlocking: a body read in line is not done; the answer refers to its commit-log
   * runs (GetMessageResult.bodyRef) for the consumer's connection worker to read. Cold bodies are
   * still read here, on the thread pool.
   */
  bodyByReference?: boolean;
}

type Steps = Generator<ReadRequest, GetMessageResult, Buffer | null>;

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

/** Java nextOffsetCorrection: a slave does not move a consumer's offset unless offsetCheckInSlave. */
function nextOffsetCorrection(ctx: GetMessageContext, oldOffset: number, newOffset: number): number {
  return ctx.config.brokerRole !== 'SLAVE' || ctx.config.offsetCheckInSlave ? newOffset : oldOffset;
}

/** With `joinedBody`, the records read without a second-stage filter come as one `body`. */
function* getMessageSteps(ctx: GetMessageContext, query: GetMessageQuery, joinedBody: boolean): Steps {
  const { topic, queueId, queueOffset, maxMsgNums, filter } = query;
  const correct = (newOffset: number): number => nextOffsetCorrection(ctx, queueOffset, newOffset);
  const queue = ctx.consumeQueues.find(topic, queueId);
  if (queue === undefined) return emptyResult(GetMessageStatus.NO_MATCHED_LOGIC_QUEUE, correct(0), 0, 0);
  const minOffset = queue.minQueueOffset;
  const maxOffset = queue.maxQueueOffset;
  if (maxOffset === 0) return emptyResult(GetMessageStatus.NO_MESSAGE_IN_QUEUE, correct(0), minOffset, maxOffset);
  if (queueOffset < minOffset)
    return emptyResult(GetMessageStatus.OFFSET_TOO_SMALL, correct(minOffset), minOffset, maxOffset);
  if (queueOffset === maxOffset)
    return emptyResult(GetMessageStatus.OFFSET_OVERFLOW_ONE, queueOffset, minOffset, maxOffset);
  if (queueOffset > maxOffset) {
    const next = correct(minOffset === 0 ? minOffset : maxOffset);
    return emptyResult(GetMessageStatus.OFFSET_OVERFLOW_BADLY, next, minOffset, maxOffset);
  }
  const limitUnits = Math.min(Math.max(MIN_SCANNED_UNITS, maxMsgNums), maxOffset - queueOffset);
  const firstRequestedUnits = Math.min(limitUnits, maxMsgNums + FIRST_CHUNK_SLACK_UNITS);
  const firstChunk = yield { kind: 'units', queue, queueOffset, maxUnits: firstRequestedUnits };
  if (firstChunk === null) {
    const next = correct(queue.rollNextFile(queueOffset));
    return emptyResult(GetMessageStatus.OFFSET_FOUND_NULL, next, minOffset, maxOffset);
  }
  const scan = { queue, queueOffset, limitUnits, firstChunk, firstRequestedUnits };
  const sel = yield* selectUnits(ctx, scan, maxMsgNums, filter);
  const result = emptyResult(sel.status, queueOffset + sel.scannedUnits, minOffset, maxOffset);
  let read: number;
  if (filter?.matchesRecord !== undefined) {
    result.messageBuffers.push(...(sel.records ?? []));
    read = result.messageBuffers.length;
    if (read === 0 && sel.stoppedAtUnreadable === true) {
      result.status = GetMessageStatus.MESSAGE_WAS_REMOVING;
    }
  } else {
    read = yield* readSelected(ctx.commitLog.fileSizeBytes, sel, joinedBody ? null : result.messageBuffers);
    if (sel.body !== undefined) {
      result.body = sel.body;
      result.bufferTotalSize = sel.body.length;
    } else if (sel.bodyRuns !== undefined) {
      const { writtenPhysicalOffset } = ctx.commitLog;
      result.bodyRef = { runs: sel.bodyRuns, totalBytes: sel.totalBytes, writtenPhysicalOffset };
      result.bufferTotalSize = sel.totalBytes;
    }
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

function readNow(ctx: GetMessageContext, request: ReadRequest, bodyRing?: BodyRing): Buffer | null {
  if (request.kind === 'units') return request.queue.readUnits(request.queueOffset, request.maxUnits);
  return ctx.commitLog.readRuns(request.runs, request.totalBytes, bodyRing);
}

function isCold(ctx: GetMessageContext, request: ReadRequest): boolean {
  if (request.kind === 'log') return !ctx.commitLog.isHot(request.runs[0], ctx.hotWindowBytes);
  const hotWindowUnits = ctx.hotWindowBytes / CQ_STORE_UNIT_SIZE;
  return !request.queue.isHot(request.queueOffset, hotWindowUnits);
}

/** Cold units a pull of the same queue read ahead (cold-units.ts), when they hold all of the request. */
function keptUnits(request: ReadRequest): Buffer | undefined {
  return request.kind === 'units' ? request.queue.keptUnits(request.queueOffset, request.maxUnits) : undefined;
}

const ABANDONED = Symbol('abandoned');

function readOffLoop(
  ctx: GetMessageContext,
  request: ReadRequest,
  abandoned: (() => boolean) | undefined,
): Promise<Buffer | null | typeof ABANDONED> {
  return ctx.readGate.run(async () => {
    if (abandoned?.() === true) return ABANDONED;
    return request.kind === 'units'
      ? request.queue.readUnitsAhead(request.queueOffset, request.maxUnits)
      : ctx.commitLog.readRunsAsync(request.runs, request.totalBytes);
  });
}

/** Java DefaultMessageStore.getMessage: every read blocks (recovery tools, tests, system topics). */
export function getMessage(ctx: GetMessageContext, query: GetMessageQuery): GetMessageResult {
  const steps = getMessageSteps(ctx, query, false);
  let step = steps.next();
  while (step.done !== true) step = steps.next(readNow(ctx, step.value));
  return step.value;
}

/**
 * As `getMessage`, but a read of cold bytes goes to the thread pool: the answer is then a
 * promise, which is null when the query was abandoned meanwhile. Pulls near the log end (the
 * common case) still answer at once, with no promise. The records come as one `body` (or as
 * `bodyRef`), except those a second-stage filter read one by one.
 */
export function getMessageNonBlocking(
  ctx: GetMessageContext,
  query: GetMessageQuery,
): GetMessageResult | Promise<GetMessageResult | null> {
  const steps = getMessageSteps(ctx, query, true);
  let step = steps.next();
  while (step.done !== true) {
    const request = step.value;
    if (isCold(ctx, request)) {
      const kept = keptUnits(request);
      if (kept === undefined) return finishOffLoop(ctx, steps, request, query.abandoned);
      step = steps.next(kept);
      continue;
    }
    if (query.bodyByReference === true && request.kind === 'log' && request.body === true) {
      step = steps.next(BODY_BY_REFERENCE);
      continue;
    }
    // answered in this turn: the records may sit in ring memory until the answer's write is done
    step = steps.next(readNow(ctx, request, ctx.pullBodyRing));
  }
  return step.value;
}

async function finishOffLoop(
  ctx: GetMessageContext,
  steps: Steps,
  first: ReadRequest,
  abandoned: (() => boolean) | undefined,
): Promise<GetMessageResult | null> {
  let request = first;
  for (;;) {
    // never ring memory here: a later read may make the answer wait past this turn
    const bytes = isCold(ctx, request)
      ? (keptUnits(request) ?? (await readOffLoop(ctx, request, abandoned)))
      : readNow(ctx, request);
    if (bytes === ABANDONED) return null;
    const step = steps.next(bytes);
    if (step.done === true) return step.value;
    request = step.value;
  }
}
