// A slave's dispatch (Java DefaultMessageStore.ReputMessageService): the commit log grows by raw
// bytes from the master (CommitLog.appendData), in frames that end anywhere, even inside a record.
// After each append the reput reads on from the end of the last whole record it dispatched
// (`reputFromOffset`), hands every record that is now complete to the dispatcher (consume-queue
// units, arriving listeners, then the index) and stops at the first incomplete one; it skips a
// segment's end blank once the whole segment has arrived. The fields come from the record itself,
// as Java's checkMessageAndReturnSize takes them (tagsCode: the TAGS hash, or the deliver time
// for SCHEDULE_TOPIC_XXXX). A record that fails its checks stops the reput (logged once): the
// bytes do not match the master's, and the next start cuts the log there (recovery).
import { readInt64BE } from '../codec/message/buffer-int64';
import { checkMessageRecord } from '../codec/message/message-record-check';
import {
  QUEUEID_POSITION,
  QUEUEOFFSET_POSITION,
  SYSFLAG_POSITION,
  recordLayout,
} from '../codec/message/message-record-layout';
import type { CommitLog } from './commit-log';
import type { DispatchRequest } from './dispatch-request';
import type { FlushProgress } from './flush-service';
import type { BatchHooks } from './sync-flush-queue';
import { recordTagsCode } from './store-recovery';

/** Bytes read per step; a larger record is read whole. */
const READ_CHUNK_BYTES = 1024 * 1024;

/** The dispatch request of the whole record at `source[position]`. */
export function readDispatchRequest(
  source: Buffer,
  position: number,
  physicalOffset: number,
  sizeBytes: number,
  delayLevelsMs: number[],
): DispatchRequest {
  const sysFlag = source.readInt32BE(position + SYSFLAG_POSITION);
  const layout = recordLayout(sysFlag);
  const bodyAt = position + layout.bodyLengthPosition;
  const topicAt = bodyAt + 4 + source.readInt32BE(bodyAt);
  const topicEnd = topicAt + 1 + source.readInt8(topicAt);
  const topic = source.toString('utf8', topicAt + 1, topicEnd);
  const propertiesString = source.toString('utf8', topicEnd + 2, position + sizeBytes);
  const storeTimestampMs = readInt64BE(source, position + layout.storeTimestampPosition);
  return {
    topic,
    queueId: source.readInt32BE(position + QUEUEID_POSITION),
    queueOffset: readInt64BE(source, position + QUEUEOFFSET_POSITION),
    physicalOffset,
    sizeBytes,
    tagsCode: recordTagsCode(topic, propertiesString, storeTimestampMs, delayLevelsMs),
    storeTimestampMs,
    sysFlag,
    propertiesString,
  };
}

export class ReputMessageService {
  /** Every record below this offset has been dispatched; a record (or segment) starts here. */
  reputFromOffset = 0;
  private stopped = false;

  constructor(
    private readonly commitLog: CommitLog,
    private readonly hooks: BatchHooks,
    private readonly progress: FlushProgress,
    private readonly delayLevelsMs: number[],
    private readonly log: (message: string) => void,
  ) {}

  /** True once a record failed its checks (nothing more is dispatched until a restart). */
  get isStopped(): boolean {
    return this.stopped;
  }

  /** Dispatches every record that is complete in the commit log now. */
  doReput(): void {
    const requests: DispatchRequest[] = [];
    while (!this.stopped && this.reputFromOffset < this.commitLog.writtenPhysicalOffset) {
      if (!this.reputChunk(requests)) break;
    }
    if (requests.length === 0) return;
    this.progress.lastWrittenStoreTimestampMs = requests[requests.length - 1].storeTimestampMs;
    this.hooks.dispatch(requests, this.reputFromOffset);
    this.hooks.afterAnswer(requests);
  }

  /** One read from reputFromOffset; false when nothing more can be dispatched now. */
  private reputChunk(requests: DispatchRequest[]): boolean {
    const log = this.commitLog;
    const file = log.files.findFile(this.reputFromOffset);
    if (file === undefined) return this.fail(`no segment holds offset ${this.reputFromOffset}`);
    const end = Math.min(log.writtenPhysicalOffset, file.fileEndOffset);
    const chunk = log.read(this.reputFromOffset, Math.min(READ_CHUNK_BYTES, end - this.reputFromOffset));
    if (chunk === null) return false;
    let position = 0;
    for (;;) {
      const physicalOffset = this.reputFromOffset;
      const options = {
        checkCrc: false,
        expectedPhysicalOffset: physicalOffset,
        maxSizeBytes: file.fileEndOffset - physicalOffset,
      };
      const check = checkMessageRecord(chunk, position, options);
      if (check.status === 'ok') {
        requests.push(readDispatchRequest(chunk, position, physicalOffset, check.sizeBytes, this.delayLevelsMs));
        this.reputFromOffset += check.sizeBytes;
        position += check.sizeBytes;
        continue;
      }
      if (check.status === 'blank' && check.sizeBytes === file.fileEndOffset - physicalOffset) {
        if (log.writtenPhysicalOffset < file.fileEndOffset) return false; // the rest of the segment is still coming
        this.reputFromOffset = file.fileEndOffset;
        return true;
      }
      if (check.status === 'truncated') {
        if (position > 0) return true; // the next read starts at this record
        const sizeBytes = check.sizeBytes;
        // Larger than a chunk but all written: read it alone; else its bytes are still coming.
        return (
          sizeBytes > 0 && physicalOffset + sizeBytes <= end && this.readWhole(requests, physicalOffset, sizeBytes)
        );
      }
      return this.fail(`record at ${physicalOffset} is ${check.status}`);
    }
  }

  /** A record larger than one chunk: read and dispatch it alone. */
  private readWhole(requests: DispatchRequest[], physicalOffset: number, sizeBytes: number): boolean {
    const record = this.commitLog.read(physicalOffset, sizeBytes);
    if (record === null) return false;
    const check = checkMessageRecord(record, 0, { checkCrc: false, expectedPhysicalOffset: physicalOffset });
    if (check.status !== 'ok') return this.fail(`record at ${physicalOffset} is ${check.status}`);
    requests.push(readDispatchRequest(record, 0, physicalOffset, sizeBytes, this.delayLevelsMs));
    this.reputFromOffset += sizeBytes;
    return true;
  }

  private fail(reason: string): boolean {
    this.stopped = true;
    this.log(`reput stopped at ${this.reputFromOffset}: ${reason}; the commit log is cut there at the next start`);
    return false;
  }
}
