// BrokerController: builds the broker's managers, store, processors and servers, and runs its
// timers: register with every NameServer at start and every registerNameServerPeriod, persist
// consumer offsets every flushConsumerOffsetInterval, drop silent clients every 10 s.
// The VIP server on listenPort − 2 serves the same codes as the main port except PULL_MESSAGE.
//
// Roles (brokerRole, as Java's BrokerController): every broker starts the store's HA server on
// haListenPort. A master runs the schedule, timer and transaction-check services; a SLAVE runs
// none of them (its store is written only by its master), follows haMasterAddress when it is set
// (length >= 6) or else the haServerAddr each registration answers, and copies its master's
// tables every 10 s (SlaveSynchronize) from the masterAddr the registration answers.
import path from 'node:path';
import { parseHostAddress } from '../codec/message/host-address';
import { RequestCode } from '../codec/request-code';
import { getLogger, type Logger } from '../common/logger';
import { bindProperties, formatJavaProperties } from '../common/java-properties';
import { AdminBrokerProcessor } from '../handlers/admin-broker-processor';
import { ClientManageProcessor } from '../handlers/client-manage-processor';
import { ConsumerManageProcessor } from '../handlers/consumer-manage-processor';
import { PullMessageProcessor } from '../handlers/pull-message-processor';
import { QueryMessageProcessor } from '../handlers/query-message-processor';
import { SendMessageProcessor } from '../handlers/send-message-processor';
import { EndTransactionProcessor } from '../handlers/end-transaction-processor';
import { ReplyMessageProcessor } from '../handlers/reply-message-processor';
import { RemotingServer } from '../remoting/remoting-server';
import { persistConfigFile } from '../common/config-file';
import { DefaultMessageStore } from '../store/message-store';
import type { MessageStoreConfig } from '../store/message-store-config';
import { brokerAddress, type BrokerConfig } from './broker-config';
import { badLimitProperties, pickLimits, validateBrokerLimits } from './broker-limits';
import { setFastjsonMaxDepth } from '../codec/fastjson-parse';
import type { BrokerContext } from './broker-context';
import { type BrokerIdentity, BrokerOuterAPI } from './broker-outer-api';
import { notifyConsumerIdsChanged } from './broker2client';
import { type ClientChannelInfo, ConsumerManager } from './consumer-manager';
import { ConsumerOffsetManager } from './consumer-offset-manager';
import { DataVersion } from './config-manager';
import { PullRequestHoldService } from './longpolling/pull-request-hold-service';
import { ProducerManager } from './producer-manager';
import { RebalanceLockManager } from './rebalance/rebalance-lock-manager';
import { ConsumerFilterManager } from './filter/consumer-filter-manager';
import { ScheduleMessageService } from './schedule/schedule-message-service';
import { TimerMessageService } from './timer/timer-message-service';
import { TransactionalMessageCheckService } from './transaction/transactional-message-check-service';
import { BrokerStatsManager } from './stats/broker-stats-manager';
import { TopicValidator } from './topic-validator';
import { SubscriptionGroupManager } from './subscription-group-manager';
import { TopicConfigManager } from './topic-config-manager';
import { isReadable, isWriteable } from './perm-name';
import { newTopicConfig, type TopicConfig } from './topic-config';
import { withoutUnimplementedSafetySettings } from './unimplemented-config';
import { SlaveSynchronize } from './slave/slave-synchronize';
import { BROKER_ROLES, type BrokerRole } from '../store/message-store-config';
import { JAVA_CONFIG_KEY_ORDER } from './java-only-config';
import { RegistrationPasses } from './registration-passes';
import { BrokerWorkers } from './broker-workers';

const CLIENT_SCAN_INTERVAL_MS = 10_000;
/** Java handleSlaveSynchronize: first after 3 s, then every 10 s. */
const SLAVE_SYNC_DELAY_MS = 3000;
const SLAVE_SYNC_PERIOD_MS = 10_000;
/** A registration pass this long is logged: a heartbeat that creates a %RETRY% topic waits for one. */
const SLOW_REGISTRATION_MS = 1000;

/** metricsPort must be 0 (off) or a port number; checked before anything starts. */
function checkMetricsPort(port: number): void {
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`metricsPort=${port}: must be 0 (off) or a port number 1..65535`);
}

/** consolePort must be 0 (off) or a port number; checked before anything starts. */
function checkConsolePort(port: number): void {
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`consolePort=${port}: must be 0 (off) or a TCP port number`);
}

export class BrokerController implements BrokerContext {
  readonly messageStore: DefaultMessageStore;
  readonly topicConfigManager: TopicConfigManager;
  readonly subscriptionGroupManager: SubscriptionGroupManager;
  readonly consumerOffsetManager: ConsumerOffsetManager;
  readonly consumerManager: ConsumerManager;
  readonly producerManager: ProducerManager;
  readonly pullRequestHoldService: PullRequestHoldService;
  readonly scheduleMessageService: ScheduleMessageService;
  readonly transactionalMessageCheckService: TransactionalMessageCheckService;
  readonly timerMessageService: TimerMessageService;
  readonly rebalanceLockManager = new RebalanceLockManager();
  readonly consumerFilterManager = new ConsumerFilterManager();
  readonly brokerStatsManager = new BrokerStatsManager(() => this.brokerConfig.brokerClusterName);
  readonly storeHost;
  readonly startTimestampMs = Date.now();
  readonly configDataVersion = new DataVersion();
  readonly logger: Logger = getLogger('broker');
  private readonly outerApi = new BrokerOuterAPI();
  private readonly servers: RemotingServer[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly pullMessageProcessor: PullMessageProcessor;
  private readonly registrations = new RegistrationPasses(() => this.registerOnce());
  readonly slaveSynchronize: SlaveSynchronize;
  /** A slave without haMasterAddress follows the haServerAddr registration answers (Java's flag). */
  private updateMasterHAServerAddrPeriodically = false;
  private slaveSyncing = false;
  /** The Prometheus endpoint when metricsPort is set (its module and prom-client are not loaded otherwise). */
  metricsServer: import('../common/metrics-http-server').MetricsHttpServer | undefined;
  /** The send or connection worker threads, when configured (broker-workers.ts). */
  private readonly workers = new BrokerWorkers(this);
  /** Plain ACL when aclEnable (loaded at start; its module is not loaded otherwise). */
  accessValidator: import('./acl/plain-access-validator').PlainAccessValidator | undefined;
  /** The web console when consolePort > 0 (its module is not loaded otherwise). */
  console: import('../console/console-server').ConsoleServer | undefined;

  constructor(
    readonly brokerConfig: BrokerConfig,
    readonly messageStoreConfig: MessageStoreConfig,
    /** The `-c` file, where UPDATE_BROKER_CONFIG persists (else config/broker.properties). */
    readonly configFilePath?: string,
  ) {
    validateBrokerLimits(brokerConfig);
    const configDir = path.join(messageStoreConfig.storePathRootDir, 'config');
    const storeHost = parseHostAddress(brokerAddress(brokerConfig));
    if (storeHost === null) throw new Error(`brokerIP1 ${brokerConfig.brokerIP1} is not an IP address`);
    this.storeHost = storeHost;
    this.messageStore = new DefaultMessageStore(messageStoreConfig);
    this.topicConfigManager = new TopicConfigManager(path.join(configDir, 'topics.json'), brokerConfig);
    this.subscriptionGroupManager = new SubscriptionGroupManager(
      path.join(configDir, 'subscriptionGroup.json'),
      () => this.brokerConfig.autoCreateSubscriptionGroup,
      () => this.brokerConfig.maxSubscriptionGroupCount,
    );
    this.consumerOffsetManager = new ConsumerOffsetManager(path.join(configDir, 'consumerOffset.json'));
    this.consumerManager = new ConsumerManager((group, members) => this.notifyConsumerIdsChanged(group, members));
    this.consumerManager.groupEventListener = {
      onRegister: (group, subscriptions) => this.consumerFilterManager.registerGroup(group, subscriptions),
      onUnregister: (group) => this.consumerFilterManager.unregisterGroup(group),
    };
    this.producerManager = new ProducerManager();
    this.scheduleMessageService = new ScheduleMessageService(
      path.join(configDir, 'delayOffset.json'),
      messageStoreConfig.messageDelayLevel,
      this.messageStore,
      (message) => this.logger.error(message),
    );
    this.topicConfigManager.onCreatedIfAbsent = () => this.registerBrokerAll();
    this.transactionalMessageCheckService = new TransactionalMessageCheckService(this, getLogger('transaction'));
    this.timerMessageService = new TimerMessageService(
      path.join(configDir, 'timerWheel.json'),
      this.messageStore,
      () => this.messageStoreConfig.fileReservedTime,
      (message) => this.logger.error(message),
    );
    this.pullMessageProcessor = new PullMessageProcessor(this);
    this.pullRequestHoldService = new PullRequestHoldService(
      (held) => this.pullMessageProcessor.wakeUp(held),
      (topic, queueId) => this.messageStore.getMaxOffsetInQueue(topic, queueId),
      () => this.brokerConfig,
    );
    const tables = {
      topicConfigManager: this.topicConfigManager,
      consumerOffsetManager: this.consumerOffsetManager,
      subscriptionGroupManager: this.subscriptionGroupManager,
      delayOffsetFilePath: this.scheduleMessageService.configFilePath,
      get brokerAddr() {
        return brokerAddress(brokerConfig);
      },
    };
    this.slaveSynchronize = new SlaveSynchronize(tables, this.outerApi, this.logger);
  }

  get brokerRole(): BrokerRole {
    return this.messageStoreConfig.brokerRole;
  }

  get identity(): BrokerIdentity {
    return {
      clusterName: this.brokerConfig.brokerClusterName,
      brokerName: this.brokerConfig.brokerName,
      brokerAddr: brokerAddress(this.brokerConfig),
      brokerId: this.brokerConfig.brokerId,
      haServerAddr: `${this.brokerConfig.brokerIP2}:${this.messageStore.ha.port}`,
    };
  }

  /** The main and VIP servers once started (tests and the load test read their connections). */
  get remotingServers(): readonly RemotingServer[] {
    return this.servers;
  }

  /** The main port actually listened on (differs from listenPort only when that was 0). */
  get listenPort(): number {
    return this.servers[0]?.port ?? this.brokerConfig.listenPort;
  }

  async start(): Promise<void> {
    checkMetricsPort(this.brokerConfig.metricsPort);
    checkConsolePort(this.brokerConfig.consolePort);
    this.topicConfigManager.load();
    this.subscriptionGroupManager.load();
    this.consumerOffsetManager.load();
    this.scheduleMessageService.load();
    this.timerMessageService.load();
    if (!this.messageStore.load()) throw new Error('message store failed to load');
    this.messageStore.onMessageArriving((topic, queueId, maxOffset, tagsCode) => {
      if (topic === TopicValidator.SCHEDULE_TOPIC) this.scheduleMessageService.wakeUp(queueId + 1);
      this.pullRequestHoldService.notifyMessageArriving(topic, queueId, maxOffset, tagsCode);
    });
    this.messageStore.start();
    await this.messageStore.ha.start(this.brokerConfig.bindAddress);
    const slave = this.brokerRole === 'SLAVE';
    if (!slave) {
      this.scheduleMessageService.start();
      this.timerMessageService.start();
      this.transactionalMessageCheckService.start();
    }
    const haMasterAddress = this.messageStoreConfig.haMasterAddress;
    if (slave && haMasterAddress !== null && haMasterAddress.length >= 6)
      this.messageStore.ha.updateMasterAddress(haMasterAddress);
    this.updateMasterHAServerAddrPeriodically = slave && !(haMasterAddress !== null && haMasterAddress.length >= 6);
    this.brokerStatsManager.start();
    if (this.brokerConfig.aclEnable) this.initialAcl();
    await this.startServers();
    if (this.brokerConfig.metricsPort !== 0) await this.startMetricsServer(this.brokerConfig.metricsPort);
    if (this.brokerConfig.consolePort > 0) await this.startConsole();
    this.pullRequestHoldService.start();
    this.every(this.brokerConfig.flushConsumerOffsetInterval, () => this.consumerOffsetManager.persistIfDirty());
    this.every(CLIENT_SCAN_INTERVAL_MS, () => {
      this.consumerManager.scanNotActiveChannel();
      this.producerManager.scanNotActiveChannel();
      this.consumerFilterManager.clean();
    });
    if (slave) this.startSlaveSynchronize();
    const registerPeriodMs = Math.max(10_000, Math.min(this.brokerConfig.registerNameServerPeriod, 60_000));
    this.every(registerPeriodMs, () => this.registerBrokerAll());
    await this.registerBrokerAll();
  }

  /** Java initialAcl: a plain_acl.yml that cannot be loaded stops the start (Java logs and runs open). */
  private initialAcl(): void {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { PlainAccessValidator } =
      require('./acl/plain-access-validator') as typeof import('./acl/plain-access-validator');
    this.accessValidator = new PlainAccessValidator(this.brokerConfig.rocketmqHome, this.logger);
  }

  /**
   * Serves GET /metrics on metricsHost:`port` (0 = a free port, for tests). The start fails with a
   * clear error when the port is not a port number or cannot be bound.
   */
  async startMetricsServer(port: number): Promise<void> {
    const host = this.brokerConfig.metricsHost;
    checkMetricsPort(port);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { MetricsHttpServer } =
      require('../common/metrics-http-server') as typeof import('../common/metrics-http-server');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { BrokerMetricsManager } =
      require('./metrics/broker-metrics-manager') as typeof import('./metrics/broker-metrics-manager');
    const metrics = new BrokerMetricsManager(this, () => `${this.brokerConfig.brokerIP1}:${this.listenPort}`);
    const server = new MetricsHttpServer(
      () => metrics.collect(),
      (message) => this.logger.error(message),
    );
    try {
      await server.start(port, host);
    } catch (error) {
      throw new Error(
        `metrics endpoint cannot listen on ${host}:${port} (metricsHost/metricsPort): ${(error as Error).message}`,
      );
    }
    this.metricsServer = server;
    this.logger.info(`metrics endpoint listening on http://${host}:${server.port}/metrics`);
  }

  private async startConsole(): Promise<void> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ConsoleServer } = require('../console/console-server') as typeof import('../console/console-server');
    this.console = new ConsoleServer(this, {
      port: this.brokerConfig.consolePort,
      host: this.brokerConfig.consoleHost,
    });
    await this.console.start();
    this.logger.info(`web console listening on http://${this.brokerConfig.consoleHost}:${this.console.port}/`);
  }

  private async startServers(): Promise<void> {
    const config = this.brokerConfig;
    const idleTimeoutMs = config.serverChannelMaxIdleTimeSeconds * 1000;
    setFastjsonMaxDepth(config.fastjsonMaxDepth);
    const limits = pickLimits(config);
    const main = new RemotingServer(
      { listenPort: config.listenPort, bindAddress: config.bindAddress, idleTimeoutMs, limits },
      getLogger('remoting'),
    );
    const vip = new RemotingServer(
      {
        listenPort: config.listenPort === 0 ? 0 : config.listenPort - 2,
        bindAddress: config.bindAddress,
        idleTimeoutMs,
        limits,
      },
      getLogger('remoting'),
    );
    this.registerProcessors(main, true);
    this.registerProcessors(vip, false);
    const validator = this.accessValidator;
    if (validator !== undefined)
      for (const server of [main, vip]) server.registerRpcHook((address, request) => validator.check(address, request));
    const connectionWorkers = config.connectionWorkerThreads;
    const sendWorkerPool = connectionWorkers > 0 ? undefined : this.workers.startSendWorkers();
    for (const server of [main, vip]) {
      const sendRouter = sendWorkerPool?.routerFor(server);
      const pulls = this.pullMessageProcessor;
      server.setFrameRouter((connection, frame) =>
        pulls.deferFrame(connection, frame) ? true : (sendRouter?.(connection, frame) ?? false),
      );
      server.onConnectionClose((connection) => {
        this.consumerManager.doChannelCloseEvent(connection);
        this.producerManager.doChannelCloseEvent(connection);
      });
    }
    if (connectionWorkers > 0) {
      this.servers.push(main, vip);
      await this.workers.startConnectionWorkers([main, vip], connectionWorkers);
    } else
      for (const server of [main, vip]) {
        await server.start();
        this.servers.push(server);
      }
  }

  /** Turns, events and sends the main thread received from the connection workers (undefined without them). */
  get connectionWorkersReceived(): { batches: number; events: number; sends: number } | undefined {
    return this.workers.connectionWorkerPool?.received;
  }

  /** Pull answers whose bodies the connection workers read (undefined without them). */
  get connectionWorkersPosted(): { logWrites: number } | undefined {
    return this.workers.connectionWorkerPool?.posted;
  }

  /** Batches and sends posted to the send workers so far (undefined without them). */
  get sendWorkersPosted(): { batches: number; entries: number } | undefined {
    return this.workers.sendWorkerPool?.posted;
  }

  private registerProcessors(server: RemotingServer, withPull: boolean): void {
    const send = new SendMessageProcessor(this);
    for (const code of [
      RequestCode.SEND_MESSAGE,
      RequestCode.SEND_MESSAGE_V2,
      RequestCode.SEND_BATCH_MESSAGE,
      RequestCode.CONSUMER_SEND_MSG_BACK,
    ]) {
      server.registerProcessor(code, send);
    }
    server.registerProcessor(RequestCode.END_TRANSACTION, new EndTransactionProcessor(this));
    const reply = new ReplyMessageProcessor(this, send);
    for (const code of [RequestCode.SEND_REPLY_MESSAGE, RequestCode.SEND_REPLY_MESSAGE_V2])
      server.registerProcessor(code, reply);
    if (withPull) {
      for (const code of [RequestCode.PULL_MESSAGE, RequestCode.LITE_PULL_MESSAGE])
        server.registerProcessor(code, this.pullMessageProcessor);
    }
    const clientManage = new ClientManageProcessor(this);
    for (const code of [RequestCode.HEART_BEAT, RequestCode.UNREGISTER_CLIENT, RequestCode.CHECK_CLIENT_CONFIG])
      server.registerProcessor(code, clientManage);
    const consumerManage = new ConsumerManageProcessor(this);
    for (const code of [
      RequestCode.GET_CONSUMER_LIST_BY_GROUP,
      RequestCode.UPDATE_CONSUMER_OFFSET,
      RequestCode.QUERY_CONSUMER_OFFSET,
    ]) {
      server.registerProcessor(code, consumerManage);
    }
    const queryMessage = new QueryMessageProcessor(this);
    for (const code of [RequestCode.QUERY_MESSAGE, RequestCode.VIEW_MESSAGE_BY_ID])
      server.registerProcessor(code, queryMessage);
    server.registerDefaultProcessor(new AdminBrokerProcessor(this));
  }

  private startSlaveSynchronize(): void {
    const sync = () => {
      if (this.slaveSyncing) return;
      this.slaveSyncing = true;
      void this.slaveSynchronize.syncAll().finally(() => (this.slaveSyncing = false));
    };
    const first = setTimeout(() => {
      sync();
      this.every(SLAVE_SYNC_PERIOD_MS, sync);
    }, SLAVE_SYNC_DELAY_MS);
    first.unref();
    this.timers.push(first);
  }

  private every(intervalMs: number, task: () => void): void {
    const timer = setInterval(() => {
      try {
        task();
      } catch (error) {
        this.logger.error(`scheduled task failed: ${(error as Error).stack}`);
      }
    }, intervalMs);
    timer.unref();
    this.timers.push(timer);
  }

  /**
   * Registers with every NameServer; resolves once a registration that started after this call (and so
   * includes the current topics) is done, as Java's synchronized registerBrokerAll blocks its caller.
   */
  registerBrokerAll(): Promise<void> {
    return this.registrations.request();
  }

  private async registerOnce(): Promise<void> {
    const startedMs = Date.now();
    const wrapper = {
      dataVersion: this.topicConfigManager.dataVersion,
      topicConfigTable: this.topicConfigsToRegister(),
    };
    const identity = { ...this.identity, brokerAddr: `${this.brokerConfig.brokerIP1}:${this.listenPort}` };
    try {
      const { failures, results } = await this.outerApi.registerBrokerAll(
        this.brokerConfig.namesrvAddr,
        identity,
        wrapper,
        this.brokerConfig.registerBrokerTimeoutMills,
      );
      for (const failure of failures) this.logger.warn(`register broker to name server failed: ${failure}`);
      if (results.length > 0) this.onRegistered(results[0]);
    } catch (error) {
      this.logger.warn(`register broker to name server failed: ${(error as Error).message}`);
    }
    const tookMs = Date.now() - startedMs;
    if (tookMs >= SLOW_REGISTRATION_MS)
      this.logger.warn(`registerBrokerAll took ${tookMs} ms (${wrapper.topicConfigTable.size} topics)`);
  }

  /** Java doRegisterBrokerAll: a slave learns its master's HA and broker addresses from the first answer. */
  private onRegistered(result: { haServerAddr?: string; masterAddr?: string }): void {
    if (this.updateMasterHAServerAddrPeriodically && result.haServerAddr !== undefined)
      this.messageStore.ha.updateMasterAddress(result.haServerAddr);
    this.slaveSynchronize.masterAddr = result.masterAddr ?? null;
  }

  /** The topic table as registered: with every perm set to brokerPermission while that is not RW (Java registerBrokerAll). */
  private topicConfigsToRegister(): Map<string, TopicConfig> {
    const brokerPermission = this.brokerConfig.brokerPermission;
    const table = new Map(this.topicConfigManager.topicConfigTable);
    if (isWriteable(brokerPermission) && isReadable(brokerPermission)) return table;
    for (const [name, config] of table)
      table.set(name, {
        ...newTopicConfig(name, config.readQueueNums, brokerPermission),
        writeQueueNums: config.writeQueueNums,
      });
    return table;
  }

  private notifyConsumerIdsChanged(group: string, members: ClientChannelInfo[]): void {
    for (const member of members) notifyConsumerIdsChanged(member.connection, group);
  }

  /** Java's keys in Java's declaration order, then ours (bindAddress, litePullMessageEnable, ...) sorted. */
  configEntries(): [string, unknown][] {
    const all = new Map<string, unknown>([
      ...Object.entries(this.brokerConfig),
      ...Object.entries(this.messageStoreConfig),
    ]);
    const entries: [string, unknown][] = [];
    for (const key of JAVA_CONFIG_KEY_ORDER) {
      if (all.has(key)) entries.push([key, all.get(key)]);
      all.delete(key);
    }
    return [...entries, ...[...all].sort(([a], [b]) => a.localeCompare(b))];
  }

  updateConfig(requested: Map<string, string>): string[] {
    const { kept: properties, refused: unsafe } = withoutUnimplementedSafetySettings(requested);
    const role = properties.get('brokerRole')?.trim();
    // A bad role keeps the old one (Java: Enum.valueOf throws). ASYNC_MASTER <-> SYNC_MASTER takes
    // effect at once, as in Java; master <-> SLAVE needs a restart here (the HA client, slave sync
    // and the master's services are set up at start), so it is refused.
    if (
      role !== undefined &&
      (!BROKER_ROLES.includes(role as BrokerRole) || (role === 'SLAVE') !== (this.brokerRole === 'SLAVE'))
    ) {
      properties.delete('brokerRole');
      unsafe.push('brokerRole');
    }
    for (const key of badLimitProperties(this.brokerConfig, properties)) {
      properties.delete(key); // a limit out of its range keeps the old one
      unsafe.push(key);
    }
    const refusedByBroker = new Set(bindProperties(this.brokerConfig, properties));
    const refusedByStore = new Set(bindProperties(this.messageStoreConfig, properties));
    if (properties.has('fastjsonMaxDepth')) setFastjsonMaxDepth(this.brokerConfig.fastjsonMaxDepth);
    const refused = [...unsafe, ...[...refusedByBroker].filter((key) => refusedByStore.has(key))];
    this.configDataVersion.nextVersion();
    const file =
      this.configFilePath ?? path.join(this.messageStoreConfig.storePathRootDir, 'config', 'broker.properties');
    try {
      persistConfigFile(file, formatJavaProperties(this.configEntries()));
    } catch (error) {
      this.logger.error(`persist string2File error, ${file}: ${(error as Error).message}`); // Java Configuration.persist
    }
    if (properties.has('brokerPermission')) {
      this.topicConfigManager.dataVersion.nextVersion();
      this.registerBrokerAll();
    }
    return refused;
  }

  /** Stops everything; a step that fails is logged and the others (every save) still run. */
  async shutdown(): Promise<void> {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    const steps: [string, () => unknown][] = [
      ['web console', () => this.console?.shutdown()],
      ['pull request hold service', () => this.pullRequestHoldService.shutdown()],
      ['schedule message service (delayOffset.json)', () => this.scheduleMessageService.shutdown()],
      ['transactional message check service', () => this.transactionalMessageCheckService.shutdown()],
      ['timer message service (timerWheel.json)', () => this.timerMessageService.shutdown()],
      ['broker stats', () => this.brokerStatsManager.shutdown()],
      ['register broker', () => this.registrations.settled()],
      [
        'unregister broker',
        () => this.outerApi.unregisterBrokerAll(this.brokerConfig.namesrvAddr, this.identity, 3000),
      ],
      ['broker outer API', () => this.outerApi.shutdown()],
      ['remoting servers', () => Promise.all(this.servers.splice(0).map((server) => server.shutdown()))],
      ['connection workers', () => this.workers.shutdownConnectionWorkers()],
      ['metrics endpoint', () => this.metricsServer?.shutdown()],
      ['send workers', () => this.workers.shutdownSendWorkers()],
      ['plain acl watcher', () => this.accessValidator?.shutdown()],
      ['consumerOffset.json', () => this.consumerOffsetManager.persist()],
      ['topics.json', () => this.topicConfigManager.persist()],
      ['subscriptionGroup.json', () => this.subscriptionGroupManager.persist()],
      ['message store', () => this.messageStore.shutdown()],
    ];
    for (const [what, step] of steps) {
      try {
        await step();
      } catch (error) {
        this.logger.error(`shutdown: ${what} failed: ${(error as Error).stack}`);
      }
    }
  }
}
