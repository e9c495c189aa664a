// SubscriptionGroupManager: consumer group settings, persisted as config/subscriptionGroup.json
// ({"dataVersion":{…},"subscriptionGroupTable":{"G":{SubscriptionGroupConfig}}}); groups are
// created on first use when autoCreateSubscriptionGroup is on.
import { asBean, boolField, intField, longField } from '../codec/body/bean-fields';
import type { FastjsonValue } from '../codec/fastjson-parse';
import { ConfigManager, DataVersion, wrapperTable } from './config-manager';

export interface SubscriptionGroupConfig {
  groupName: string;
  consumeEnable: boolean;
  consumeFromMinEnable: boolean;
  consumeBroadcastEnable: boolean;
  retryQueueNums: number;
  retryMaxTimes: number;
  brokerId: number;
  whichBrokerWhenConsumeSlowly: number;
  notifyConsumerIdsChangedEnable: boolean;
}

export function newSubscriptionGroupConfig(groupName: string): SubscriptionGroupConfig {
  return {
    groupName,
    consumeEnable: true,
    consumeFromMinEnable: true,
    consumeBroadcastEnable: true,
    retryQueueNums: 1,
    retryMaxTimes: 16,
    brokerId: 0,
    whichBrokerWhenConsumeSlowly: 1,
    notifyConsumerIdsChangedEnable: true,
  };
}

/**
 * Reads a SubscriptionGroupConfig body or file entry; unknown keys ignored, missing ones default.
 * The name is the entry's groupName, else `fallbackName` (a file's key), else empty: callers that
 * take names from clients check it (group-validator.ts). Throws when a field has the wrong type.
 */
export function subscriptionGroupConfigFromJson(value: FastjsonValue, fallbackName = ''): SubscriptionGroupConfig {
  const what = 'SubscriptionGroupConfig';
  const bean = asBean(value, what);
  const config = newSubscriptionGroupConfig(typeof bean.groupName === 'string' ? bean.groupName : fallbackName);
  config.consumeEnable = boolField(bean, 'consumeEnable', config.consumeEnable, what);
  config.consumeFromMinEnable = boolField(bean, 'consumeFromMinEnable', config.consumeFromMinEnable, what);
  config.consumeBroadcastEnable = boolField(bean, 'consumeBroadcastEnable', config.consumeBroadcastEnable, what);
  config.retryQueueNums = intField(bean, 'retryQueueNums', config.retryQueueNums, what);
  config.retryMaxTimes = intField(bean, 'retryMaxTimes', config.retryMaxTimes, what);
  config.brokerId = longField(bean, 'brokerId', config.brokerId, what);
  config.whichBrokerWhenConsumeSlowly = longField(
    bean,
    'whichBrokerWhenConsumeSlowly',
    config.whichBrokerWhenConsumeSlowly,
    what,
  );
  config.notifyConsumerIdsChangedEnable = boolField(
    bean,
    'notifyConsumerIdsChangedEnable',
    config.notifyConsumerIdsChangedEnable,
    what,
  );
  return config;
}

const SYSTEM_GROUPS = [
  'TOOLS_CONSUMER',
  'FILTERSRV_CONSUMER',
  'SELF_TEST_C_GROUP',
  'CID_ONS-HTTP-PROXY',
  'CID_ONSAPI_PULL',
  'CID_ONSAPI_PERMISSION',
  'CID_ONSAPI_OWNER',
  'CID_RMQ_SYS_TRANS',
];

export class SubscriptionGroupManager extends ConfigManager {
  readonly subscriptionGroupTable = new Map<string, SubscriptionGroupConfig>();
  readonly dataVersion = new DataVersion();

  constructor(
    configFilePath: string,
    private readonly autoCreateSubscriptionGroup: () => boolean,
    /** maxSubscriptionGroupCount: no new group past this many. */
    private readonly maxGroupCount: () => number = () => Number.MAX_SAFE_INTEGER,
  ) {
    super(configFilePath);
    for (const group of SYSTEM_GROUPS) this.subscriptionGroupTable.set(group, newSubscriptionGroupConfig(group));
  }

  /** Why `group` cannot be created now (maxSubscriptionGroupCount reached), or undefined. */
  creationLimitProblem(group: string): string | undefined {
    const maxCount = this.maxGroupCount();
    if (this.subscriptionGroupTable.has(group) || this.subscriptionGroupTable.size < maxCount) return undefined;
    return `subscription group [${group}] not created: ${this.subscriptionGroupTable.size} groups, maxSubscriptionGroupCount=${maxCount}`;
  }

  /** The group's config, created (and persisted) on first use when auto-creation is on and the count allows. */
  findSubscriptionGroupConfig(group: string): SubscriptionGroupConfig | undefined {
    let config = this.subscriptionGroupTable.get(group);
    if (config === undefined && this.autoCreateSubscriptionGroup() && this.creationLimitProblem(group) === undefined) {
      config = newSubscriptionGroupConfig(group);
      this.updateSubscriptionGroupConfig(config);
    }
    return config;
  }

  updateSubscriptionGroupConfig(config: SubscriptionGroupConfig): void {
    this.subscriptionGroupTable.set(config.groupName, config);
    this.dataVersion.nextVersion();
    this.persist();
  }

  deleteSubscriptionGroupConfig(group: string): boolean {
    if (!this.subscriptionGroupTable.delete(group)) return false;
    this.dataVersion.nextVersion();
    this.persist();
    return true;
  }

  protected encodeContent(): unknown {
    return { dataVersion: this.dataVersion, subscriptionGroupTable: new Map(this.subscriptionGroupTable) };
  }

  /** Entries are keyed by name, as Java reads them: any name the table could hold loads back. */
  protected decodeContent(parsed: FastjsonValue): void {
    const { wrapper, table } = wrapperTable(parsed, 'subscriptionGroupTable', 'SubscriptionGroupWrapper');
    this.dataVersion.assign(wrapper.dataVersion);
    this.loadEntries(table, 'subscription group', (name, value) => {
      this.subscriptionGroupTable.set(name, { ...subscriptionGroupConfigFromJson(value, name), groupName: name });
    });
  }
}
