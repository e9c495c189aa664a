// What the request processors see of the broker (BrokerController in Java). Kept as an interface
// so processors can be tested with small fakes and so the controller can own construction order.
import type { HostAddress } from '../codec/message/host-address';
import type { DefaultMessageStore } from '../store/message-store';
import type { MessageStoreConfig } from '../store/message-store-config';
import type { BrokerConfig } from './broker-config';
import type { ConsumerManager } from './consumer-manager';
import type { ConsumerOffsetManager } from './consumer-offset-manager';
import type { ConsumerFilterManager } from './filter/consumer-filter-manager';
import type { PullRequestHoldService } from './longpolling/pull-request-hold-service';
import type { ProducerManager } from './producer-manager';
import type { RebalanceLockManager } from './rebalance/rebalance-lock-manager';
import type { ScheduleMessageService } from './schedule/schedule-message-service';
import type { BrokerStatsManager } from './stats/broker-stats-manager';
import type { SubscriptionGroupManager } from './subscription-group-manager';
import type { TopicConfigManager } from './topic-config-manager';

export interface BrokerContext {
  readonly brokerConfig: BrokerConfig;
  /** Plain ACL, when aclEnable (codes 50–54 answer through it). */
  readonly accessValidator?: import('./acl/plain-access-validator').PlainAccessValidator;
  readonly messageStoreConfig: MessageStoreConfig;
  readonly messageStore: DefaultMessageStore;
  readonly topicConfigManager: TopicConfigManager;
  readonly subscriptionGroupManager: SubscriptionGroupManager;
  readonly consumerOffsetManager: ConsumerOffsetManager;
  readonly consumerManager: ConsumerManager;
  readonly producerManager: ProducerManager;
  readonly pullRequestHoldService: PullRequestHoldService;
  readonly scheduleMessageService: ScheduleMessageService;
  /** Queue locks of orderly consumers (LOCK_BATCH_MQ / UNLOCK_BATCH_MQ). */
  readonly rebalanceLockManager: RebalanceLockManager;
  /** Compiled SQL92 subscriptions per topic and group, from heartbeats. */
  readonly consumerFilterManager: ConsumerFilterManager;
  /** Put/get counters for VIEW_BROKER_STATS_DATA and GET_BROKER_RUNTIME_INFO. */
  readonly brokerStatsManager: BrokerStatsManager;
  /** brokerIP1:listenPort as written into every stored record. */
  readonly storeHost: HostAddress;
  /** Registers with every NameServer now (after topic changes); resolves when that is done (callers may not wait). */
  registerBrokerAll(): Promise<void>;
  readonly startTimestampMs: number;
  /** Every config key (broker, server, store) with its value, in a stable order. */
  configEntries(): [string, unknown][];
  /** Applies and persists `key=value` updates (UPDATE_BROKER_CONFIG); returns the keys refused. */
  updateConfig(properties: Map<string, string>): string[];
  /** Version of the config, bumped by updateConfig. */
  readonly configDataVersion: { counter: number; timestamp: number };
}
