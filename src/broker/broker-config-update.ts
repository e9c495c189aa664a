// What UPDATE_BROKER_CONFIG may not change. Java's Configuration.update applies any value and
// persists every setting as `key=value` lines, nothing escaped (MixAll.properties2String), to the
// broker's `-c` file, which the next start reads. So a value with a line break adds lines (keys)
// to that file, a backslash is read back as an escape, and a brokerIP1 that is not an address or
// a listenPort out of range makes the next start fail. This broker refuses such an update at
// request time (SYSTEM_ERROR, the key and the rule in the remark) and changes nothing.
import net from 'node:net';
import path from 'node:path';
import { setFastjsonMaxDepth } from '../codec/fastjson-parse';
import { parseHostAddress } from '../codec/message/host-address';
import { persistConfigFile } from '../common/config-file';
import { bindProperties, formatJavaProperties, persistedPropertyProblems } from '../common/java-properties';
import {
  BROKER_ROLES,
  type BrokerRole,
  type MessageStoreConfig,
  parseDelayLevels,
} from '../store/message-store-config';
import { brokerAddress, type BrokerConfig } from './broker-config';
import type { BrokerController } from './broker-controller';
import { badLimitProperties } from './broker-limits';
import { JAVA_CONFIG_KEY_ORDER } from './java-only-config';
import { withoutUnimplementedSafetySettings } from './unimplemented-config';

/**
 * Where the store is and how its files are cut: a start with other values would look for an empty
 * store elsewhere, or fail on files of another size (Java: "length not matched message store
 * config value"). They may be set in broker.conf, not changed remotely.
 */
export const STORE_LAYOUT_KEYS: readonly string[] = [
  'storePathRootDir',
  'storePathCommitLog',
  'mappedFileSizeCommitLog',
  'mappedFileSizeConsumeQueue',
];

const isPortOrOff = (port: number): boolean => Number.isInteger(port) && port >= 0 && port <= 65535;

/** Why metricsPort cannot be used, or undefined: 0 (off) or a port number. */
export function metricsPortProblem(port: number): string | undefined {
  return isPortOrOff(port) ? undefined : `metricsPort=${port}: must be 0 (off) or a port number 1..65535`;
}

/** Why consolePort cannot be used, or undefined: 0 (off) or a port number. */
export function consolePortProblem(port: number): string | undefined {
  return isPortOrOff(port) ? undefined : `consolePort=${port}: must be 0 (off) or a TCP port number`;
}

/** What a start with these settings would refuse or fail on, one line each. */
export function brokerStartProblems(brokerConfig: BrokerConfig, storeConfig: MessageStoreConfig): string[] {
  const problems: string[] = [];
  const port = brokerConfig.listenPort;
  if (!Number.isInteger(port) || port < 0 || port > 65535 || port === 1 || port === 2) {
    problems.push(
      `listenPort=${port}: must be 0 or an integer in 3..65535 (the VIP channel listens on listenPort - 2)`,
    );
  } else if (parseHostAddress(brokerAddress(brokerConfig)) === null) {
    problems.push(
      `brokerIP1=${brokerConfig.brokerIP1}: must be an IP address (it is stored in every message as its store host)`,
    );
  }
  if (net.isIP(brokerConfig.bindAddress.trim()) === 0)
    problems.push(`bindAddress=${brokerConfig.bindAddress}: must be an IP address to listen on`);
  const metricsProblem = metricsPortProblem(brokerConfig.metricsPort);
  if (metricsProblem !== undefined) problems.push(metricsProblem);
  if (net.isIP(brokerConfig.metricsHost.trim()) === 0)
    problems.push(`metricsHost=${brokerConfig.metricsHost}: must be an IP address to listen on`);
  const threads = brokerConfig.connectionWorkerThreads;
  if (!Number.isInteger(threads) || threads < 0 || threads > 64)
    problems.push(
      `connectionWorkerThreads=${threads}: must be an integer 0..64 (0: the main thread owns the connections)`,
    );
  const consoleProblem = consolePortProblem(brokerConfig.consolePort);
  if (consoleProblem !== undefined) problems.push(consoleProblem);
  if (net.isIP(brokerConfig.consoleHost.trim()) === 0)
    problems.push(`consoleHost=${brokerConfig.consoleHost}: must be an IP address to listen on`);
  try {
    parseDelayLevels(storeConfig.messageDelayLevel);
  } catch (error) {
    problems.push(
      `messageDelayLevel=${storeConfig.messageDelayLevel}: ${(error as Error).message} (levels are numbers with a unit s, m, h or d)`,
    );
  }
  return problems;
}

/**
 * Why `requested` may not be applied, one line per problem; empty when the update may go ahead.
 * Keys the broker does not know and values that do not parse are not problems: Java ignores them.
 */
export function brokerConfigUpdateProblems(
  requested: ReadonlyMap<string, string>,
  brokerConfig: BrokerConfig,
  storeConfig: MessageStoreConfig,
): string[] {
  const problems = persistedPropertyProblems(requested);
  if (problems.length > 0) return problems;
  const current = storeConfig as unknown as Record<string, unknown>;
  for (const key of STORE_LAYOUT_KEYS) {
    const value = requested.get(key);
    if (value !== undefined && value.trim() !== String(current[key])) {
      problems.push(
        `${key} cannot be changed remotely: the next start would look for the store elsewhere ` +
          'or read it with another layout; set it in broker.conf',
      );
    }
  }
  const candidateBroker = { ...brokerConfig };
  const candidateStore = { ...storeConfig };
  const properties = new Map(requested);
  bindProperties(candidateBroker, properties);
  bindProperties(candidateStore, properties);
  const already = new Set(brokerStartProblems(brokerConfig, storeConfig)); // not this request's doing
  problems.push(...brokerStartProblems(candidateBroker, candidateStore).filter((problem) => !already.has(problem)));
  return problems;
}

/** Java's keys in Java's declaration order, then ours (bindAddress, litePullMessageEnable, ...) sorted. */
export function brokerConfigEntries(brokerConfig: BrokerConfig, storeConfig: MessageStoreConfig): [string, unknown][] {
  const all = new Map<string, unknown>([...Object.entries(brokerConfig), ...Object.entries(storeConfig)]);
  const entries: [string, unknown][] = [];
  for (const key of JAVA_CONFIG_KEY_ORDER) {
    if (all.has(key)) entries.push([key, all.get(key)]);
    all.delete(key);
  }
  return [...entries, ...[...all].sort(([a], [b]) => a.localeCompare(b))];
}

/**
 * Applies an UPDATE_BROKER_CONFIG that brokerConfigUpdateProblems let through and persists every
 * setting; returns the keys it refused (Java's Configuration.update, with this broker's refusals).
 */
export function applyBrokerConfigUpdate(broker: BrokerController, requested: Map<string, string>): string[] {
  const { brokerConfig, messageStoreConfig } = broker;
  const { kept: properties, refused: unsafe } = withoutUnimplementedSafetySettings(requested);
  const role = properties.get('brokerRole')?.trim();
  // A bad role keeps the old one (Java: Enum.valueOf throws). ASYNC_MASTER <-> SYNC_MASTER takes
  // effect at once, as in Java; master <-> SLAVE needs a restart here (the HA client, slave sync
  // and the master's services are set up at start), so it is refused.
  if (
    role !== undefined &&
    (!BROKER_ROLES.includes(role as BrokerRole) || (role === 'SLAVE') !== (broker.brokerRole === 'SLAVE'))
  ) {
    properties.delete('brokerRole');
    unsafe.push('brokerRole');
  }
  for (const key of badLimitProperties(brokerConfig, properties)) {
    properties.delete(key); // a limit out of its range keeps the old one
    unsafe.push(key);
  }
  const refusedByBroker = new Set(bindProperties(brokerConfig, properties));
  const refusedByStore = new Set(bindProperties(messageStoreConfig, properties));
  if (properties.has('fastjsonMaxDepth')) setFastjsonMaxDepth(brokerConfig.fastjsonMaxDepth);
  const refused = [...unsafe, ...[...refusedByBroker].filter((key) => refusedByStore.has(key))];
  broker.configDataVersion.nextVersion();
  const file = broker.configFilePath ?? path.join(messageStoreConfig.storePathRootDir, 'config', 'broker.properties');
  try {
    persistConfigFile(file, formatJavaProperties(brokerConfigEntries(brokerConfig, messageStoreConfig)));
  } catch (error) {
    broker.logger.error(`persist string2File error, ${file}: ${(error as Error).message}`); // Java Configuration.persist
  }
  if (properties.has('brokerPermission')) {
    broker.topicConfigManager.dataVersion.nextVersion();
    void broker.registerBrokerAll();
  }
  return refused;
}
