// The name server's Configuration (org.apache.rocketmq.common.Configuration): every setting as
// text, for GET_NAMESRV_CONFIG (319) and UPDATE_NAMESRV_CONFIG (318), persisted to configStorePath.
//
// allConfigs = the config object's fields merged with the raw `-c` file properties (so unknown
// keys from the file are shown too). An update only changes keys that already exist, applies
// known ones to the live config object, and writes allConfigs as `key=value\n` lines.
//
// Unlike 4.7.1, which lets any client rewrite every key, the keys naming files the server writes
// (configStorePath, kvConfigPath) cannot be updated remotely: later releases added the same
// black list after it was used to write arbitrary files (CVE-2023-37582).
import type { Logger } from '../common/logger';
import net from 'node:net';
import { bindProperties, formatJavaProperties, persistedPropertyProblems } from '../common/java-properties';
import { persistConfigFile } from '../common/config-file';
import { type NamesrvConfig, namesrvConfigProperties, validateNamesrvConfig } from './namesrv-config';

export const CONFIG_BLACK_LIST: readonly string[] = ['configBlackList', 'configStorePath', 'kvConfigPath'];

export class NamesrvConfigUpdateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NamesrvConfigUpdateError';
  }
}

export class NamesrvConfiguration {
  private readonly allConfigs = new Map<string, string>();

  constructor(
    private readonly config: NamesrvConfig,
    extraProperties: ReadonlyMap<string, string> | undefined,
    private readonly logger: Logger,
  ) {
    this.refreshFromConfig();
    for (const [key, value] of extraProperties ?? []) this.allConfigs.set(key, value);
  }

  private refreshFromConfig(): void {
    for (const [key, value] of namesrvConfigProperties(this.config)) {
      const previous = this.allConfigs.get(key);
      if (previous !== undefined && previous !== value)
        this.logger.info(`Replace, key: ${key}, value: ${previous} -> ${value}`);
      this.allConfigs.set(key, value);
    }
  }

  /** Configuration.getAllConfigsFormatString: `key=value\n` per setting. */
  getAllConfigsFormatString(): string {
    this.refreshFromConfig();
    return formatJavaProperties(this.allConfigs);
  }

  /** Keys of `properties` that may not be changed remotely. */
  blackListedKeys(properties: ReadonlyMap<string, string>): string[] {
    return [...properties.keys()].filter((key) => CONFIG_BLACK_LIST.includes(key));
  }

  /**
   * Configuration.update: applies the properties, then persists. Values that do not fit their
   * setting (e.g. a non-numeric listenPort) or that the file would not read back as themselves
   * (a line break, a backslash) leave everything unchanged and throw.
   */
  update(properties: ReadonlyMap<string, string>): void {
    const blackListed = this.blackListedKeys(properties);
    if (blackListed.length > 0)
      throw new NamesrvConfigUpdateError(`Can not update config in black list: ${blackListed.join(', ')}`);
    // The file is re-read at the next start (`-c`): a line break in a value could add any key to it.
    const unsafe = persistedPropertyProblems(properties);
    if (unsafe.length > 0) throw new NamesrvConfigUpdateError(unsafe.join('; '));
    const candidate: NamesrvConfig = { ...this.config };
    const known = new Map([...properties].filter(([key]) => Object.hasOwn(candidate, key)));
    const rejected = bindProperties(candidate, known);
    if (rejected.length > 0) throw new NamesrvConfigUpdateError(`invalid value for ${rejected.join(', ')}`);
    try {
      validateNamesrvConfig(candidate);
    } catch (error) {
      throw new NamesrvConfigUpdateError((error as Error).message);
    }
    if (known.has('bindAddress') && net.isIP(candidate.bindAddress.trim()) === 0) {
      throw new NamesrvConfigUpdateError(
        `bindAddress=${candidate.bindAddress}: must be an IP address, or the next start could not listen`,
      );
    }
    for (const [key, value] of properties) {
      if (this.allConfigs.has(key)) this.allConfigs.set(key, value);
    }
    Object.assign(this.config, candidate);
    this.persist();
  }

  persist(): void {
    try {
      persistConfigFile(this.config.configStorePath, this.getAllConfigsFormatString());
    } catch (error) {
      this.logger.error(`persist string2File error, ${this.config.configStorePath}: ${(error as Error).message}`);
    }
  }
}
