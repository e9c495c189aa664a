// ConfigManager: a table the broker keeps in memory and persists as `config/<name>.json` in
// fastjson's PrettyFormat, the files a Java 4.7.1 broker writes and reads. Loading falls back to
// the `.bak` copy when the main file is missing or does not parse. A save that fails (disk full,
// permissions) is logged and the broker carries on with the table in memory, as Java's
// ConfigManager.persist does (it catches the IOException of MixAll.string2File and logs it).
import { parseFastjson, FastjsonValue } from '../codec/fastjson-parse';
import { stringifyFastjson } from '../codec/fastjson-write';
import { loadConfigFile, persistConfigFile } from '../common/config-file';
import { getLogger, Logger } from '../common/logger';

export abstract class ConfigManager {
  /** Where failed saves are reported (the broker log; tests may replace it). */
  logger: Logger = getLogger('broker');

  constructor(readonly configFilePath: string) {}

  /** The content to persist, as values the fastjson writer understands. */
  protected abstract encodeContent(): unknown;

  /** Applies a parsed file. Throws when the content is not what the table expects. */
  protected abstract decodeContent(parsed: FastjsonValue): void;

  encode(pretty = false): string {
    return stringifyFastjson(this.encodeContent(), { pretty });
  }

  /** Applies a JSON text as if loaded (Java ConfigManager.decode): entries are added or replaced. */
  decode(text: string): void {
    this.decodeContent(parseFastjson(text));
  }

  /** Loads the file (or its .bak). A missing file is fine: the table starts empty. */
  load(): boolean {
    const text = loadConfigFile(this.configFilePath, (candidate: string) => {
      try {
        parseFastjson(candidate);
        return true;
      } catch {
        return false;
      }
    });
    if (text === null || text.trim() === '') return true;
    this.decodeContent(parseFastjson(text));
    return true;
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

  assign(value: FastjsonValue | undefined): void {
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Map)) {
      this.timestamp = Number(value.timestamp ?? this.timestamp);
      this.counter = Number(value.counter ?? this.counter);
    }
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
