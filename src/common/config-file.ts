// Persistence of the broker's `config/*.json` files, the way Java's ConfigManager.persist and
// MixAll.string2File do it, made crash-safe:
//
//   1. write the new text to `<file>.tmp` and fsync it;
//   2. copy the current content of `<file>` (if any) to `<file>.bak` and fsync it;
//   3. rename `<file>.tmp` over `<file>` (atomic on POSIX file systems) and fsync the directory.
//
// A crash at any point leaves either the old or the new content in `<file>`, and `<file>.bak`
// holds the previous version. Loading falls back to `.bak` when `<file>` is missing, empty, or
// rejected by the caller's validator (Java ConfigManager.load / loadBak).
import * as fs from 'fs';
import * as path from 'path';

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

/** True when the text should be used; the default accepts any non-blank text. */
export type ConfigTextValidator = (text: string) => boolean;

function usable(text: string | null, isValid: ConfigTextValidator): text is string {
  return text !== null && text.trim().length > 0 && isValid(text);
}

/**
 * The content of `filePath`, or of `<file>.bak` when the main file is missing, blank, or fails
 * `isValid`. Null when neither is usable (a first start has neither).
 */
export function loadConfigFile(
  filePath: string,
  isValid: ConfigTextValidator = () => true,
): string | null {
  const main = readIfPresent(filePath);
  if (usable(main, isValid)) return main;
  const backup = readIfPresent(`${filePath}.bak`);
  if (usable(backup, isValid)) return backup;
  return null;
}
