// Persistence of the broker's `config/*.json` files, the way Java's ConfigManager.persist and
// MixAll.string2File do it, made crash-safe:
//
//   1. write the new text to `<file>.tmp` and fsync it;
//   2. copy the current content of `<file>` (if any) to `<file>.bak` and fsync it;
//   3. rename `<file>.tmp` over `<file>` (atomic on POSIX file systems) and fsync the directory.
//
// A crash at any point leaves either the old or the new content in `<file>`, and `<file>.bak`
// holds the previous version. Loading falls back to `.bak` when `<file>` is missing, empty, or
// rejected by the caller's decoder (Java ConfigManager.load / loadBak); a copy that cannot be
// loaded is moved aside, never a reason to refuse a start.
import * as fs from 'node:fs';
import * as path from 'node:path';

function writeFileSynced(filePath: string, text: string): void {
  const fd = fs.openSync(filePath, 'w');
  try {
    fs.writeFileSync(fd, text, 'utf8');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function fsyncDirectory(dirPath: string): void {
  let fd = -1;
  try {
    fd = fs.openSync(dirPath, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some platforms cannot open or fsync a directory; the rename itself is still atomic.
  } finally {
    if (fd >= 0) fs.closeSync(fd);
  }
}

function readIfPresent(filePath: string): string | null {
  try {
    return fs.readFileSync(filePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function removeQuietly(filePath: string): void {
  try {
    fs.rmSync(filePath, { force: true });
  } catch {
    // left for the next save to overwrite
  }
}

/**
 * Atomically replaces `filePath` with `text`, keeping the previous content in `<file>.bak`.
 * Throws when it cannot (callers log and carry on); `<file>` is then untouched and no `.tmp` is left.
 */
export function persistConfigFile(filePath: string, text: string): void {
  const dirPath = path.dirname(filePath);
  fs.mkdirSync(dirPath, { recursive: true });
  const tmpPath = `${filePath}.tmp`;
  try {
    writeFileSynced(tmpPath, text);
    const previous = readIfPresent(filePath);
    if (previous !== null && previous.length > 0) writeFileSynced(`${filePath}.bak`, previous);
    fs.renameSync(tmpPath, filePath);
  } catch (error) {
    removeQuietly(tmpPath); // a partial copy would only take space on a full disk
    throw error;
  }
  fsyncDirectory(dirPath);
}

/** Where loading reports what it skipped or moved aside (the broker or NameServer log). */
export interface ConfigLoadLogger {
  error(message: string): unknown;
  info(message: string): unknown;
}

/** Which copy a load used: the file, its `.bak`, or neither (a first start, or both unusable). */
export type ConfigLoadSource = 'file' | 'bak' | 'none';

type Candidate =
  | { kind: 'missing' }
  | { kind: 'blank' }
  | { kind: 'text'; text: string }
  | { kind: 'unreadable'; reason: string };

function readCandidate(filePath: string): Candidate {
  let text: string;
  try {
    text = fs.readFileSync(filePath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'unreadable', reason: (error as Error).message };
  }
  return text.trim().length === 0 ? { kind: 'blank' } : { kind: 'text', text };
}

/** `<file>.corrupt-<timestamp>`: where a file that cannot be loaded is kept for the operator. */
export function corruptCopyPath(filePath: string, nowMs: number = Date.now()): string {
  return `${filePath}.corrupt-${nowMs}`;
}

function moveAside(filePath: string, reason: string, logger: ConfigLoadLogger): void {
  const target = corruptCopyPath(filePath);
  try {
    fs.renameSync(filePath, target);
    logger.error(`CONFIG FILE CANNOT BE LOADED: ${filePath} (${reason}); moved aside to ${target}`);
  } catch (error) {
    logger.error(
      `CONFIG FILE CANNOT BE LOADED: ${filePath} (${reason}); moving it aside failed: ${(error as Error).message}`,
    );
  }
}

type CopyOutcome = 'used' | 'missing' | 'unusable';

/** Applies one copy. A copy that exists but cannot be used is moved aside (a blank one is left). */
function tryCopy(filePath: string, decode: (text: string) => void, logger: ConfigLoadLogger): CopyOutcome {
  const candidate = readCandidate(filePath);
  if (candidate.kind === 'missing') return 'missing';
  if (candidate.kind === 'blank') {
    logger.error(`CONFIG FILE ${filePath} is empty`);
    return 'unusable';
  }
  if (candidate.kind === 'unreadable') {
    moveAside(filePath, candidate.reason, logger);
    return 'unusable';
  }
  try {
    decode(candidate.text);
    return 'used';
  } catch (error) {
    moveAside(filePath, (error as Error).message, logger);
    return 'unusable';
  }
}

/**
 * Loads `filePath` through `decode`, falling back to `<file>.bak` when the file is missing, blank,
 * unreadable or rejected (Java ConfigManager.load / loadBak). `decode` throws when a text cannot be
 * used and must change nothing when it throws. A copy that exists but cannot be used is moved
 * aside to `<file>.corrupt-<timestamp>` with an error line, so it is kept for the operator and the
 * next save starts clean. Never throws: when no copy can be used the caller starts empty.
 */
export function loadConfigFileOrBak(
  filePath: string,
  decode: (text: string) => void,
  logger: ConfigLoadLogger,
): ConfigLoadSource {
  const main = tryCopy(filePath, decode, logger);
  if (main === 'used') return 'file';
  const bakPath = `${filePath}.bak`;
  const bak = tryCopy(bakPath, decode, logger);
  if (bak === 'used') {
    if (main === 'unusable')
      logger.error(`CONFIG FILE ${filePath} could not be loaded; loaded its backup ${bakPath} instead`);
    return 'bak';
  }
  if (main === 'unusable' || bak === 'unusable') {
    logger.error(`CONFIG FILE ${filePath}: neither it nor ${bakPath} could be loaded; starting without them`);
  }
  return 'none';
}
