// SubscriptionGroupManager: consumer group settings, persisted as config/subscriptionGroup.json
// ({"dataVersion":{…},"subscriptionGroupTable":{"G":{SubscriptionGroupConfig}}}); groups are
// created on first use when autoCreateSubscriptionGroup is on.
import type { FastjsonValue } from '../codec/fastjson-parse';
import { ConfigManager, DataVersion, objectEntries } from './config-manager';

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

/** Reads a SubscriptionGroupConfig body or file entry; unknown keys ignored, missing ones default. */
export function subscriptionGroupConfigFromJson(value: FastjsonValue, fallbackName?: string): SubscriptionGroupConfig {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Map) {
    throw new Error('SubscriptionGroupConfig is not an object');
  }
  const name = typeof value.groupName === 'string' ? value.groupName : fallbackName;
  if (name === undefined || name === '') throw new Error('SubscriptionGroupConfig has no groupName');
  const config = newSubscriptionGroupConfig(name);
  const fields = config as unknown as Record<string, unknown>;
  for (const key of Object.keys(config)) {
    const field = value[key];
    if (field === undefined || field === null || key === 'groupName') continue;
    fields[key] = typeof fields[key] === 'boolean' ? field === true || field === 'true' : Number(field);
  }
  return config;
}

const SYSTEM_GROUPS = ['TOOLS_CONSUMER', 'FILTERSRV_CONSUMER', 'SELF_TEST_C_GROUP', 'CID_ONS-HTTP-PROXY', 'CID_ONSAPI_PULL', 'CID_ONSAPI_PERMISSION', 'CID_ONSAPI_OWNER', 'CID_RMQ_SYS_TRANS'];

export class SubscriptionGroupManager extends ConfigManager {
  readonly subscriptionGroupTable = new Map<string, SubscriptionGroupConfig>();
  readonly dataVersion = new DataVersion();

  constructor(
    configFilePath: string,
    private readonly autoCreateSubscriptionGroup: () => boolean,
  ) {
    super(configFilePath);
    for (const group of SYSTEM_GROUPS) this.subscriptionGroupTable.set(group, newSubscriptionGroupConfig(group));
  }

  /** The group's config, created (and persisted) on first use when auto-creation is on. */
  findSubscriptionGroupConfig(group: string): SubscriptionGroupConfig | undefined {
    let config = this.subscriptionGroupTable.get(group);
    if (config === undefined && this.autoCreateSubscriptionGroup()) {
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

  protected decodeContent(parsed: FastjsonValue): void {
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || parsed instanceof Map) {
      throw new Error(`${this.configFilePath} is not a SubscriptionGroupWrapper`);
    }
    this.dataVersion.assign(parsed.dataVersion);
    for (const [name, value] of objectEntries(parsed.subscriptionGroupTable)) {
      this.subscriptionGroupTable.set(name, subscriptionGroupConfigFromJson(value, name));
    }
  }
}
