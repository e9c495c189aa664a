// ConfigManager: a table the broker keeps in memory and persists as `config/<name>.json` in
// fastjson's PrettyFormat, the files a Java 4.7.1 broker writes and reads. Loading never stops a
// start: an entry that cannot be read is skipped with an error line (the rest loads), a file that
// cannot be read at all is moved aside and its `.bak` copy used (common/config-file.ts), and with
// neither the table starts empty. A save that fails (disk full,
// permissions) is logged and the broker carries on with the table in memory, as Java's
// ConfigManager.persist does (it catches the IOException of MixAll.string2File and logs it).
import { parseFastjson, type FastjsonValue } from '../codec/fastjson-parse';
import { stringifyFastjson } from '../codec/fastjson-write';
import { loadConfigFileOrBak, persistConfigFile } from '../common/config-file';
import { getLogger, type Logger } from '../common/logger';

export abstract class ConfigManager {
  /** Where failed saves are reported (the broker log; tests may replace it). */
  logger: Logger = getLogger('broker');

  constructor(readonly configFilePath: string) {}

  /** The content to persist, as values the fastjson writer understands. */
  protected abstract encodeContent(): unknown;

  /**
   * Applies a parsed file. Throws only when the whole content is not what the table expects, and
   * then before changing anything; entries are applied through `loadEntries`, which skips bad ones.
   */
  protected abstract decodeContent(parsed: FastjsonValue): void;

  encode(pretty = false): string {
    return stringifyFastjson(this.encodeContent(), { pretty });
  }

  /** Applies a JSON text as if loaded (Java ConfigManager.decode): entries are added or replaced. */
  decode(text: string): void {
    this.decodeContent(parseFastjson(text));
  }

  /**
   * As `decode`, but a bad entry throws instead of being skipped (a slave copying its master's table:
   * Java's fastjson decode fails as a whole, before the slave's table is touched).
   */
  decodeStrict(text: string): void {
    this.strictEntries = true;
    try {
      this.decode(text);
    } finally {
      this.strictEntries = false;
    }
  }

  private strictEntries = false;

  /** Loads the file (or its .bak). Never throws: a missing or unusable file leaves the table empty. */
  load(): boolean {
    const source = loadConfigFileOrBak(
      this.configFilePath,
      (text) => this.decodeContent(parseFastjson(text)),
      this.logger,
    );
    if (source !== 'none') this.logger.info(`load ${this.configFilePath}${source === 'bak' ? '.bak' : ''} OK`);
    return true;
  }

  /**
   * Applies each entry of a JSON map; one that `apply` rejects (throws) is skipped with an error
   * line. Throws, before applying anything, when `table` is not a map (an entry of an outer table).
   */
  protected loadEntries(
    table: FastjsonValue | undefined,
    what: string,
    apply: (key: string, entry: FastjsonValue) => void,
  ): void {
    if (table !== undefined && table !== null && !isJsonObject(table) && !(table instanceof Map))
      throw new Error(`not a JSON object`);
    for (const [key, entry] of objectEntries(table)) {
      try {
        apply(key, entry);
      } catch (error) {
        if (this.strictEntries) throw error;
        const shown =
          JSON.stringify(entry, (_name, value) => (value instanceof Map ? Object.fromEntries(value) : value)) ??
          String(entry);
        this.logger.error(
          `CONFIG ENTRY SKIPPED in ${this.configFilePath}: ${what} ${JSON.stringify(key).slice(0, 300)} ` +
            `(${(error as Error).message}): ${shown.slice(0, 1000)}`,
        );
      }
    }
  }

  /** Saves the table; false (and an error in the broker log) when the file could not be written. */
  persist(): boolean {
    const text = this.encode(true);
    try {
      persistConfigFile(this.configFilePath, text);
      return true;
    } catch (error) {
      this.logger.error(`persist file ${this.configFilePath} exception, ${(error as Error).message}`);
      return false;
    }
  }
}

/** DataVersion: {timestamp, counter}; bumped on every change so NameServers rebuild routes. */
export class DataVersion {
  timestamp = Date.now();
  counter = 0;

  nextVersion(): void {
    this.timestamp = Date.now();
    this.counter++;
  }

  /** Takes the file's version; a field that is not a whole number keeps the current one. */
  assign(value: FastjsonValue | undefined): void {
    if (!isJsonObject(value)) return;
    const wholeOr = (field: FastjsonValue | undefined, fallback: number) => {
      const number = typeof field === 'string' ? Number(field) : field;
      return typeof number === 'number' && Number.isSafeInteger(number) ? number : fallback;
    };
    this.timestamp = wholeOr(value.timestamp, this.timestamp);
    this.counter = wholeOr(value.counter, this.counter);
  }

  /** Java DataVersion.equals: same timestamp and counter. */
  equals(other: { counter: number; timestamp: number }): boolean {
    return this.timestamp === other.timestamp && this.counter === other.counter;
  }

  toJSON(): { counter: number; timestamp: number } {
    return { counter: this.counter, timestamp: this.timestamp };
  }
}

/** Object-shaped entries of a parsed fastjson map (plain object form). */
export function objectEntries(value: FastjsonValue | undefined): [string, FastjsonValue][] {
  if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value)) return [];
  if (value instanceof Map) return [...value.entries()].map(([key, entry]) => [String(key), entry]);
  return Object.entries(value);
}

/** A whole number in [min, max] read from a config file (a number or numeric text), or throws. */
export function integerOf(
  value: FastjsonValue | undefined,
  what: string,
  min = Number.MIN_SAFE_INTEGER,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
    throw new Error(`${what} is not a whole number: ${JSON.stringify(value)}`);
  }
  return number;
}

/** True for a parsed JSON object (not an array, a map with object keys or a scalar). */
export function isJsonObject(value: FastjsonValue | undefined): value is Record<string, FastjsonValue> {
  return (
    value !== null &&
    value !== undefined &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !(value instanceof Map)
  );
}

/**
 * The top-level object of a config file and its table (`{"offsetTable":{…}}`; an absent table is
 * empty). Throws when either has the wrong shape, so decodeContent can check before it changes anything.
 */
export function wrapperTable(
  parsed: FastjsonValue,
  tableKey: string,
  what: string,
): { wrapper: Record<string, FastjsonValue>; table: FastjsonValue | undefined } {
  if (!isJsonObject(parsed)) throw new Error(`not a ${what}: the content is not a JSON object`);
  const table = parsed[tableKey];
  if (table !== undefined && table !== null && !isJsonObject(table) && !(table instanceof Map)) {
    throw new Error(`not a ${what}: ${tableKey} is not a JSON object`);
  }
  return { wrapper: parsed, table };
}
