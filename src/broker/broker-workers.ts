// The broker's worker threads, when configured: the send workers (sendMessageThreadPoolNums ≥ 2,
// broker/send-workers) or the connection workers (connectionWorkerThreads ≥ 1,
// broker/connection-workers), started with the servers and ended at shutdown. Their modules are
// loaded only when used.
import type { HostAddress } from '../codec/message/host-address';
import type { Logger } from '../common/logger';
import { bornHostOf } from '../handlers/born-host';
import type { RemotingServer } from '../remoting/remoting-server';
import type { DefaultMessageStore } from '../store/message-store';
import type { MessageStoreConfig } from '../store/message-store-config';
import type { BrokerConfig } from './broker-config';
import { pickLimits } from './broker-limits';
import type { PullBodySources } from './connection-workers/connection-worker-main';
import type { ConnectionWorkerPool } from './connection-workers/connection-worker-pool';
import type { SendWorkerPool } from './send-workers/send-worker-pool';

/** What the workers need of the broker. */
export interface WorkersHost {
  readonly brokerConfig: BrokerConfig;
  readonly messageStoreConfig: MessageStoreConfig;
  readonly messageStore: DefaultMessageStore;
  readonly storeHost: HostAddress;
  readonly logger: Logger;
}

export class BrokerWorkers {
  /** The send workers while sendMessageThreadPoolNums ≥ 2 (and no connection workers). */
  sendWorkerPool: SendWorkerPool | undefined;
  /** The connection workers while connectionWorkerThreads ≥ 1. */
  connectionWorkerPool: ConnectionWorkerPool | undefined;

  constructor(private readonly broker: WorkersHost) {}

  /** sendMessageThreadPoolNums ≥ 2 without ACL (its hook reads the headers the workers keep). */
  startSendWorkers(): SendWorkerPool | undefined {
    const { brokerConfig: config, logger } = this.broker;
    if (config.sendMessageThreadPoolNums < 2) return undefined;
    if (config.aclEnable) {
      logger.warn('sendMessageThreadPoolNums ignored: with aclEnable sends are processed on the main thread');
      return undefined;
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { SendWorkerPool } =
      require('./send-workers/send-worker-pool') as typeof import('./send-workers/send-worker-pool');
    const pool = new SendWorkerPool(
      {
        sendMessageThreadPoolNums: config.sendMessageThreadPoolNums,
        brokerClusterName: config.brokerClusterName,
        maxMessageSize: this.broker.messageStoreConfig.maxMessageSize,
        mappedFileSizeCommitLog: this.broker.messageStoreConfig.mappedFileSizeCommitLog,
        storeHost: () => this.broker.storeHost,
        bornHost: (connection) => bornHostOf(connection, this.broker.storeHost),
      },
      logger,
    );
    logger.info(`send workers: ${pool.workerCount} (sendMessageThreadPoolNums=${config.sendMessageThreadPoolNums})`);
    this.sendWorkerPool = pool;
    return pool;
  }

  /** connectionWorkerThreads ≥ 1: the workers accept on both ports and own every client connection. */
  async startConnectionWorkers(servers: RemotingServer[], threads: number): Promise<void> {
    if (!Number.isInteger(threads) || threads > 64)
      throw new Error(`connectionWorkerThreads=${threads}: must be an integer 0..64`);
    const { brokerConfig: config, messageStoreConfig, logger } = this.broker;
    if (config.sendMessageThreadPoolNums >= 2)
      logger.warn('sendMessageThreadPoolNums ignored: the connection workers encode the sends');
    const fds = servers.map((server) => server.bindShared());
    // the main thread's work per send is what bounds this mode: its commit-log writes go to the pool
    this.broker.messageStore.commitLogWriteOnThreadPool = true;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ConnectionWorkerPool } =
      require('./connection-workers/connection-worker-pool') as typeof import('./connection-workers/connection-worker-pool');
    const limits = pickLimits(config);
    this.connectionWorkerPool = await ConnectionWorkerPool.start(
      {
        threads,
        servers,
        idleTimeoutMs: config.serverChannelMaxIdleTimeSeconds * 1000,
        frameMaxBytes: limits.frameMaxLength,
        maxPendingWriteBytes: limits.serverMaxPendingWriteBytes ?? 0,
        encodeSends: !config.aclEnable,
        brokerClusterName: config.brokerClusterName,
        maxMessageSize: messageStoreConfig.maxMessageSize,
        mappedFileSizeCommitLog: messageStoreConfig.mappedFileSizeCommitLog,
        storeHost: this.broker.storeHost,
        pullBodies: this.pullBodySources(),
      },
      fds,
      logger,
    );
    logger.info(`connection workers: ${threads} (connectionWorkerThreads=${threads})`);
  }

  async shutdownConnectionWorkers(): Promise<void> {
    const pool = this.connectionWorkerPool;
    if (pool === undefined) return;
    this.broker.logger.info(`connection workers received ${JSON.stringify(pool.received)}`);
    await pool.shutdown();
  }

  async shutdownSendWorkers(): Promise<void> {
    const pool = this.sendWorkerPool;
    if (pool === undefined) return;
    this.broker.logger.info(`send workers posted ${JSON.stringify(pool.posted)}`);
    await pool.shutdown();
  }

  /**
   * What the connection workers need to read pull bodies (connectionWorkerPullBodies); nothing on a
   * slave, whose log may be truncated under a reader (HA): its pulls read on the main thread.
   */
  private pullBodySources(): PullBodySources | undefined {
    const { brokerConfig, messageStoreConfig, messageStore } = this.broker;
    if (!brokerConfig.connectionWorkerPullBodies || messageStoreConfig.brokerRole === 'SLAVE') return undefined;
    return { storePathCommitLog: messageStoreConfig.storePathCommitLog, hotTail: messageStore.shareHotTail() };
  }
}
