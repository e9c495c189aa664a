// Store outcomes as values, named as Java's PutMessageStatus / GetMessageStatus
// (org.apache.rocketmq.store). The handlers map them to response codes in one switch each.
import type { LogBodyRef } from '../codec/remoting-command-model';

export enum PutMessageStatus {
  PUT_OK = 'PUT_OK',
  FLUSH_DISK_TIMEOUT = 'FLUSH_DISK_TIMEOUT',
  FLUSH_SLAVE_TIMEOUT = 'FLUSH_SLAVE_TIMEOUT',
  SLAVE_NOT_AVAILABLE = 'SLAVE_NOT_AVAILABLE',
  SERVICE_NOT_AVAILABLE = 'SERVICE_NOT_AVAILABLE',
  CREATE_MAPEDFILE_FAILED = 'CREATE_MAPEDFILE_FAILED',
  MESSAGE_ILLEGAL = 'MESSAGE_ILLEGAL',
  PROPERTIES_SIZE_EXCEEDED = 'PROPERTIES_SIZE_EXCEEDED',
  OS_PAGECACHE_BUSY = 'OS_PAGECACHE_BUSY',
  UNKNOWN_ERROR = 'UNKNOWN_ERROR',
}

export enum GetMessageStatus {
  FOUND = 'FOUND',
  NO_MATCHED_MESSAGE = 'NO_MATCHED_MESSAGE',
  MESSAGE_WAS_REMOVING = 'MESSAGE_WAS_REMOVING',
  OFFSET_FOUND_NULL = 'OFFSET_FOUND_NULL',
  OFFSET_OVERFLOW_BADLY = 'OFFSET_OVERFLOW_BADLY',
  OFFSET_OVERFLOW_ONE = 'OFFSET_OVERFLOW_ONE',
  OFFSET_TOO_SMALL = 'OFFSET_TOO_SMALL',
  NO_MATCHED_LOGIC_QUEUE = 'NO_MATCHED_LOGIC_QUEUE',
  NO_MESSAGE_IN_QUEUE = 'NO_MESSAGE_IN_QUEUE',
}

/** What an append wrote (Java AppendMessageResult). */
export interface AppendResult {
  /** Commit-log offset of the (first) record. */
  physicalOffset: number;
  /** Bytes written, all records of a batch together. */
  wroteBytes: number;
  /** offsetMsgId; for a batch the ids of all records joined with ','. */
  msgId: string;
  /** Consume-queue offset of the (first) record; 0 for PREPARED / ROLLBACK records. */
  queueOffset: number;
  storeTimestampMs: number;
  /** Records written (1, or the batch size). */
  msgNum: number;
}

export interface PutMessageResult {
  status: PutMessageStatus;
  /** Present when the bytes were written (PUT_OK and FLUSH_DISK_TIMEOUT). */
  appendResult?: AppendResult;
}

export interface GetMessageResult {
  status: GetMessageStatus;
  nextBeginOffset: number;
  minOffset: number;
  maxOffset: number;
  /**
   * Raw stored records, each exactly its commit-log bytes (may share one underlying buffer). Empty
   * when the records came as one piece: `body`, or `bodyRef`.
   */
  messageBuffers: Buffer[];
  /**
   * Instead of messageBuffers: the records back to back, checked in place (a pull's answer read by
   * getMessageNonBlocking without a second-stage filter: no view per record).
   */
  body?: Buffer;
  /** Instead of messageBuffers: the records' runs, not read (GetMessageQuery.bodyByReference). */
  bodyRef?: LogBodyRef;
  messageCount: number;
  bufferTotalSize: number;
  /** Java suggestPullingFromSlave: the consumer lags more than the in-memory share of RAM. */
  suggestPullingFromSlave?: boolean;
}
