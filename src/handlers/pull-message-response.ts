// The parts of a pull's answer that do not depend on the processor: the one mapping of the store's
// GetMessageStatus to a response code, and the answer's body made of the records the store found.
import { ResponseCode } from '../codec/response-code';
import { type GetMessageResult, GetMessageStatus } from '../store/put-message-status';

/** The one place a GetMessageStatus becomes a response code (master, offsetCheckInSlave off). */
export function statusToCode(status: GetMessageStatus, requestQueueOffset: number): number {
  switch (status) {
    case GetMessageStatus.FOUND:
      return ResponseCode.SUCCESS;
    case GetMessageStatus.MESSAGE_WAS_REMOVING:
    case GetMessageStatus.NO_MATCHED_MESSAGE:
      return ResponseCode.PULL_RETRY_IMMEDIATELY;
    case GetMessageStatus.NO_MATCHED_LOGIC_QUEUE:
    case GetMessageStatus.NO_MESSAGE_IN_QUEUE:
      return requestQueueOffset !== 0 ? ResponseCode.PULL_OFFSET_MOVED : ResponseCode.PULL_NOT_FOUND;
    case GetMessageStatus.OFFSET_FOUND_NULL:
    case GetMessageStatus.OFFSET_OVERFLOW_ONE:
      return ResponseCode.PULL_NOT_FOUND;
    case GetMessageStatus.OFFSET_OVERFLOW_BADLY:
    case GetMessageStatus.OFFSET_TOO_SMALL:
      return ResponseCode.PULL_OFFSET_MOVED;
    default:
      return ResponseCode.SYSTEM_ERROR;
  }
}

/**
 * The answer's records as one body: the store's `body`, else the records a second-stage filter read
 * one by one, joined (once for a memoized answer shared by woken groups). Records read together
 * from the commit log are slices of one buffer, back to back: then the body is a view over them and
 * nothing is copied (in the body ring, such a view may span leases taken back to back:
 * Connection.send retains each).
 */
const joinedBodies = new WeakMap<GetMessageResult, Buffer>();
export function bodyOf(result: GetMessageResult): Buffer {
  if (result.body !== undefined) return result.body;
  let body = joinedBodies.get(result);
  if (body === undefined) {
    body = concatBuffers(result.messageBuffers, result.bufferTotalSize);
    if (result.messageBuffers.length > 1) joinedBodies.set(result, body);
  }
  return body;
}

function concatBuffers(buffers: Buffer[], totalBytes: number): Buffer {
  if (buffers.length === 1) return buffers[0];
  const first = buffers[0];
  let end = first.byteOffset + first.length;
  for (let i = 1; i < buffers.length; i++) {
    const next = buffers[i];
    if (next.buffer !== first.buffer || next.byteOffset !== end) return Buffer.concat(buffers, totalBytes);
    end += next.length;
  }
  return Buffer.from(first.buffer, first.byteOffset, end - first.byteOffset);
}
