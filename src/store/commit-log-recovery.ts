// Finding the end of the commit log at load (Java CommitLog.recoverNormally / recoverAbnormally).
//
// Where the scan starts (`recoveryStartOffset`): at the offset our checkpoint extension says is
// durable (everything below it is on disk, see StoreCheckpoint), when it is a record boundary
// of this log; so after a crash only the unflushed tail is checked, and after a clean shutdown
// nothing. Otherwise (a store last written by Java, an older checkpoint) Java's rule: the last
// three segments after a clean exit, the segment that starts before the checkpoint time after a
// crash. Either way no later than where the consume queues end (Java's reput offset), so
// deleted consume queues are rebuilt.
//
// From there it walks record by record, checking each one fully
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
import type { CommitLog } from './commit-log';
import type { StoreCheckpoint } from './store-checkpoint';
import type { StoreFile } from './store-file';
import { ProgressLog, storeProgressSink } from '../common/progress-log';

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

/** The segment to scan from by Java's rule: the last three after a clean exit, by checkpoint time after a crash. */
export function javaRecoveryStartFileIndex(
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

/**
 * The commit-log offset where recovery starts checking (see the top of this file).
 * `consumeQueueEndPhysicalOffset`: the furthest end of any consume queue's last unit, -1 if none.
 */
export function recoveryStartOffset(
  commitLog: CommitLog,
  lastExitOk: boolean,
  checkpoint: StoreCheckpoint,
  consumeQueueEndPhysicalOffset: number,
): number {
  const files = commitLog.files.files;
  if (files.length === 0) return 0;
  const logEnd = files[files.length - 1].fileEndOffset;
  let start = checkpoint.recoveryOffset();
  if (start >= 0) start = Math.max(start, commitLog.minPhysicalOffset);
  if (start < 0 || start > logEnd || !isRecordBoundary(commitLog, start)) {
    const index = javaRecoveryStartFileIndex(commitLog, lastExitOk, checkpoint.minTimestampMs());
    start = files[index].fileFromOffset;
  }
  const reputFrom = Math.max(consumeQueueEndPhysicalOffset, commitLog.minPhysicalOffset);
  if (reputFrom < start) {
    start = isRecordBoundary(commitLog, reputFrom) ? reputFrom : commitLog.files.findFile(reputFrom)!.fileFromOffset;
  }
  return start;
}

/** True when a record, a segment-end blank or never-written space starts at `physicalOffset`. */
function isRecordBoundary(commitLog: CommitLog, physicalOffset: number): boolean {
  const file = commitLog.files.findFile(physicalOffset);
  if (file === undefined) return physicalOffset === commitLog.files.last()!.fileEndOffset;
  const reader = new ChunkReader(file);
  const filePosition = physicalOffset - file.fileFromOffset;
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
  if (check.status === 'blank') return check.sizeBytes === file.fileSizeBytes - filePosition;
  return check.status === 'ok' || check.status === 'empty';
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
    const wanted = Math.min(Math.max(SCAN_CHUNK_BYTES, length), this.file.fileSizeBytes - filePosition);
    const buffer = Buffer.alloc(wanted);
    const got = this.file.read(buffer, 0, wanted, filePosition);
    this.buffer = got === wanted ? buffer : buffer.subarray(0, got);
    this.startFilePosition = filePosition;
    return 0;
  }
}

/**
 * Scans one segment from `filePosition`; returns the file position where valid data ends, or -1
 * if it ran to the end.
 */
function scanFile(file: StoreFile, filePosition: number, onRecord: RecoveredRecordHandler): number {
  const reader = new ChunkReader(file);
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
 * Scans from `startPhysicalOffset` (a record boundary) to the end of the log, cuts everything
 * after the last good record (zeroing the rest of its segment and deleting later segments), and
 * returns the end.
 *
 * With `dropLastRecord` (a slave), the last record scanned is cut too. A slave's log can end
 * inside a record whose missing tail reads as zeros, and a record cut inside its properties still
 * passes the checks (lengths agree, BODYCRC covers the body only; Java has the same blind spot).
 * Every earlier record was received whole; the master sends the last one again.
 */
export function recoverCommitLog(
  commitLog: CommitLog,
  startPhysicalOffset: number,
  onRecord: RecoveredRecordHandler,
  dropLastRecord = false,
): number {
  const files = commitLog.files.files;
  let endPhysicalOffset = startPhysicalOffset;
  let lastRecordPhysicalOffset = -1;
  const logEnd = files.length === 0 ? startPhysicalOffset : files[files.length - 1].fileEndOffset;
  const progress = new ProgressLog(
    'recovering commit log (consume queues and index rebuilt from it)',
    Math.max(0, logEnd - startPhysicalOffset),
    'bytes',
    storeProgressSink.print,
    storeProgressSink,
  );
  const tracked: RecoveredRecordHandler = (source, position, physicalOffset, sizeBytes) => {
    lastRecordPhysicalOffset = physicalOffset;
    onRecord(source, position, physicalOffset, sizeBytes);
    progress.tick(physicalOffset - startPhysicalOffset);
  };
  const first = commitLog.files.findFile(startPhysicalOffset);
  for (let index = first === undefined ? files.length : files.indexOf(first); index < files.length; index++) {
    const file = files[index];
    const fromPosition = Math.max(0, startPhysicalOffset - file.fileFromOffset);
    const stopAt = scanFile(file, fromPosition, tracked);
    if (stopAt >= 0) {
      endPhysicalOffset = file.fileFromOffset + stopAt;
      break;
    }
    endPhysicalOffset = file.fileEndOffset;
  }
  if (dropLastRecord && lastRecordPhysicalOffset >= 0) endPhysicalOffset = lastRecordPhysicalOffset;
  const endFile = commitLog.files.findFile(endPhysicalOffset);
  if (endFile !== undefined) {
    endFile.zeroFrom(endPhysicalOffset - endFile.fileFromOffset);
    commitLog.files.deleteFilesFrom(endFile.fileEndOffset);
  } else {
    commitLog.files.deleteFilesFrom(endPhysicalOffset);
  }
  commitLog.writtenPhysicalOffset = endPhysicalOffset;
  commitLog.flushedPhysicalOffset = endPhysicalOffset;
  commitLog.recentSpans.forgetFrom(endPhysicalOffset);
  commitLog.logBlocks.forgetFrom(endPhysicalOffset);
  commitLog.hotTail.reset(endPhysicalOffset);
  progress.finish(`log ends at ${endPhysicalOffset}`);
  return endPhysicalOffset;
}

/** fdatasync of the segments from `fromPhysicalOffset` on (the checked tail after a crash). */
export function syncRecoveredTail(commitLog: CommitLog, fromPhysicalOffset: number): void {
  for (const file of commitLog.files.files) {
    if (file.fileEndOffset > fromPhysicalOffset) file.flushSync();
  }
}
