// The shapes shared by the pull-read steps (get-message.ts) and the unit selection and record
// reads they call (get-message-select.ts).
import type { CommitLog } from './commit-log';
import type { ConsumeQueue } from './consume-queue';
import type { ConsumeQueueTable } from './consume-queue-table';
import type { MessageStoreConfig } from './message-store-config';
import type { BodyRing } from '../common/body-ring';
import type { AsyncGate } from './async-gate';

/** The consume-queue check on a unit's tagsCode (Java isMatchedByConsumeQueue). */
export interface MessageFilter {
  (tagsCode: number): boolean;
  /** Optional second stage on each stored record that passed the first (Java isMatchedByCommitLog). */
  matchesRecord?: (record: Buffer) => boolean;
}

export interface GetMessageContext {
  config: MessageStoreConfig;
  commitLog: CommitLog;
  consumeQueues: ConsumeQueueTable;
  /** Bytes of the log end considered "in memory" (RAM x accessMessageInMemoryMaxRatio). */
  inMemoryBytes: number;
  /** Reads of commit-log bytes further than this behind the log end go off the event loop. */
  hotWindowBytes: number;
  /** At most this many off-loop reads at once (the rest wait), so flushes keep pool threads. */
  readGate: AsyncGate;
  /**
   * Memory for the records of a consumer's pull read in line (getMessageNonBlocking): valid until
   * the next event-loop turn unless a socket write retains it (common/body-ring.ts).
   */
  pullBodyRing?: BodyRing;
}

/**
 * A read a step needs: units of a consume queue, or runs of commit-log bytes ([physicalOffset,
 * sizeBytes] pairs, oldest first) read back to back into one buffer (CommitLog.readRuns).
 */
export type ReadRequest =
  | { kind: 'units'; queue: ConsumeQueue; queueOffset: number; maxUnits: number }
  | {
      kind: 'log';
      runs: number[];
      totalBytes: number;
      /** the read of the answer's body (readSelected): a driver may answer BODY_BY_REFERENCE */
      body?: true;
    };

/**
 * The answer to a body read that is not read here: the answer then refers to the runs
 * (GetMessageResult.bodyRef) and a connection worker reads them (GetMessageQuery.bodyByReference).
 */
export const BODY_BY_REFERENCE: Buffer = Buffer.alloc(0);
