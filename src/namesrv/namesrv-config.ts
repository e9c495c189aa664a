// The name server's settings: Java's NamesrvConfig and NettyServerConfig keys (as namesrv.properties
// and `mqnamesrv -p` spell them), plus our bindAddress (127.0.0.1, or $ROCKETMQ_BIND_ADDRESS). The
// netty thread/buffer keys are accepted and printed so existing config files keep working, but Node
// has no use for them.
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { FASTJSON_MAX_DEPTH } from '../codec/fastjson-parse';
import { DEFAULT_REMOTING_LIMITS, validateRemotingLimits } from '../remoting/remoting-limits';

export interface NamesrvConfig {
  // org.apache.rocketmq.common.namesrv.NamesrvConfig, in declaration order
  rocketmqHome: string | undefined;
  kvConfigPath: string;
  configStorePath: string;
  productEnvName: string;
  clusterTest: boolean;
  orderMessageEnable: boolean;
  // org.apache.rocketmq.remoting.netty.NettyServerConfig, in declaration order
  listenPort: number;
  serverWorkerThreads: number;
  serverCallbackExecutorThreads: number;
  serverSelectorThreads: number;
  serverOnewaySemaphoreValue: number;
  serverAsyncSemaphoreValue: number;
  serverChannelMaxIdleTimeSeconds: number;
  serverSocketSndBufSize: number;
  serverSocketRcvBufSize: number;
  serverPooledByteBufAllocatorEnable: boolean;
  useEpollNativeSelector: boolean;
  // ours: the address to listen on (Java listens on every interface)
  bindAddress: string;
  // ours: the Prometheus /metrics endpoint (0 = off, the default) and the address it binds
  metricsPort: number;
  metricsHost: string;
  // ours: limits (the README's "Limits" table; frameMaxLength is Java's system property)
  serverMaxConnections: number;
  frameMaxLength: number;
  serverMaxPendingWriteBytes: number;
  fastjsonMaxDepth: number;
}

export type NamesrvConfigKey = keyof NamesrvConfig;

/** NamesrvConfig's fields, in the order Java prints them. */
export const NAMESRV_CONFIG_KEYS: readonly NamesrvConfigKey[] = [
  'rocketmqHome',
  'kvConfigPath',
  'configStorePath',
  'productEnvName',
  'clusterTest',
  'orderMessageEnable',
];

/** NettyServerConfig's fields, in the order Java prints them, then ours (bindAddress, metricsPort, metricsHost). */
export const NETTY_SERVER_CONFIG_KEYS: readonly NamesrvConfigKey[] = [
  'listenPort',
  'serverWorkerThreads',
  'serverCallbackExecutorThreads',
  'serverSelectorThreads',
  'serverOnewaySemaphoreValue',
  'serverAsyncSemaphoreValue',
  'serverChannelMaxIdleTimeSeconds',
  'serverSocketSndBufSize',
  'serverSocketRcvBufSize',
  'serverPooledByteBufAllocatorEnable',
  'useEpollNativeSelector',
  'bindAddress',
  'metricsPort',
  'metricsHost',
  'serverMaxConnections',
  'frameMaxLength',
  'serverMaxPendingWriteBytes',
  'fastjsonMaxDepth',
];

export const ALL_NAMESRV_CONFIG_KEYS: readonly NamesrvConfigKey[] = [
  ...NAMESRV_CONFIG_KEYS,
  ...NETTY_SERVER_CONFIG_KEYS,
];

/** Java's defaults; homes come from $HOME and $ROCKETMQ_HOME. The name server listens on 9876. */
export function createNamesrvConfig(
  overrides: Partial<NamesrvConfig> = {},
  env: NodeJS.ProcessEnv = process.env,
): NamesrvConfig {
  const home = os.homedir();
  const config: NamesrvConfig = {
    rocketmqHome: env.ROCKETMQ_HOME,
    kvConfigPath: path.join(home, 'namesrv', 'kvConfig.json'),
    configStorePath: path.join(home, 'namesrv', 'namesrv.properties'),
    productEnvName: 'center',
    clusterTest: false,
    orderMessageEnable: false,
    listenPort: 9876,
    serverWorkerThreads: 8,
    serverCallbackExecutorThreads: 0,
    serverSelectorThreads: 3,
    serverOnewaySemaphoreValue: 256,
    serverAsyncSemaphoreValue: 64,
    serverChannelMaxIdleTimeSeconds: 120,
    serverSocketSndBufSize: 65535,
    serverSocketRcvBufSize: 65535,
    serverPooledByteBufAllocatorEnable: true,
    useEpollNativeSelector: false,
    bindAddress: env.ROCKETMQ_BIND_ADDRESS || '127.0.0.1', // the container image sets 0.0.0.0
    metricsPort: 0,
    metricsHost: '127.0.0.1',
    ...DEFAULT_REMOTING_LIMITS,
    fastjsonMaxDepth: FASTJSON_MAX_DEPTH,
  };
  return Object.assign(config, overrides);
}

/** Throws RangeError naming the first setting the server cannot run with. */
export function validateNamesrvConfig(config: NamesrvConfig): void {
  if (!Number.isInteger(config.listenPort) || config.listenPort < 0 || config.listenPort > 65535) {
    throw new RangeError(`listenPort must be an integer in 0..65535, got ${config.listenPort}`);
  }
  if (!Number.isInteger(config.serverChannelMaxIdleTimeSeconds) || config.serverChannelMaxIdleTimeSeconds <= 0) {
    throw new RangeError(
      `serverChannelMaxIdleTimeSeconds must be a positive integer, got ${config.serverChannelMaxIdleTimeSeconds}`,
    );
  }
  validateRemotingLimits(config);
  if (!Number.isInteger(config.fastjsonMaxDepth) || config.fastjsonMaxDepth < 1 || config.fastjsonMaxDepth > 1000) {
    throw new RangeError(`fastjsonMaxDepth must be an integer in 1..1000, got ${config.fastjsonMaxDepth}`);
  }
  for (const key of ['kvConfigPath', 'configStorePath', 'bindAddress'] as const) {
    if (typeof config[key] !== 'string' || config[key] === '') throw new RangeError(`${key} must not be empty`);
  }
  if (!Number.isInteger(config.metricsPort) || config.metricsPort < 0 || config.metricsPort > 65535) {
    throw new RangeError(`metricsPort must be 0 (off) or a port number 1..65535, got ${config.metricsPort}`);
  }
  if (typeof config.metricsHost !== 'string' || net.isIP(config.metricsHost.trim()) === 0) {
    throw new RangeError(`metricsHost must be an IP address to listen on, got ${config.metricsHost}`);
  }
}

/** MixAll.object2Properties: every non-null field as text, in print order. */
export function namesrvConfigProperties(config: NamesrvConfig): [string, string][] {
  const entries: [string, string][] = [];
  for (const key of ALL_NAMESRV_CONFIG_KEYS) {
    const value = config[key];
    if (value !== undefined && value !== null) entries.push([key, String(value)]);
  }
  return entries;
}

/** MixAll.printObjectProperties: `name=value` for every field, a null value printed as empty. */
export function formatNamesrvConfigForPrint(config: NamesrvConfig): string[] {
  return ALL_NAMESRV_CONFIG_KEYS.map((key) => `${key}=${config[key] ?? ''}`);
}
