// Deleting expired files (Java DefaultMessageStore.CleanCommitLogService and
// CleanConsumeQueueService), every cleanResourceInterval ms:
//
//   commit log: when the hour is in deleteWhen, or disk usage > diskMaxUsedSpaceRatio %, or a
//   manual request is pending, delete segments (never the last one, at most 10 per pass) last
//   modified more than fileReservedTime hours ago; above 85 % disk usage, regardless of age.
//   consume queues: then delete queue files (never the last one) whose last unit points below
//   the new minimum commit-log offset, and move every queue's minimum forward.
//   disk full: above diskSpaceWarningLevelRatio (0.90) usage the store stops accepting messages
//   (SERVICE_NOT_AVAILABLE) until the usage is measured below it again. A write that fails with
//   ENOSPC / EDQUOT marks the disk full at once. While full, every refused put may re-measure
//   (at most once a second), so writes resume within a second of space coming back instead of
//   at the next pass.
import * as fs from 'node:fs';
import { readInt64BE } from '../codec/message/buffer-int64';
import type { CommitLog } from './commit-log';
import type { ConsumeQueue } from './consume-queue';
import { CQ_STORE_UNIT_SIZE } from './consume-queue-unit';
import { correctConsumeQueueMin } from './consume-queue-recovery';
import type { ConsumeQueueTable } from './consume-queue-table';
import type { MessageStoreConfig } from './message-store-config';

/** Java DELETE_FILES_BATCH_MAX. */
const DELETE_FILES_BATCH_MAX = 10;
/** Java diskSpaceCleanForciblyRatio: above this, age no longer matters. */
const CLEAN_FORCIBLY_RATIO = 0.85;
/** Java diskSpaceWarningLevelRatio: above this, writes are refused. */
const DISK_FULL_RATIO = 0.9;
/** While the disk is full, a refused put re-measures at most this often. */
const FULL_RECHECK_INTERVAL_MS = 1000;
/** Java manualDeleteFileSeveralTimes. */
const MANUAL_DELETE_PASSES = 20;
const HOUR_MS = 3600 * 1000;

/** Used fraction of the file system holding `dirPath` (0 when unknown). */
export function diskUsedRatio(dirPath: string): number {
  try {
    const stats = fs.statfsSync(dirPath);
    return stats.blocks > 0 ? 1 - stats.bavail / stats.blocks : 0;
  } catch {
    return 0;
  }
}

function isDeleteHour(deleteWhen: string, nowMs: number): boolean {
  const hour = new Date(nowMs).getHours();
  return deleteWhen.split(';').some((item) => item.trim() !== '' && Number(item) === hour);
}

export class CleanService {
  private timer: NodeJS.Timeout | null = null;
  private manualPasses = 0;
  private lastMeasuredAtMs = 0;
  /** True while the disk is too full to accept messages. */
  diskFull = false;
  /** Used fraction of the disk at the last measurement. */
  lastUsedRatio = 0;

  constructor(
    private readonly config: MessageStoreConfig,
    private readonly commitLog: CommitLog,
    private readonly consumeQueues: ConsumeQueueTable,
    private readonly log: (message: string) => void,
    /** Told the new minimum commit-log offset after segments were deleted (the index). */
    private readonly onMinPhysicalOffset: (minPhysicalOffset: number) => void = () => undefined,
    private readonly measureDiskUsedRatio: (dirPath: string) => number = diskUsedRatio,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.runSafely(), this.config.cleanResourceInterval ?? 10000);
    this.timer.unref();
  }

  shutdown(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** Java executeDeleteFilesManually: the next passes delete expired files at any hour. */
  requestManualDelete(): void {
    this.manualPasses = MANUAL_DELETE_PASSES;
  }

  /** A write failed for lack of space: refuse messages until a measurement says otherwise. */
  markDiskFull(nowMs: number = Date.now()): void {
    if (!this.diskFull) this.log('disk full (a write failed for lack of space): refusing messages');
    this.diskFull = true;
    this.lastMeasuredAtMs = nowMs;
  }

  /** While full: re-measure (at most once a second) so writes resume soon after space is back. */
  recheckIfFull(nowMs: number = Date.now()): boolean {
    if (this.diskFull && nowMs - this.lastMeasuredAtMs >= FULL_RECHECK_INTERVAL_MS) {
      this.updateDiskFull(this.measure(nowMs));
    }
    return this.diskFull;
  }

  private measure(nowMs: number): number {
    this.lastMeasuredAtMs = nowMs;
    this.lastUsedRatio = this.measureDiskUsedRatio(this.commitLog.files.dirPath);
    return this.lastUsedRatio;
  }

  /** One pass; returns the number of commit-log segments deleted. */
  runOnce(nowMs: number = Date.now()): number {
    const usedRatio = this.measure(nowMs);
    this.updateDiskFull(usedRatio);
    const manual = this.manualPasses > 0;
    if (manual) this.manualPasses--;
    const due =
      manual || isDeleteHour(this.config.deleteWhen, nowMs) || usedRatio > this.config.diskMaxUsedSpaceRatio / 100;
    if (!due) return 0;
    // Java: isCleanFileForciblyEnable() && cleanImmediately
    const forcibly =
      this.config.cleanFileForciblyEnable !== false &&
      usedRatio > (this.config.diskSpaceCleanForciblyRatio ?? CLEAN_FORCIBLY_RATIO);
    const deleted = this.deleteExpiredSegments(nowMs, forcibly);
    if (deleted > 0) this.cleanConsumeQueues();
    return deleted;
  }

  private updateDiskFull(usedRatio: number): void {
    const full = usedRatio > (this.config.diskSpaceWarningLevelRatio ?? DISK_FULL_RATIO);
    if (full !== this.diskFull) {
      const percent = (usedRatio * 100).toFixed(1);
      this.log(full ? `disk ${percent}% used: refusing messages` : `disk ${percent}% used: accepting messages again`);
    }
    this.diskFull = full;
  }

  private runSafely(): void {
    try {
      this.runOnce();
    } catch (error) {
      this.log(`clean expired files failed: ${(error as Error).message}`);
    }
  }

  private deleteExpiredSegments(nowMs: number, regardlessOfAge: boolean): number {
    const files = this.commitLog.files;
    const expiredMs = this.config.fileReservedTime * HOUR_MS;
    let deleted = 0;
    while (deleted < DELETE_FILES_BATCH_MAX && files.files.length > 1) {
      const first = files.first()!;
      if (first.fileEndOffset > this.commitLog.writtenPhysicalOffset) break;
      if (!regardlessOfAge && nowMs < first.lastModifiedMs() + expiredMs) break;
      files.deleteFirstFile();
      deleted++;
    }
    if (deleted > 0)
      this.log(`deleted ${deleted} expired commit log file(s); min offset now ${this.commitLog.minPhysicalOffset}`);
    return deleted;
  }

  private cleanConsumeQueues(): void {
    const minPhysicalOffset = this.commitLog.minPhysicalOffset;
    for (const queue of this.consumeQueues.all()) {
      // The scans below read the files: write the units still in memory first.
      if (!tryCommit(queue)) continue;
      deleteExpiredQueueFiles(queue, minPhysicalOffset);
      if (queue.minQueueOffset < queue.maxQueueOffset) correctConsumeQueueMin(queue, minPhysicalOffset);
    }
    this.onMinPhysicalOffset(minPhysicalOffset);
  }
}

function tryCommit(queue: ConsumeQueue): boolean {
  try {
    queue.commit();
    return true;
  } catch {
    return false; // no room: the next clean tries again
  }
}

/** Java ConsumeQueue.deleteExpiredFile: files whose last unit points below the log minimum. */
function deleteExpiredQueueFiles(queue: ConsumeQueue, minPhysicalOffset: number): void {
  while (queue.files.files.length > 1) {
    const first = queue.files.first()!;
    const lastQueueOffset = first.fileEndOffset / CQ_STORE_UNIT_SIZE - 1;
    if (lastQueueOffset >= queue.maxQueueOffset) break;
    const unit = Buffer.alloc(CQ_STORE_UNIT_SIZE);
    first.read(unit, 0, CQ_STORE_UNIT_SIZE, first.fileSizeBytes - CQ_STORE_UNIT_SIZE);
    if (readInt64BE(unit, 0) >= minPhysicalOffset) break;
    queue.files.deleteFirstFile();
    queue.minQueueOffset = Math.max(queue.minQueueOffset, first.fileEndOffset / CQ_STORE_UNIT_SIZE);
  }
}
