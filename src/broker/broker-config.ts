// BrokerConfig and NettyServerConfig keys, with the Java names and 4.7.1 defaults (the store's keys
// live in MessageStoreConfig). Differences from Java, on purpose: brokerIP1/brokerIP2 default to
// 127.0.0.1 and the servers bind 127.0.0.1 (`bindAddress`, ours; `$ROCKETMQ_BIND_ADDRESS` when set,
// which the container image sets to 0.0.0.0) so a default start stays on loopback; brokerName
// defaults to `broker-a` as in the shipped conf/broker.conf.
import os from 'node:os';
import path from 'node:path';
import { type BrokerLimits, DEFAULT_BROKER_LIMITS } from './broker-limits';
import { type JavaOnlyBrokerConfig, javaOnlyBrokerConfig } from './java-only-config';

/**
 * Ours and Java's keys; the Java keys this broker only reports are in java-only-config.ts, the limits
 * (our keys, see the README's "Limits" table) in broker-limits.ts.
 */
export interface BrokerConfig extends BrokerLimits, JavaOnlyBrokerConfig {
  rocketmqHome: string;
  namesrvAddr: string;
  brokerIP1: string;
  brokerIP2: string;
  brokerName: string;
  brokerClusterName: string;
  brokerId: number;
  brokerPermission: number;
  defaultTopicQueueNums: number;
  autoCreateTopicEnable: boolean;
  clusterTopicEnable: boolean;
  brokerTopicEnable: boolean;
  autoCreateSubscriptionGroup: boolean;
  traceTopicEnable: boolean;
  msgTraceTopicName: string;
  longPollingEnable: boolean;
  /** 5.x key: LITE_PULL_MESSAGE (361) is served; false answers it NO_PERMISSION. */
  litePullMessageEnable: boolean;
  shortPollingTimeMills: number;
  notifyConsumerIdsChangedEnable: boolean;
  regionId: string;
  traceOn: boolean;
  registerBrokerTimeoutMills: number;
  registerNameServerPeriod: number;
  forceRegister: boolean;
  compressedRegister: boolean;
  flushConsumerOffsetInterval: number;
  enablePropertyFilter: boolean;
  filterSupportRetry: boolean;
  rejectTransactionMessage: boolean;
  transactionTimeOut: number;
  transactionCheckMax: number;
  transactionCheckInterval: number;
  slaveReadEnable: boolean;
  aclEnable: boolean;
  /** Ours: port of the Prometheus /metrics endpoint; 0 (the default) turns it off. */
  metricsPort: number;
  /** Ours: the address /metrics binds (127.0.0.1). */
  metricsHost: string;
  /** Ours: the web console's HTTP port (src/console/), 0 = off. */
  consolePort: number;
  /** Ours: the address the web console binds to. */
  consoleHost: string;
  // NettyServerConfig
  listenPort: number;
  bindAddress: string;
  serverChannelMaxIdleTimeSeconds: number;
  serverWorkerThreads: number;
  serverSelectorThreads: number;
  sendMessageThreadPoolNums: number;
  pullMessageThreadPoolNums: number;
  /**
   * Ours: worker threads that own the client connections (socket I/O, framing, plain sends'
   * encoding; broker/connection-workers); 0 = the main thread owns them.
   */
  connectionWorkerThreads: number;
  /**
   * Ours: with connection workers, the bodies of pull answers near the log end are read from the
   * commit log by the worker that writes them, not by the main thread (master only).
   */
  connectionWorkerPullBodies: boolean;
}

export function defaultBrokerConfig(): BrokerConfig {
  return {
    ...javaOnlyBrokerConfig(),
    rocketmqHome: process.env.ROCKETMQ_HOME ?? path.join(os.homedir(), 'rocketmq'),
    namesrvAddr: process.env.NAMESRV_ADDR ?? '127.0.0.1:9876',
    brokerIP1: '127.0.0.1',
    brokerIP2: '127.0.0.1',
    brokerName: 'broker-a',
    brokerClusterName: 'DefaultCluster',
    brokerId: 0,
    brokerPermission: 6,
    defaultTopicQueueNums: 8,
    autoCreateTopicEnable: true,
    clusterTopicEnable: true,
    brokerTopicEnable: true,
    autoCreateSubscriptionGroup: true,
    traceTopicEnable: false,
    msgTraceTopicName: 'RMQ_SYS_TRACE_TOPIC',
    longPollingEnable: true,
    litePullMessageEnable: true,
    shortPollingTimeMills: 1000,
    notifyConsumerIdsChangedEnable: true,
    regionId: 'DefaultRegion',
    traceOn: true,
    registerBrokerTimeoutMills: 6000,
    registerNameServerPeriod: 30_000,
    forceRegister: true,
    compressedRegister: false,
    flushConsumerOffsetInterval: 5000,
    enablePropertyFilter: false,
    filterSupportRetry: false,
    rejectTransactionMessage: false,
    transactionTimeOut: 6000,
    transactionCheckMax: 15,
    transactionCheckInterval: 60_000,
    slaveReadEnable: false,
    aclEnable: false,
    metricsPort: 0,
    metricsHost: '127.0.0.1',
    consolePort: 0,
    consoleHost: '127.0.0.1',
    listenPort: 10911,
    bindAddress: process.env.ROCKETMQ_BIND_ADDRESS || '127.0.0.1',
    serverChannelMaxIdleTimeSeconds: 120,
    serverWorkerThreads: 8,
    serverSelectorThreads: 3,
    // 1 (Java's default): sends are processed on the main thread; N ≥ 2: N − 1 send workers
    // (broker/send-workers). ROCKETMQ_SEND_THREAD_POOL_NUMS sets the default (tests run both ways).
    sendMessageThreadPoolNums: threadsFromEnvironment('ROCKETMQ_SEND_THREAD_POOL_NUMS', 1, 1),
    pullMessageThreadPoolNums: 20,
    connectionWorkerThreads: threadsFromEnvironment('ROCKETMQ_CONNECTION_WORKER_THREADS', 0, 0),
    connectionWorkerPullBodies: true,
    ...DEFAULT_BROKER_LIMITS,
  };
}

/** A thread count's default from `$name` (an integer min..64), else `fallback`. */
function threadsFromEnvironment(name: string, fallback: number, min: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > 64)
    throw new Error(`${name} must be an integer ${min}..64, got ${text}`);
  return value;
}

/** `brokerIP1:listenPort`: the address registered with the NameServer and written as storeHost. */
export function brokerAddress(config: BrokerConfig): string {
  return `${config.brokerIP1}:${config.listenPort}`;
}
