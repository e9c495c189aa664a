// Builds the parts of a DefaultMessageStore and wires them together (one place, so the store
// class itself reads as its public API).
import { pullBodyRing } from '../common/body-ring';
import * as os from 'node:os';
import * as path from 'node:path';
import { CleanService } from './clean-service';
import { CommitLog } from './commit-log';
import { CommitLogDispatcher } from './commit-log-dispatcher';
import { ConsumeQueueTable, QueueOffsetTable } from './consume-queue-table';
import { FileHandleCache } from './file-handle-cache';
import { type FlushProgress, FlushService } from './flush-service';
import type { GetMessageContext } from './get-message';
import { IndexService } from './index-service';
import type { MessageStoreConfig } from './message-store-config';
import { PutMessageService } from './put-message-service';
import { AsyncGate } from './async-gate';
import { StoreCheckpoint } from './store-checkpoint';
import { getLogger } from '../common/logger';
import { HAService } from './ha/ha-service';
import type { HaSlaveStore } from './ha/ha-client';
import { parseDelayLevels } from './message-store-config';
import { ReputMessageService } from './reput-message-service';

/** Java defaults: 5 million hash slots, 4 x that many entries per index file. */
const DEFAULT_MAX_HASH_SLOT_NUM = 5000000;
const DEFAULT_IN_MEMORY_RATIO_PERCENT = 40;
const DEFAULT_CONSUME_QUEUE_FLUSH_INTERVAL_MS = 1000;
/** Pulls within this distance of the log end (and written by this process) read on the loop. */
const HOT_WINDOW_MAX_BYTES = 512 * 1024 * 1024;
/** Off-loop reads at once: the libuv pool (UV_THREADPOOL_SIZE, 4 by default) keeps room for fsync. */
const MAX_OFF_LOOP_READS = 3;

export interface StoreComponents {
  commitLog: CommitLog;
  consumeQueues: ConsumeQueueTable;
  queueOffsets: QueueOffsetTable;
  checkpoint: StoreCheckpoint;
  indexService: IndexService | null;
  progress: FlushProgress;
  dispatcher: CommitLogDispatcher;
  flushService: FlushService;
  putService: PutMessageService;
  cleanService: CleanService;
  readContext: GetMessageContext;
  haService: HAService;
  reput: ReputMessageService;
}

function createIndexService(
  config: MessageStoreConfig,
  handles: FileHandleCache,
  checkpoint: StoreCheckpoint,
): IndexService {
  const hashSlotNum = config.maxHashSlotNum ?? DEFAULT_MAX_HASH_SLOT_NUM;
  const indexNum = config.maxIndexNum ?? hashSlotNum * 4;
  const dirPath = path.join(config.storePathRootDir, 'index');
  return new IndexService(dirPath, hashSlotNum, indexNum, handles, checkpoint);
}

export function buildStoreComponents(
  config: MessageStoreConfig,
  log: (message: string) => void,
  slaveStore: HaSlaveStore,
): StoreComponents {
  const handles = new FileHandleCache();
  const root = config.storePathRootDir;
  const commitLog = new CommitLog(
    config.storePathCommitLog,
    config.mappedFileSizeCommitLog,
    config.maxMessageSize,
    handles,
  );
  const consumeQueues = new ConsumeQueueTable(
    path.join(root, 'consumequeue'),
    config.mappedFileSizeConsumeQueue,
    handles,
  );
  const queueOffsets = new QueueOffsetTable();
  const checkpoint = new StoreCheckpoint(path.join(root, 'checkpoint'));
  const indexService = config.messageIndexEnable ? createIndexService(config, handles, checkpoint) : null;
  const progress: FlushProgress = {
    lastWrittenStoreTimestampMs: 0,
    lastDispatchedStoreTimestampMs: 0,
    dispatchedPhysicalOffset: 0,
  };
  const dispatcher = new CommitLogDispatcher(consumeQueues, indexService, progress, log);
  const flushOptions = {
    syncFlush: config.flushDiskType === 'SYNC_FLUSH',
    commitLogIntervalMs: config.flushIntervalCommitLog,
    consumeQueueIntervalMs: config.flushIntervalConsumeQueue ?? DEFAULT_CONSUME_QUEUE_FLUSH_INTERVAL_MS,
    consumeQueueLeastPages: config.flushConsumeQueueLeastPages ?? 2,
    consumeQueueThoroughIntervalMs: config.flushConsumeQueueThoroughInterval ?? 60000,
    physicOffsetAtDispatched: config.brokerRole === 'SLAVE',
  };
  const flushService = new FlushService(
    commitLog,
    consumeQueues,
    checkpoint,
    progress,
    flushOptions,
    log,
    indexService,
  );

  const ratio = config.accessMessageInMemoryMaxRatio ?? DEFAULT_IN_MEMORY_RATIO_PERCENT;
  const inMemoryBytes = Math.floor((os.totalmem() * ratio) / 100);
  const hotWindowBytes = Math.min(inMemoryBytes, HOT_WINDOW_MAX_BYTES);
  const haService = new HAService(config, commitLog, slaveStore, getLogger('store'), hotWindowBytes);
  const putService = new PutMessageService(
    config,
    commitLog,
    queueOffsets,
    dispatcher,
    flushService,
    progress,
    log,
    haService,
  );
  putService.completion.onWritten = () => haService.notifyWritten();
  const reput = new ReputMessageService(
    commitLog,
    dispatcher,
    progress,
    parseDelayLevels(config.messageDelayLevel),
    log,
  );
  const cleanService = new CleanService(config, commitLog, consumeQueues, log, (minPhysicalOffset) =>
    indexService?.deleteExpiredFiles(minPhysicalOffset),
  );
  const readContext: GetMessageContext = {
    config,
    commitLog,
    consumeQueues,
    inMemoryBytes,
    hotWindowBytes,
    readGate: new AsyncGate(MAX_OFF_LOOP_READS),
    pullBodyRing,
  };
  return {
    commitLog,
    consumeQueues,
    queueOffsets,
    checkpoint,
    indexService,
    progress,
    dispatcher,
    flushService,
    putService,
    cleanService,
    readContext,
    haService,
    reput,
  };
}
