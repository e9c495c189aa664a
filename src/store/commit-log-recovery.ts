// Finding the end of the commit log at load (Java CommitLog.recoverNormally / recoverAbnormally).
//
// The scan starts at a segment boundary and walks record by record, checking each one fully
// (lengths add up, MAGICCODE, BODYCRC, and PHYSICALOFFSET equal to the position it sits at, which
// rejects stale bytes from an earlier, longer log). A blank filler whose TOTALSIZE reaches the end
// of its segment moves on to the next segment. The first position that is none of these ends the
// log: a truncated header or body, a bad CRC, zero fill, or garbage. Every good record is handed
// to `onRecord` so the consume queues can be rebuilt. Everything after the end is cut off.
import {
  MAGICCODE_POSITION,
  MESSAGE_MAGIC_CODE,
  SYSFLAG_POSITION,
  recordLayout,
} from '../codec/message/message-record-layout';
import { readInt64BE } from '../codec/message/buffer-int64';
import { checkMessageRecord } from '../codec/message/message-record-check';
import { CommitLog } from './commit-log';
import { StoreFile } from './store-file';

const SCAN_CHUNK_BYTES = 4 * 1024 * 1024;
/** Java recoverNormally looks at the last three segments after a clean shutdown. */
const CLEAN_RECOVERY_FILES = 3;

/** Called for every good record; `source` holds it at `position`. */
export type RecoveredRecordHandler = (
  source: Buffer,
  position: number,
  physicalOffset: number,
  sizeBytes: number,
) => void;

/** The segment to scan from: the last three after a clean exit, by checkpoint after a crash. */
export function recoveryStartFileIndex(
  commitLog: CommitLog,
  lastExitOk: boolean,
  checkpointMinTimestampMs: number,
): number {
  const files = commitLog.files.files;
  if (lastExitOk) return Math.max(0, files.length - CLEAN_RECOVERY_FILES);
  for (let index = files.length - 1; index >= 0; index--) {
    const storeTimestampMs = firstStoreTimestamp(files[index]);
    if (storeTimestampMs > 0 && storeTimestampMs <= checkpointMinTimestampMs) return index;
  }
  return 0;
}

/** Java isMappedFileMatchedRecover: the first record's STORETIMESTAMP, or 0. */
function firstStoreTimestamp(file: StoreFile): number {
  const head = Buffer.alloc(128);
  if (file.read(head, 0, head.length, 0) < head.length) return 0;
  if (head.readInt32BE(MAGICCODE_POSITION) !== MESSAGE_MAGIC_CODE) return 0;
  return readInt64BE(head, recordLayout(head.readInt32BE(SYSFLAG_POSITION)).storeTimestampPosition);
}

/** A window of one file that is re-read when a record falls outside it. */
class ChunkReader {
  buffer = Buffer.alloc(0);
  /** File position of buffer[0]. */
  startFilePosition = 0;

  constructor(private readonly file: StoreFile) {}

  /** Makes sure [filePosition, filePosition + length) is in the buffer (as far as the file goes). */
  cover(filePosition: number, length: number): number {
    const end = this.startFilePosition + this.buffer.length;
    if (filePosition >= this.startFilePosition && filePosition + length <= end)
      return filePosition - this.startFilePosition;
    const wanted = Math.min(
      Math.max(SCAN_CHUNK_BYTES, length),
      this.file.fileSizeBytes - filePosition,
    );
    const buffer = Buffer.alloc(wanted);
    const got = this.file.read(buffer, 0, wanted, filePosition);
    this.buffer = got === wanted ? buffer : buffer.subarray(0, got);
    this.startFilePosition = filePosition;
    return 0;
  }
}

/** Scans one segment; returns the file position where valid data ends, or -1 if it ran to the end. */
function scanFile(file: StoreFile, onRecord: RecoveredRecordHandler): number {
  const reader = new ChunkReader(file);
  let filePosition = 0;
  while (filePosition < file.fileSizeBytes) {
    const physicalOffset = file.fileFromOffset + filePosition;
    const options = {
      expectedPhysicalOffset: physicalOffset,
      maxSizeBytes: file.fileSizeBytes - filePosition,
    };
    let position = reader.cover(filePosition, 8);
    let check = checkMessageRecord(reader.buffer, position, options);
    if (check.status === 'truncated' && check.sizeBytes > 0) {
      position = reader.cover(filePosition, check.sizeBytes);
      check = checkMessageRecord(reader.buffer, position, options);
    }
    if (check.status === 'ok') {
      onRecord(reader.buffer, position, physicalOffset, check.sizeBytes);
      filePosition += check.sizeBytes;
    } else if (check.status === 'blank' && check.sizeBytes === file.fileSizeBytes - filePosition) {
      return -1;
    } else {
      return filePosition;
    }
  }
  return -1;
}

/**
 * Scans from segment `startFileIndex` to the end of the log, cuts everything after the last good
 * record (zeroing the rest of its segment and deleting later segments), and returns the end.
 */
export function recoverCommitLog(
  commitLog: CommitLog,
  startFileIndex: number,
  onRecord: RecoveredRecordHandler,
): number {
  const files = commitLog.files.files;
  let endPhysicalOffset =
    files.length === 0 ? 0 : files[Math.min(startFileIndex, files.length - 1)].fileFromOffset;
  for (let index = startFileIndex; index < files.length; index++) {
    const stopAt = scanFile(files[index], onRecord);
    if (stopAt >= 0) {
      endPhysicalOffset = files[index].fileFromOffset + stopAt;
      break;
    }
    endPhysicalOffset = files[index].fileEndOffset;
  }
  const endFile = commitLog.files.findFile(endPhysicalOffset);
  if (endFile !== undefined) {
    endFile.zeroFrom(endPhysicalOffset - endFile.fileFromOffset);
    commitLog.files.deleteFilesFrom(endFile.fileEndOffset);
  } else {
    commitLog.files.deleteFilesFrom(endPhysicalOffset);
  }
  commitLog.writtenPhysicalOffset = endPhysicalOffset;
  commitLog.flushedPhysicalOffset = endPhysicalOffset;
  return endPhysicalOffset;
}
