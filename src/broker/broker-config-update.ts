// What UPDATE_BROKER_CONFIG may not change. Java's Configuration.update applies any value and
// persists every setting as `key=value` lines, nothing escaped (MixAll.properties2String), to the
// broker's `-c` file, which the next start reads. So a value with a line break adds lines (keys)
// to that file, a backslash is read back as an escape, and a brokerIP1 that is not an address or
// a listenPort out of range makes the next start fail. This broker refuses such an update at
// request time (SYSTEM_ERROR, the key and the rule in the remark) and changes nothing.
import net from 'node:net';
import { parseHostAddress } from '../codec/message/host-address';
import { bindProperties, persistedPropertyProblems } from '../common/java-properties';
import { type MessageStoreConfig, parseDelayLevels } from '../store/message-store-config';
import { brokerAddress, type BrokerConfig } from './broker-config';

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
  const metricsPort = brokerConfig.metricsPort;
  if (!Number.isInteger(metricsPort) || metricsPort < 0 || metricsPort > 65535)
    problems.push(`metricsPort=${metricsPort}: must be 0 (off) or a port number 1..65535`);
  if (net.isIP(brokerConfig.metricsHost.trim()) === 0)
    problems.push(`metricsHost=${brokerConfig.metricsHost}: must be an IP address to listen on`);
  const threads = brokerConfig.connectionWorkerThreads;
  if (!Number.isInteger(threads) || threads < 0 || threads > 64)
    problems.push(
      `connectionWorkerThreads=${threads}: must be an integer 0..64 (0: the main thread owns the connections)`,
    );
  const consolePort = brokerConfig.consolePort;
  if (!Number.isInteger(consolePort) || consolePort < 0 || consolePort > 65535)
    problems.push(`consolePort=${consolePort}: must be 0 (off) or a TCP port number`);
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
