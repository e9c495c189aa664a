// The message index (Java IndexService): `<storePathRootDir>/index/<yyyyMMddHHmmssSSS>` files,
// each holding up to maxIndexNum keys. Every record gets its UNIQ_KEY and each space-separated
// KEYS token indexed as "topic#key" (ROLLBACK records are not indexed; records below the last
// file's ENDPHYOFFSET are skipped, so recovery may offer records twice).
//
// After a crash, files whose ENDTIMESTAMP is newer than the checkpoint's indexMsgTimestamp are
// repaired (index-file-repair.ts; Java deletes them), and once the commit log's end is known,
// entries past it are removed. The index is fsynced (and that timestamp advanced) every flush.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MessageConst, findMessageProperty } from '../codec/message/message-properties';
import { MessageSysFlag, getTransactionValue } from '../codec/message/message-sys-flag';
import type { FileHandleCache } from './file-handle-cache';
import { type IndexFile, openIndexFile } from './index-file';
import { repairIndexFile, truncateIndexFile } from './index-file-repair';
import type { StoreCheckpoint } from './store-checkpoint';

/** Java maxMsgsNumBatch: one query returns at most this many offsets. */
const MAX_QUERY_RESULTS = 64;

/** What the index needs from one stored record. */
export interface IndexRequest {
  topic: string;
  physicalOffset: number;
  storeTimestampMs: number;
  sysFlag: number;
  propertiesString: string;
}

export interface QueryOffsetResult {
  phyOffsets: number[];
  indexLastUpdateTimestamp: number;
  indexLastUpdatePhyoffset: number;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** Java UtilAll.timeMillisToHumanString: yyyyMMddHHmmssSSS in local time. */
export function indexFileName(timestampMs: number): string {
  const d = new Date(timestampMs);
  return (
    `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}` +
    `${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}${pad(d.getMilliseconds(), 3)}`
  );
}

export class IndexService {
  private readonly files: IndexFile[] = [];
  /** Full files whose last entries may not be on disk yet. */
  private readonly retired: IndexFile[] = [];
  private flushedTimestampMs = 0;

  constructor(
    readonly dirPath: string,
    private readonly hashSlotNum: number,
    private readonly indexNum: number,
    private readonly handles: FileHandleCache,
    private readonly checkpoint: StoreCheckpoint,
  ) {}

  /**
   * Opens the existing files; after a crash, repairs those newer than the checkpoint. Records
   * from `recheckFromPhysicalOffset` on will be offered again by recovery.
   */
  load(lastExitOk: boolean, recheckFromPhysicalOffset: number): void {
    if (!fs.existsSync(this.dirPath)) return;
    const names = fs
      .readdirSync(this.dirPath)
      .filter((name) => /^\d{17}$/.test(name))
      .sort();
    for (const name of names) {
      const file = openIndexFile(this.dirPath, name, this.hashSlotNum, this.indexNum, this.handles);
      if (!lastExitOk && file.header.endTimestampMs > this.checkpoint.indexMsgTimestampMs) {
        repairIndexFile(file, this.checkpoint.indexMsgTimestampMs, recheckFromPhysicalOffset);
      }
      this.files.push(file);
    }
    const last = this.files[this.files.length - 1];
    this.flushedTimestampMs = last?.header.endTimestampMs ?? 0;
  }

  /** After recovery: removes entries of records at or past the commit log's end. */
  truncate(endPhysicalOffset: number): void {
    while (this.files.length > 0) {
      const last = this.files[this.files.length - 1];
      const empty = truncateIndexFile(last, endPhysicalOffset);
      if (!empty || this.files.length === 1) break;
      this.files.pop()!.file.destroy();
    }
    const last = this.files[this.files.length - 1];
    this.flushedTimestampMs = Math.min(this.flushedTimestampMs, last?.header.endTimestampMs ?? 0);
  }

  /**
   * Records below this commit-log offset are already indexed: past ENDPHYOFFSET (the last
   * record indexed, whose keys are always complete), or from it on when nothing was indexed.
   */
  get indexedUntil(): number {
    const last = this.files[this.files.length - 1];
    if (last === undefined) return 0;
    const hasIndexed = last.header.indexCount > 1 || this.files.length > 1;
    return last.header.endPhyOffset + (hasIndexed ? 1 : 0);
  }

  /** Java IndexService.buildIndex for a run of records, then one write per touched file. */
  buildIndex(requests: readonly IndexRequest[]): void {
    let file = this.activeFile();
    for (const request of requests) {
      if (request.physicalOffset < this.indexedUntil) continue;
      const type = getTransactionValue(request.sysFlag);
      if (type === MessageSysFlag.TRANSACTION_ROLLBACK_TYPE) continue;
      const properties = request.propertiesString;
      const uniqKey = findMessageProperty(properties, MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX);
      if (uniqKey !== undefined) file = this.putKey(file, request, uniqKey);
      const keys = findMessageProperty(properties, MessageConst.PROPERTY_KEYS);
      if (keys === undefined) continue;
      for (const key of keys.split(MessageConst.KEY_SEPARATOR)) {
        if (key.length > 0) file = this.putKey(file, request, key);
      }
    }
    file.commit();
  }

  /** Java IndexService.queryOffset: newest files first, at most 64 offsets. */
  queryOffset(topic: string, key: string, maxNum: number, beginMs: number, endMs: number): QueryOffsetResult {
    const phyOffsets: number[] = [];
    const limit = Math.min(maxNum, MAX_QUERY_RESULTS);
    const last = this.files[this.files.length - 1];
    for (let i = this.files.length - 1; i >= 0; i--) {
      const file = this.files[i];
      if (file.isTimeMatched(beginMs, endMs)) {
        file.selectPhyOffsets(phyOffsets, `${topic}#${key}`, limit, beginMs, endMs);
      }
      if (file.header.beginTimestampMs < beginMs || phyOffsets.length >= limit) break;
    }
    return {
      phyOffsets,
      indexLastUpdateTimestamp: last?.header.endTimestampMs ?? 0,
      indexLastUpdatePhyoffset: last?.header.endPhyOffset ?? 0,
    };
  }

  /** fdatasync of the newest file, then the checkpoint's indexMsgTimestamp moves forward. */
  async flush(): Promise<void> {
    const last = this.files[this.files.length - 1];
    if (last === undefined || last.header.endTimestampMs <= this.flushedTimestampMs) return;
    const endTimestampMs = last.header.endTimestampMs;
    await last.flushSlotsAsync();
    const retired = this.retired.splice(0);
    await Promise.all([...retired, last].map((file) => file.file.flushAsync()));
    this.flushedTimestampMs = endTimestampMs;
    this.checkpoint.indexMsgTimestampMs = endTimestampMs;
  }

  flushSync(): void {
    const last = this.files[this.files.length - 1];
    if (last === undefined) return;
    for (const file of this.retired.splice(0)) file.file.flushSync();
    last.flushSlots();
    last.file.flushSync();
    this.checkpoint.indexMsgTimestampMs = last.header.endTimestampMs;
  }

  /** Deletes files whose every entry points below the commit log's new minimum. */
  deleteExpiredFiles(minPhysicalOffset: number): void {
    while (this.files.length > 1 && this.files[0].header.endPhyOffset < minPhysicalOffset) {
      this.files.shift()!.file.destroy();
    }
  }

  close(): void {
    for (const file of this.files) file.file.close();
  }

  private putKey(file: IndexFile, request: IndexRequest, key: string): IndexFile {
    const indexKey = `${request.topic}#${key}`;
    let current = file;
    while (!current.putKey(indexKey, request.physicalOffset, request.storeTimestampMs)) {
      current = this.activeFile();
    }
    return current;
  }

  /** The last file, or a new one when there is none or it is full (Java getAndCreateLastIndexFile). */
  private activeFile(): IndexFile {
    const last = this.files[this.files.length - 1];
    if (last !== undefined && !last.isFull) return last;
    fs.mkdirSync(this.dirPath, { recursive: true });
    let createdMs = Date.now();
    while (fs.existsSync(path.join(this.dirPath, indexFileName(createdMs)))) createdMs++;
    const name = indexFileName(createdMs);
    const file = openIndexFile(this.dirPath, name, this.hashSlotNum, this.indexNum, this.handles);
    if (last !== undefined) {
      last.releaseSlots();
      this.retired.push(last);
      const header = file.header;
      header.beginPhyOffset = header.endPhyOffset = last.header.endPhyOffset;
      header.beginTimestampMs = header.endTimestampMs = last.header.endTimestampMs;
    }
    this.files.push(file);
    return file;
  }
}
