// QUERY_MESSAGE by key (Java DefaultMessageStore.queryMessage): index lookups newest first; if
// a pass finds offsets but no readable record, retry (up to three passes) with the time window
// ending at the first record found. Records are returned as raw commit-log bytes.
import type { CommitLog } from './commit-log';
import type { IndexService } from './index-service';

export interface QueryMessageResult {
  /** Raw stored records, ordered by commit-log offset. */
  messageBuffers: Buffer[];
  bufferTotalSize: number;
  indexLastUpdateTimestamp: number;
  indexLastUpdatePhyoffset: number;
}

const QUERY_PASSES = 3;

export function queryMessage(
  indexService: IndexService | null,
  commitLog: CommitLog,
  topic: string,
  key: string,
  maxNum: number,
  beginTimestampMs: number,
  endTimestampMs: number,
): QueryMessageResult {
  const result: QueryMessageResult = {
    messageBuffers: [],
    bufferTotalSize: 0,
    indexLastUpdateTimestamp: 0,
    indexLastUpdatePhyoffset: 0,
  };
  if (indexService === null) return result;
  let lastQueryMsgTimeMs = endTimestampMs;
  for (let pass = 0; pass < QUERY_PASSES; pass++) {
    const found = indexService.queryOffset(topic, key, maxNum, beginTimestampMs, lastQueryMsgTimeMs);
    if (found.phyOffsets.length === 0) break;
    found.phyOffsets.sort((a, b) => a - b);
    result.indexLastUpdateTimestamp = found.indexLastUpdateTimestamp;
    result.indexLastUpdatePhyoffset = found.indexLastUpdatePhyoffset;
    found.phyOffsets.forEach((physicalOffset, i) => {
      const record = commitLog.lookRecord(physicalOffset);
      if (record === null) return;
      if (i === 0) lastQueryMsgTimeMs = commitLog.pickupStoreTimestamp(physicalOffset, record.length);
      result.messageBuffers.push(record);
      result.bufferTotalSize += record.length;
    });
    if (result.bufferTotalSize > 0 || lastQueryMsgTimeMs < beginTimestampMs) break;
  }
  return result;
}
