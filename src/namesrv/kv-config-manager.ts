// KVConfigManager (org.apache.rocketmq.namesrv.kvconfig.KVConfigManager): namespaced key/value
// pairs the name server keeps for clients, chiefly namespace ORDER_TOPIC_CONFIG
// (topic → "brokerName:queueNum;…", written by `mqadmin updateTopic -o true`).
//
//   kvConfig.json = {"configTable":{namespace:{key:value,...},...}}
//
// Persisted after every put and delete, and loaded at start. Java writes the file compactly
// (KVConfigSerializeWrapper.toJson() = toJson(false)); so do we, so the Java name server reads it.
import type { Logger } from '../common/logger';
import { parseFastjson } from '../codec/fastjson-parse';
import { stringifyFastjson } from '../codec/fastjson-write';
import { asBean } from '../codec/body/bean-fields';
import { loadConfigFileOrBak, persistConfigFile } from '../common/config-file';
import { encodeKVTable } from './route-data';

/** NamesrvUtil.NAMESPACE_ORDER_TOPIC_CONFIG */
export const NAMESPACE_ORDER_TOPIC_CONFIG = 'ORDER_TOPIC_CONFIG';

type ConfigTable = Map<string, Map<string, string>>;

/**
 * The table of a kvConfig.json text. Throws when the text is not a KVConfigSerializeWrapper; a
 * namespace that is not an object is skipped and reported through `skipped`.
 */
function parseConfigTable(text: string, skipped: (what: string) => void): ConfigTable {
  const configTable: ConfigTable = new Map();
  const wrapper = asBean(parseFastjson(text), 'KVConfigSerializeWrapper');
  const tableValue = wrapper.configTable;
  if (tableValue === undefined || tableValue === null) return configTable;
  for (const [namespace, kvValue] of Object.entries(asBean(tableValue, 'configTable'))) {
    if (kvValue === null) continue;
    if (typeof kvValue !== 'object' || Array.isArray(kvValue) || kvValue instanceof Map) {
      skipped(`namespace ${JSON.stringify(namespace)} is not a JSON object: ${JSON.stringify(kvValue).slice(0, 1000)}`);
      continue;
    }
    const kvTable = new Map<string, string>();
    for (const [key, value] of Object.entries(kvValue)) {
      if (value !== null) kvTable.set(key, typeof value === 'string' ? value : JSON.stringify(value));
    }
    configTable.set(namespace, kvTable);
  }
  return configTable;
}

export class KVConfigManager {
  private readonly configTable: ConfigTable = new Map();

  constructor(
    private readonly kvConfigPath: () => string,
    private readonly logger: Logger,
  ) {}

  /**
   * Loads kvConfigPath (or its .bak). Never stops the start (Java refuses one when the file does
   * not parse): a file that cannot be loaded is moved aside with an error line and its .bak used.
   */
  load(): void {
    const path = this.kvConfigPath();
    const skipped = (what: string) => this.logger.error(`CONFIG ENTRY SKIPPED in ${path}: ${what}`);
    const source = loadConfigFileOrBak(
      path,
      (text) => {
        for (const [namespace, kvTable] of parseConfigTable(text, skipped)) this.configTable.set(namespace, kvTable);
      },
      this.logger,
    );
    if (source !== 'none') this.logger.info(`load KV config table OK from ${source === 'bak' ? `${path}.bak` : path}`);
  }

  putKVConfig(namespace: string, key: string, value: string): void {
    let kvTable = this.configTable.get(namespace);
    if (kvTable === undefined) {
      this.configTable.set(namespace, (kvTable = new Map()));
      this.logger.info(`putKVConfig create new Namespace ${namespace}`);
    }
    const previous = kvTable.get(key);
    kvTable.set(key, value);
    const what = previous === undefined ? 'create new' : 'update';
    this.logger.info(`putKVConfig ${what} config item, Namespace: ${namespace} Key: ${key} Value: ${value}`);
    this.persist();
  }

  deleteKVConfig(namespace: string, key: string): void {
    const kvTable = this.configTable.get(namespace);
    if (kvTable !== undefined) {
      const value = kvTable.get(key);
      kvTable.delete(key);
      this.logger.info(`deleteKVConfig delete a config item, Namespace: ${namespace} Key: ${key} Value: ${value}`);
    }
    this.persist();
  }

  getKVConfig(namespace: string, key: string): string | undefined {
    return this.configTable.get(namespace)?.get(key);
  }

  /** KVTable JSON of the namespace, or undefined when the namespace is unknown (even if now empty). */
  getKVListByNamespace(namespace: string): Buffer | undefined {
    const kvTable = this.configTable.get(namespace);
    return kvTable === undefined ? undefined : encodeKVTable(kvTable);
  }

  /** The file content: `{"configTable":{…}}` with maps in Java HashMap order. */
  toJson(): string {
    const configTable = new Map([...this.configTable].map(([namespace, kvTable]) => [namespace, new Map(kvTable)]));
    return stringifyFastjson({ configTable });
  }

  persist(): void {
    const path = this.kvConfigPath();
    try {
      persistConfigFile(path, this.toJson());
    } catch (error) {
      this.logger.error(`persist kvconfig Exception, ${path}: ${(error as Error).message}`);
    }
  }
}
