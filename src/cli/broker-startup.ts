// BrokerStartup: turns `mqbroker` arguments and a broker.conf into a BrokerController.
//
//   mqbroker [-c broker.conf] [-n "host:port;host:port"] [-p | -m] [-h]
//
// Keys are Java's (BrokerConfig, NettyServerConfig, MessageStoreConfig). One difference from Java,
// on purpose: when only storePathRootDir is given, the commit log goes under it
// (<root>/commitlog) instead of staying in ~/store/commitlog.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type BrokerConfig, defaultBrokerConfig } from '../broker/broker-config';
import { BrokerController } from '../broker/broker-controller';
import { bindProperties, parseJavaProperties } from '../common/java-properties';
import { SAFETY_KEY_NAMES, unimplementedSafetySettings } from '../broker/unimplemented-config';
import { BROKER_ROLES, defaultMessageStoreConfig, type MessageStoreConfig } from '../store/message-store-config';

export interface BrokerStartupResult {
  brokerConfig: BrokerConfig;
  messageStoreConfig: MessageStoreConfig;
  configFilePath?: string;
  printConfig?: 'all' | 'important';
  unknownKeys: string[];
}

export const BROKER_USAGE =
  'usage: mqbroker [-c configFile] [-n namesrvAddr] [-p printConfigItem] [-m printImportantConfig] [-h help]';

const IMPORTANT_KEYS = [
  'brokerClusterName',
  'brokerName',
  'brokerId',
  'brokerIP1',
  'listenPort',
  'namesrvAddr',
  'storePathRootDir',
  'storePathCommitLog',
  'flushDiskType',
  'brokerRole',
];

export function parseBrokerArgs(argv: string[]): BrokerStartupResult {
  const { values } = parseArgs({
    args: argv,
    options: {
      configFile: { type: 'string', short: 'c' },
      namesrvAddr: { type: 'string', short: 'n' },
      printConfigItem: { type: 'boolean', short: 'p' },
      printImportantConfig: { type: 'boolean', short: 'm' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) throw new UsageError(BROKER_USAGE);
  const brokerConfig = defaultBrokerConfig();
  const messageStoreConfig = defaultMessageStoreConfig();
  let unknownKeys: string[] = [];
  const configFilePath = values.configFile === undefined ? undefined : path.resolve(values.configFile);
  if (configFilePath !== undefined) {
    const properties = parseJavaProperties(fs.readFileSync(configFilePath, 'utf8'));
    if (properties.has('storePathRootDir') && !properties.has('storePathCommitLog')) {
      properties.set('storePathCommitLog', path.join(properties.get('storePathRootDir')!.trim(), 'commitlog'));
    }
    const problems = unimplementedSafetySettings(properties);
    if (problems.length > 0) throw new ConfigError(`${configFilePath}: ${problems.join('; ')}`);
    const refusedByBroker = new Set(bindProperties(brokerConfig, properties));
    unknownKeys = bindProperties(messageStoreConfig, properties).filter(
      (key) => refusedByBroker.has(key) && !SAFETY_KEY_NAMES.includes(key),
    );
  }
  applyRole(brokerConfig, messageStoreConfig);
  if (values.namesrvAddr !== undefined) brokerConfig.namesrvAddr = values.namesrvAddr;
  const printConfig = values.printConfigItem ? 'all' : values.printImportantConfig ? 'important' : undefined;
  return { brokerConfig, messageStoreConfig, configFilePath, printConfig, unknownKeys };
}

/**
 * Java BrokerStartup: a master's brokerId is always 0 (MixAll.MASTER_ID); a slave's must be > 0
 * (Java prints "Slave's brokerId must be > 0" and exits with -3). The HA port is listenPort + 1
 * (ours: 0, any free port, when listenPort is 0). Java keeps ASYNC_MASTER for a brokerRole it
 * cannot parse; we refuse to start instead, so a misspelt SLAVE never runs as a second master.
 */
function applyRole(brokerConfig: BrokerConfig, messageStoreConfig: MessageStoreConfig): void {
  const role = messageStoreConfig.brokerRole;
  if (!BROKER_ROLES.includes(role))
    throw new ConfigError(`brokerRole=${String(role)} is not one of ${BROKER_ROLES.join(', ')}`);
  if (role === 'SLAVE' && !(brokerConfig.brokerId > 0)) throw new ConfigError("Slave's brokerId must be > 0", 253);
  if (role !== 'SLAVE') brokerConfig.brokerId = 0;
  messageStoreConfig.haListenPort = brokerConfig.listenPort === 0 ? 0 : brokerConfig.listenPort + 1;
}

export class UsageError extends Error {}

/** A broker.conf the broker must not start with; `exitCode` as the process should exit. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** The config as `-p` / `-m` print it: one `key=value` line each. */
export function formatBrokerConfig(result: BrokerStartupResult): string {
  const entries = [...Object.entries(result.brokerConfig), ...Object.entries(result.messageStoreConfig)].sort(
    ([a], [b]) => a.localeCompare(b),
  );
  const shown = result.printConfig === 'important' ? entries.filter(([key]) => IMPORTANT_KEYS.includes(key)) : entries;
  return `${shown.map(([key, value]) => `${key}=${String(value)}`).join('\n')}\n`;
}

export function createBrokerController(result: BrokerStartupResult): BrokerController {
  return new BrokerController(result.brokerConfig, result.messageStoreConfig, result.configFilePath);
}

export function bootSuccessLine(controller: BrokerController): string {
  const config = controller.brokerConfig;
  return (
    `The broker[${config.brokerName}, ${config.brokerIP1}:${controller.listenPort}] boot success. ` +
    `serializeType=JSON and name server is ${config.namesrvAddr}`
  );
}
