// Non-throwing validation of the bytes at one commit-log position, for recovery and for lookups of
// untrusted offsets (Java CommitLog.checkMessageAndReturnSize, made stricter: lengths must add up
// to TOTALSIZE, and BODYCRC is always verified).
//
//   position = record | blank | empty | garbage
//   blank    = TOTALSIZE:int32 (bytes left in the segment) MAGICCODE:int32 = 0xCBD43194 *filler
//   empty    = TOTALSIZE 0 and MAGICCODE 0 (never-written, zero-filled space)
//   record   = see message-record.ts
import { messageBodyCrc } from './body-crc';
import { readInt64BE } from './buffer-int64';
import {
  BLANK_MAGIC_CODE,
  BODYCRC_POSITION,
  MAGICCODE_POSITION,
  MESSAGE_MAGIC_CODE,
  MIN_RECORD_SIZE_BYTES,
  PHYSICALOFFSET_POSITION,
  SYSFLAG_POSITION,
  TOTALSIZE_POSITION,
  recordLayout,
} from './message-record-layout';

export type RecordCheckStatus =
  /** A whole, self-consistent message record with a matching BODYCRC. */
  | 'ok'
  /** The end-of-segment filler; `sizeBytes` = the bytes left in the segment. */
  | 'blank'
  /** Zero bytes: space that was never written. */
  | 'empty'
  /** MAGICCODE is neither the message nor the blank magic. */
  | 'bad-magic'
  /** TOTALSIZE or a field length is impossible or disagrees with the others. */
  | 'bad-length'
  /** The buffer ends before the record does. */
  | 'truncated'
  /** BODYCRC does not match the body. */
  | 'bad-crc'
  /** PHYSICALOFFSET differs from the position the caller read the record at. */
  | 'bad-offset';

export interface RecordCheck {
  status: RecordCheckStatus;
  /** TOTALSIZE for 'ok', 'blank' and 'truncated' (when known); 0 otherwise. */
  sizeBytes: number;
}

export interface RecordCheckOptions {
  /** Verify BODYCRC (default true). */
  checkCrc?: boolean;
  /** When given, PHYSICALOFFSET must equal it (catches stale or shifted bytes). */
  expectedPhysicalOffset?: number;
  /** Records larger than this are 'bad-length' (e.g. maxMessageSize plus slack). */
  maxSizeBytes?: number;
}

function result(status: RecordCheckStatus, sizeBytes = 0): RecordCheck {
  return { status, sizeBytes };
}

/** The lengths inside the record must add up to TOTALSIZE exactly. */
function lengthsAgree(source: Buffer, position: number, sizeBytes: number): boolean {
  const end = position + sizeBytes;
  const layout = recordLayout(source.readInt32BE(position + SYSFLAG_POSITION));
  let cursor = position + layout.bodyLengthPosition;
  if (cursor + 4 > end) return false;
  const bodySizeBytes = source.readInt32BE(cursor);
  if (bodySizeBytes < 0 || cursor + 4 + bodySizeBytes + 3 > end) return false;
  cursor += 4 + bodySizeBytes;
  const topicSizeBytes = source.readInt8(cursor);
  if (topicSizeBytes < 0 || cursor + 1 + topicSizeBytes + 2 > end) return false;
  cursor += 1 + topicSizeBytes;
  return cursor + 2 + source.readInt16BE(cursor) === end;
}

function crcMatches(source: Buffer, position: number): boolean {
  const layout = recordLayout(source.readInt32BE(position + SYSFLAG_POSITION));
  const bodyLengthAt = position + layout.bodyLengthPosition;
  const bodyStart = bodyLengthAt + 4;
  const body = source.subarray(bodyStart, bodyStart + source.readInt32BE(bodyLengthAt));
  return messageBodyCrc(body) === source.readInt32BE(position + BODYCRC_POSITION);
}

/** Classifies the bytes at `position` without throwing. */
export function checkMessageRecord(source: Buffer, position: number, options: RecordCheckOptions = {}): RecordCheck {
  const available = source.length - position;
  if (available < 8) return result('truncated');
  const sizeBytes = source.readInt32BE(position + TOTALSIZE_POSITION);
  const magicCode = source.readInt32BE(position + MAGICCODE_POSITION);
  if (magicCode === BLANK_MAGIC_CODE) {
    return sizeBytes >= 8 ? result('blank', sizeBytes) : result('bad-length');
  }
  if (magicCode !== MESSAGE_MAGIC_CODE) {
    return sizeBytes === 0 && magicCode === 0 ? result('empty') : result('bad-magic');
  }
  const maxSizeBytes = options.maxSizeBytes ?? 0x7fffffff;
  if (sizeBytes < MIN_RECORD_SIZE_BYTES || sizeBytes > maxSizeBytes) return result('bad-length');
  if (sizeBytes > available) return result('truncated', sizeBytes);
  if (!lengthsAgree(source, position, sizeBytes)) return result('bad-length');
  const expected = options.expectedPhysicalOffset;
  if (expected !== undefined && readInt64BE(source, position + PHYSICALOFFSET_POSITION) !== expected) {
    return result('bad-offset', sizeBytes);
  }
  if (options.checkCrc !== false && !crcMatches(source, position)) return result('bad-crc', sizeBytes);
  return result('ok', sizeBytes);
}
