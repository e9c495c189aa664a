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
import { getLogger, type Logger } from '../common/logger';
import { PullMessageProcessor } from '../handlers/pull-message-processor';
import type { RemotingServer } from '../remoting/remoting-server';
import { DefaultMessageStore } from '../store/message-store';
import type { MessageStoreConfig } from '../store/message-store-config';
import { brokerAddress, type BrokerConfig } from './broker-config';
import { validateBrokerLimits } from './broker-limits';
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
import { SlaveSynchronize } from './slave/slave-synchronize';
import type { BrokerRole } from '../store/message-store-config';
import { BrokerWorkers } from './broker-workers';
import { applyBrokerConfigUpdate, brokerConfigEntries } from './broker-config-update';
import { createBrokerServers, startBrokerServers } from './broker-servers';
import { BrokerRegistration } from './broker-registration';
import { checkSidePorts, startConsole, startMetricsServer } from './broker-side-servers';
import { holdMemoryTrim } from '../common/free-memory';

const CLIENT_SCAN_INTERVAL_MS = 10_000;

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
  /** Releases this broker's hold on the process's C-heap trim timer (common/free-memory.ts). */
  private releaseMemoryTrim: (() => void) | undefined;
  private readonly pullMessageProcessor: PullMessageProcessor;
  private readonly registration: BrokerRegistration;
  readonly slaveSynchronize: SlaveSynchronize;
  /** The Prometheus endpoint when metricsPort is set (its module and prom-client are not loaded otherwise). */
  metricsServer: import('../common/metrics-http-server').MetricsHttpServer | undefined;
  /** The send or connection worker threads, when configured (broker-workers.ts; tests read their counters). */
  readonly workers = new BrokerWorkers(this);
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
    this.registration = new BrokerRegistration(this, this.outerApi, this.logger);
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
    checkSidePorts(this.brokerConfig);
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
    this.registration.updateMasterHAServerAddrPeriodically =
      slave && !(haMasterAddress !== null && haMasterAddress.length >= 6);
    this.brokerStatsManager.start();
    if (this.brokerConfig.aclEnable) this.initialAcl();
    const [main, vip] = createBrokerServers(this, this.pullMessageProcessor, this.accessValidator);
    await startBrokerServers(this, main, vip, this.pullMessageProcessor, this.workers, this.servers);
    if (this.brokerConfig.metricsPort !== 0) await this.startMetricsServer(this.brokerConfig.metricsPort);
    if (this.brokerConfig.consolePort > 0) this.console = await startConsole(this, this.logger);
    this.pullRequestHoldService.start();
    this.every(this.brokerConfig.flushConsumerOffsetInterval, () => this.consumerOffsetManager.persistIfDirty());
    this.every(CLIENT_SCAN_INTERVAL_MS, () => {
      this.consumerManager.scanNotActiveChannel();
      this.producerManager.scanNotActiveChannel();
      this.consumerFilterManager.clean();
    });
    this.releaseMemoryTrim = holdMemoryTrim();
    if (slave) this.slaveSynchronize.startPeriodic();
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

  /** Serves GET /metrics on metricsHost:`port` (0 = a free port, for tests); fails clearly when it cannot. */
  async startMetricsServer(port: number): Promise<void> {
    const brokerAddr = () => `${this.brokerConfig.brokerIP1}:${this.listenPort}`;
    this.metricsServer = await startMetricsServer(this, port, brokerAddr, this.logger);
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
    return this.registration.request();
  }

  private notifyConsumerIdsChanged(group: string, members: ClientChannelInfo[]): void {
    for (const member of members) notifyConsumerIdsChanged(member.connection, group);
  }

  /** Java's keys in Java's declaration order, then ours (bindAddress, litePullMessageEnable, ...) sorted. */
  configEntries(): [string, unknown][] {
    return brokerConfigEntries(this.brokerConfig, this.messageStoreConfig);
  }

  updateConfig(requested: Map<string, string>): string[] {
    return applyBrokerConfigUpdate(this, requested);
  }

  /** Stops everything; a step that fails is logged and the others (every save) still run. */
  async shutdown(): Promise<void> {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    this.releaseMemoryTrim?.();
    this.releaseMemoryTrim = undefined;
    const steps: [string, () => unknown][] = [
      ['web console', () => this.console?.shutdown()],
      ['pull request hold service', () => this.pullRequestHoldService.shutdown()],
      ['slave synchronize', () => this.slaveSynchronize.shutdown()],
      ['schedule message service (delayOffset.json)', () => this.scheduleMessageService.shutdown()],
      ['transactional message check service', () => this.transactionalMessageCheckService.shutdown()],
      ['timer message service (timerWheel.json)', () => this.timerMessageService.shutdown()],
      ['broker stats', () => this.brokerStatsManager.shutdown()],
      ['register broker', () => this.registration.settled()],
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
