// Config files written the way Java's MixAll.string2File does, made crash-safe: the new content
// goes to <file>.tmp (flushed to disk), the previous content is kept in <file>.bak, then the .tmp
// is renamed over the file. Reading falls back to the .bak when the file is missing or unusable.
import fs from 'node:fs';
import path from 'node:path';

/** Writes `content` to `fileName` atomically, keeping the previous content in `<fileName>.bak`. */
export function string2File(content: string, fileName: string): void {
  fs.mkdirSync(path.dirname(path.resolve(fileName)), { recursive: true });
  const tmpFile = `${fileName}.tmp`;
  const descriptor = fs.openSync(tmpFile, 'w');
  try {
    fs.writeFileSync(descriptor, content, 'utf8');
    fs.fsyncSync(descriptor);
  } finally {
    fs.closeSync(descriptor);
  }
  if (fs.existsSync(fileName)) fs.copyFileSync(fileName, `${fileName}.bak`);
  fs.renameSync(tmpFile, fileName);
}

/** The file's text, or undefined when it does not exist. */
export function file2String(fileName: string): string | undefined {
  try {
    return fs.readFileSync(fileName, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Loads `fileName` with `parse`; when the file is missing or `parse` throws, tries `<fileName>.bak`.
 * Returns undefined when neither exists; rethrows the file's error when both exist and fail.
 */
export function loadWithBackup<T>(fileName: string, parse: (text: string) => T): { value: T; from: string } | undefined {
  let firstError: unknown;
  for (const candidate of [fileName, `${fileName}.bak`]) {
    const text = file2String(candidate);
    if (text === undefined) continue;
    try {
      return { value: parse(text), from: candidate };
    } catch (error) {
      firstError ??= error;
    }
  }
  if (firstError !== undefined) throw firstError;
  return undefined;
}
