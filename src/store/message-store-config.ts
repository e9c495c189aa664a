// MessageStoreConfig: the store settings of a 4.7.1 broker.conf that this store honours, with the
// Java defaults (org.apache.rocketmq.store.config.MessageStoreConfig; protocol §5.2).
import * as os from 'node:os';
import * as path from 'node:path';
import { type JavaOnlyStoreConfig, javaOnlyStoreConfig } from './java-only-store-config';

export type FlushDiskType = 'ASYNC_FLUSH' | 'SYNC_FLUSH';
/** Java BrokerRole: a master answers sends (SYNC_MASTER once a slave has the bytes); a SLAVE copies its master. */
export type BrokerRole = 'ASYNC_MASTER' | 'SYNC_MASTER' | 'SLAVE';
export const BROKER_ROLES: readonly BrokerRole[] = ['ASYNC_MASTER', 'SYNC_MASTER', 'SLAVE'];

export interface MessageStoreConfig extends Partial<JavaOnlyStoreConfig> {
  /** Root of the store (`~/store`): consumequeue/, checkpoint, abort, config/ live here. */
  storePathRootDir: string;
  /** Commit-log segment directory (`<root>/commitlog`). */
  storePathCommitLog: string;
  /** Bytes per commit-log segment file (1 GiB). */
  mappedFileSizeCommitLog: number;
  /** Bytes per consume-queue file: 300000 units x 20 bytes. */
  mappedFileSizeConsumeQueue: number;
  flushDiskType: FlushDiskType;
  /** ASYNC_FLUSH: fsync the commit log every this many ms (500). */
  flushIntervalCommitLog: number;
  /**
   * SYNC_FLUSH: answer FLUSH_DISK_TIMEOUT after this many ms without an fsync (5000); SYNC_MASTER:
   * answer FLUSH_SLAVE_TIMEOUT after this many ms without the slave's acknowledgement.
   */
  syncFlushTimeout: number;
  brokerRole: BrokerRole;
  /** HA port (10912); BrokerStartup sets it to listenPort + 1, as Java does. */
  haListenPort: number;
  /** A slave reports its offset, a master sends an empty transfer, after this many idle ms (5000). */
  haSendHeartbeatInterval: number;
  /** An HA connection with nothing to read for this many ms is closed (20000). */
  haHousekeepingInterval: number;
  /** Commit-log bytes per master -> slave transfer (32 KiB). */
  haTransferBatchSize: number;
  /** SYNC_MASTER: SLAVE_NOT_AVAILABLE when the slave is further behind than this (256 MiB). */
  haSlaveFallbehindMax: number;
  /** A slave's master `ip:haPort`; null: the one the NameServer names (Java uses it when length >= 6). */
  haMasterAddress: string | null;
  /** A slave corrects a pull's out-of-range offset as a master does (false: it keeps the asked offset). */
  offsetCheckInSlave: boolean;
  /** Largest stored record, all fields included (4 MiB). */
  maxMessageSize: number;
  /** Delay levels, e.g. "1s 5s 10s ... 2h" (units s, m, h, d). */
  messageDelayLevel: string;
  /** Hours a commit-log file is kept (72). */
  fileReservedTime: number;
  /** Hour(s) of day when expired files are deleted, ';'-separated ("04"). */
  deleteWhen: string;
  /** Disk usage percentage above which files are deleted regardless of age (75). */
  diskMaxUsedSpaceRatio: number;
  maxTransferBytesOnMessageInMemory: number;
  maxTransferCountOnMessageInMemory: number;
  maxTransferBytesOnMessageInDisk: number;
  maxTransferCountOnMessageInDisk: number;
  messageIndexEnable: boolean;
  /** Consume queues are fsynced every this many ms (1000). Optional for older callers. */
  flushIntervalConsumeQueue?: number;
  /**
   * A periodic consume-queue flush fdatasyncs a queue only when this many 4 KiB pages of new units
   * gathered (2); every flushConsumeQueueThoroughInterval ms (60000) it flushes every queue.
   */
  flushConsumeQueueLeastPages?: number;
  flushConsumeQueueThoroughInterval?: number;
  /** Percentage of RAM treated as "in memory" for transfer limits (40). */
  accessMessageInMemoryMaxRatio?: number;
  /** Expired-file check period in ms (10000). */
  cleanResourceInterval?: number;
  /** Index file hash slots (5000000). */
  maxHashSlotNum?: number;
  /** Index file entries (4 x maxHashSlotNum = 20000000). */
  maxIndexNum?: number;
  /** Java isOSPageCacheBusy: a put waiting this long for the write path means busy (1000). */
  osPageCacheBusyTimeOutMills?: number;
  /** Ours: written-but-unflushed commit-log bytes beyond which the write path is busy (512 MiB). */
  osPageCacheBusyUnflushedBytes?: number;
  /**
   * Used fraction of the disk above which messages are refused (0.90). Java reads it from the
   * system property rocketmq.broker.diskSpaceWarningLevelRatio; here it is also a broker.conf key.
   */
  diskSpaceWarningLevelRatio?: number;
  /** Used fraction above which expired files are deleted regardless of age (0.85; Java property). */
  diskSpaceCleanForciblyRatio?: number;
}

/** 300000 consume-queue units of 20 bytes. */
export const DEFAULT_CONSUME_QUEUE_FILE_SIZE_BYTES = 300000 * 20;

/** Java defaults; `home` replaces the user's home directory (`<home>/store`). */
export function defaultMessageStoreConfig(home: string = os.homedir()): MessageStoreConfig {
  const storePathRootDir = path.join(home, 'store');
  return {
    ...javaOnlyStoreConfig(),
    storePathRootDir,
    storePathCommitLog: path.join(storePathRootDir, 'commitlog'),
    mappedFileSizeCommitLog: 1024 * 1024 * 1024,
    mappedFileSizeConsumeQueue: DEFAULT_CONSUME_QUEUE_FILE_SIZE_BYTES,
    flushDiskType: 'ASYNC_FLUSH',
    flushIntervalCommitLog: 500,
    syncFlushTimeout: 5000,
    brokerRole: 'ASYNC_MASTER',
    haListenPort: 10912,
    haSendHeartbeatInterval: 5000,
    haHousekeepingInterval: 20000,
    haTransferBatchSize: 32 * 1024,
    haSlaveFallbehindMax: 256 * 1024 * 1024,
    haMasterAddress: null,
    offsetCheckInSlave: false,
    maxMessageSize: 1024 * 1024 * 4,
    messageDelayLevel: '1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h',
    fileReservedTime: 72,
    deleteWhen: '04',
    diskMaxUsedSpaceRatio: 75,
    maxTransferBytesOnMessageInMemory: 1024 * 256,
    maxTransferCountOnMessageInMemory: 32,
    maxTransferBytesOnMessageInDisk: 1024 * 64,
    maxTransferCountOnMessageInDisk: 8,
    messageIndexEnable: true,
    flushIntervalConsumeQueue: 1000,
    flushConsumeQueueLeastPages: 2,
    flushConsumeQueueThoroughInterval: 60000,
    accessMessageInMemoryMaxRatio: 40,
    cleanResourceInterval: 10000,
    maxHashSlotNum: 5000000,
    maxIndexNum: 5000000 * 4,
    osPageCacheBusyTimeOutMills: 1000,
    osPageCacheBusyUnflushedBytes: 512 * 1024 * 1024,
    diskSpaceWarningLevelRatio: 0.9,
    diskSpaceCleanForciblyRatio: 0.85,
  };
}

/** Parses messageDelayLevel into milliseconds per level (index 0 = level 1). */
export function parseDelayLevels(text: string): number[] {
  const unitMs: Record<string, number> = { s: 1000, m: 60000, h: 3600000, d: 86400000 };
  return text
    .trim()
    .split(/\s+/)
    .filter((item) => item.length > 0)
    .map((item) => {
      const unit = unitMs[item.slice(-1)];
      const count = Number(item.slice(0, -1));
      if (unit === undefined || !Number.isFinite(count)) throw new Error(`bad delay level ${item}`);
      return count * unit;
    });
}
