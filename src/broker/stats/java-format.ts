// Java's text formats that operators' tools parse out of GET_BROKER_RUNTIME_INFO values:
// Double.toString, MixAll.humanReadableByteCount, the StoreStatsService runtime string and
// UtilAll.getDiskPartitionSpaceUsedPercent, and SendMessageProcessor.diskUtil built on it.
import fs from 'node:fs';
import path from 'node:path';

/** Double.toString: "0.0", "12.5", "1.0E7", "1.0E-4" (decimal only in [1e-3, 1e7)). */
export function javaDoubleToString(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    const text = String(value);
    return text.includes('.') ? text : `${text}.0`;
  }
  const [mantissa, exponent] = value.toExponential().split('e');
  const digits = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${digits}E${Number(exponent)}`;
}

/** MixAll.humanReadableByteCount(bytes, false): "0 B", "1.5 KiB", "240.4 GiB". */
export function humanReadableByteCount(bytes: number): string {
  const unit = 1024;
  if (bytes < unit) return `${bytes} B`;
  const exponent = Math.floor(Math.log(bytes) / Math.log(unit));
  const prefix = 'KMGTPE'.charAt(exponent - 1);
  return `${(bytes / unit ** exponent).toFixed(1)} ${prefix}iB`;
}

/** StoreStatsService.getFormatRuntime: "[ 0 days, 1 hours, 2 minutes, 3 seconds ]". */
export function formatRuntime(elapsedMs: number): string {
  const second = 1000;
  const minute = 60 * second;
  const hour = 60 * minute;
  const day = 24 * hour;
  // MessageFormat writes the numbers with grouping separators, as en-US does.
  const group = (value: number) => Math.floor(value).toLocaleString('en-US');
  const days = elapsedMs / day;
  const hours = (elapsedMs % day) / hour;
  const minutes = (elapsedMs % hour) / minute;
  const seconds = (elapsedMs % minute) / second;
  return `[ ${group(days)} days, ${group(hours)} hours, ${group(minutes)} minutes, ${group(seconds)} seconds ]`;
}

export interface DiskSpace {
  totalBytes: number;
  freeBytes: number;
}

/** File.getTotalSpace / getFreeSpace of the partition holding `dirPath`; undefined if absent. */
export function diskSpace(dirPath: string): DiskSpace | undefined {
  try {
    if (!fs.existsSync(dirPath)) return undefined;
    const stats = fs.statfsSync(dirPath);
    return { totalBytes: stats.blocks * stats.bsize, freeBytes: stats.bfree * stats.bsize };
  } catch {
    return undefined;
  }
}

/** UtilAll.getDiskPartitionSpaceUsedPercent: used / total as a ratio, -1 when unknown. */
export function diskPartitionSpaceUsedRatio(dirPath: string): number {
  const space = diskSpace(dirPath);
  if (space === undefined || space.totalBytes <= 0) return -1;
  return (space.totalBytes - space.freeBytes) / space.totalBytes;
}

/** Java SendMessageProcessor.diskUtil: String.format("CL: %5.2f CQ: %5.2f INDEX: %5.2f", …). */
export function diskUtil(config: { storePathRootDir: string; storePathCommitLog: string }): string {
  const ratio = (dirPath: string) => diskPartitionSpaceUsedRatio(dirPath).toFixed(2).padStart(5, ' ');
  const consumeQueueDir = path.join(config.storePathRootDir, 'consumequeue');
  const indexDir = path.join(config.storePathRootDir, 'index');
  return `CL: ${ratio(config.storePathCommitLog)} CQ: ${ratio(consumeQueueDir)} INDEX: ${ratio(indexDir)}`;
}
