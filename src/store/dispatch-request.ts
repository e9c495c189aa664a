// What callers hand to the store, and what the store hands to its consume queues.
import type { HostAddress } from '../codec/message/host-address';

/** One message to append (the broker has already rewritten topic/queue for delay, retry, etc.). */
export interface MessageToStore {
  topic: string;
  queueId: number;
  flag: number;
  body: Buffer;
  propertiesString: string;
  /** TAGS hash (javaStringHashCode), 0 without tags; deliver time for SCHEDULE_TOPIC_XXXX. */
  tagsCode: number;
  /** Host-layout bits (0x10, 0x20) are set by the store from the address lengths. */
  sysFlag: number;
  bornTimestampMs: number;
  bornHost: HostAddress;
  storeHost: HostAddress;
  reconsumeTimes: number;
  preparedTransactionOffset: number;
  /**
   * A put the broker makes for itself (redeliveries, send-backs, transaction records): Java sets
   * WAIT=false on these (setWaitStoreMsgOK), so they never wait for a slave. (They still wait for
   * SYNC_FLUSH when their stored properties say WAIT=true, as before.)
   */
  brokerInternal?: boolean;
}

export interface BatchElementToStore {
  flag: number;
  body: Buffer;
  propertiesString: string;
  tagsCode: number;
}

/** A SEND_BATCH_MESSAGE: every element becomes its own record, all in one segment. */
export interface BatchToStore {
  topic: string;
  queueId: number;
  sysFlag: number;
  bornTimestampMs: number;
  bornHost: HostAddress;
  storeHost: HostAddress;
  reconsumeTimes?: number;
  elements: BatchElementToStore[];
}

/**
 * One record just written, for the consume queue (only NOT / COMMIT records) and the index
 * (Java DispatchRequest, the fields we use).
 */
export interface DispatchRequest {
  topic: string;
  queueId: number;
  queueOffset: number;
  physicalOffset: number;
  sizeBytes: number;
  tagsCode: number;
  storeTimestampMs: number;
  sysFlag: number;
  propertiesString: string;
}

/**
 * A plain message a send worker already encoded (broker/send-workers/send-encoding.ts): `record`
 * is the whole commit-log record with QUEUEOFFSET, PHYSICALOFFSET and STORETIMESTAMP still 0 and
 * SYSFLAG as the writer gives it here (`sysFlag`, host bits included).
 */
export interface EncodedMessage {
  record: Buffer;
  topic: string;
  queueId: number;
  sysFlag: number;
  tagsCode: number;
  propertiesString: string;
  storeHost: HostAddress;
}
