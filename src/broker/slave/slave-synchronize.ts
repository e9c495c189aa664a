// SlaveSynchronize (Java org.apache.rocketmq.broker.slave.SlaveSynchronize): a slave copies its
// master's tables every 10 s (first after 3 s), from the masterAddr the NameServer gave it at the
// last registration (none while the master is not registered; never itself):
//
//   GET_ALL_TOPIC_CONFIG (21, VIP port)   replaces the topic table when the DataVersion differs
//   GET_ALL_CONSUMER_OFFSET (43)          adds to / overwrites the offset table (putAll)
//   GET_ALL_DELAY_OFFSET (45)             written as config/delayOffset.json, as received
//   GET_ALL_SUBSCRIPTIONGROUP_CONFIG (201) replaces the group table when the DataVersion differs
//
// Each table is persisted after a change. A failing read is logged and the others still run.
import { parseFastjson } from '../../codec/fastjson-parse';
import { RequestCode } from '../../codec/request-code';
import { persistConfigFile } from '../../common/config-file';
import type { Logger } from '../../common/logger';
import type { BrokerOuterAPI } from '../broker-outer-api';
import { DataVersion } from '../config-manager';
import type { ConsumerOffsetManager } from '../consumer-offset-manager';
import type { SubscriptionGroupManager } from '../subscription-group-manager';
import type { TopicConfigManager } from '../topic-config-manager';

/** What the slave copies into. */
export interface SlaveTables {
  readonly topicConfigManager: TopicConfigManager;
  readonly consumerOffsetManager: ConsumerOffsetManager;
  /** config/delayOffset.json (ScheduleMessageService's file). */
  readonly delayOffsetFilePath: string;
  readonly subscriptionGroupManager: SubscriptionGroupManager;
  /** This broker's own address (brokerIP1:listenPort): never synced from. */
  readonly brokerAddr: string;
}

function dataVersionOf(text: string): DataVersion {
  const parsed = parseFastjson(text);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || parsed instanceof Map)
    throw new Error('not a table with a dataVersion');
  const version = new DataVersion();
  version.timestamp = version.counter = -1;
  version.assign(parsed.dataVersion);
  return version;
}

/** Replaces `table` (and `version`) by what `decode` puts there; on an error the old ones come back. */
function replaceTable<V>(table: Map<string, V>, version: DataVersion, decode: () => void): void {
  const before = new Map(table);
  const versionBefore = version.toJSON();
  table.clear();
  try {
    decode();
  } catch (error) {
    table.clear();
    for (const [key, value] of before) table.set(key, value);
    version.timestamp = versionBefore.timestamp;
    version.counter = versionBefore.counter;
    throw error;
  }
}

/** Java handleSlaveSynchronize: first after 3 s, then every 10 s. */
const SLAVE_SYNC_DELAY_MS = 3000;
const SLAVE_SYNC_PERIOD_MS = 10_000;

export class SlaveSynchronize {
  /** The master's address (brokerIP1:listenPort), from the last registration; null while unknown. */
  masterAddr: string | null = null;
  private syncing = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly tables: SlaveTables,
    private readonly outerApi: BrokerOuterAPI,
    private readonly log: Logger,
  ) {}

  /** Runs syncAll after 3 s and then every 10 s (a slave's start), never two at once. */
  startPeriodic(): void {
    const sync = (): void => {
      if (this.syncing) return;
      this.syncing = true;
      void this.syncAll().finally(() => (this.syncing = false));
    };
    this.timer = setTimeout(() => {
      sync();
      this.timer = setInterval(sync, SLAVE_SYNC_PERIOD_MS);
      this.timer.unref();
    }, SLAVE_SYNC_DELAY_MS);
    this.timer.unref();
  }

  shutdown(): void {
    clearTimeout(this.timer); // clears an interval too
    this.timer = undefined;
  }

  async syncAll(): Promise<void> {
    await this.sync('SyncTopicConfig', RequestCode.GET_ALL_TOPIC_CONFIG, true, (text) => this.applyTopicConfig(text));
    await this.sync('SyncConsumerOffset', RequestCode.GET_ALL_CONSUMER_OFFSET, false, (text) => {
      this.tables.consumerOffsetManager.decode(text);
      this.tables.consumerOffsetManager.persist();
    });
    await this.sync('SyncDelayOffset', RequestCode.GET_ALL_DELAY_OFFSET, false, (text) => {
      persistConfigFile(this.tables.delayOffsetFilePath, text);
    });
    await this.sync('SyncSubscriptionGroup', RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG, false, (text) =>
      this.applySubscriptionGroups(text),
    );
  }

  private async sync(what: string, code: number, viaVipChannel: boolean, apply: (text: string) => void): Promise<void> {
    const masterAddr = this.masterAddr;
    if (masterAddr === null || masterAddr === this.tables.brokerAddr) return;
    try {
      apply(await this.outerApi.getFromMaster(code, masterAddr, viaVipChannel));
    } catch (error) {
      this.log.error(`${what} Exception, ${masterAddr}: ${(error as Error).message}`);
    }
  }

  private applyTopicConfig(text: string): void {
    const manager = this.tables.topicConfigManager;
    if (manager.dataVersion.equals(dataVersionOf(text))) return;
    replaceTable(manager.topicConfigTable, manager.dataVersion, () => manager.decodeStrict(text));
    manager.persist();
    this.log.info(`Update slave topic config from master, ${this.masterAddr}`);
  }

  private applySubscriptionGroups(text: string): void {
    const manager = this.tables.subscriptionGroupManager;
    if (manager.dataVersion.equals(dataVersionOf(text))) return;
    replaceTable(manager.subscriptionGroupTable, manager.dataVersion, () => manager.decodeStrict(text));
    manager.persist();
    this.log.info(`Update slave Subscription Group from master, ${this.masterAddr}`);
  }
}
