// ConsumerManager: the live members of each consumer group, learnt from heartbeats, and their
// subscriptions. A member leaves on UNREGISTER_CLIENT, when its connection closes, or after
// 120 s without a heartbeat; every change of members or subscriptions is pushed to the group
// as NOTIFY_CONSUMER_IDS_CHANGED so clients re-balance at once.
import type { Connection } from '../remoting/connection';
import type { ConsumerData } from './heartbeat-data';
import type { SubscriptionData } from './subscription-data';

export interface ClientChannelInfo {
  connection: Connection;
  clientId: string;
  language: string;
  version: number;
  lastUpdateTimestampMs: number;
}

export class ConsumerGroupInfo {
  readonly channels = new Map<Connection, ClientChannelInfo>();
  readonly subscriptionTable = new Map<string, SubscriptionData>();
  consumeType = 'CONSUME_PASSIVELY';
  messageModel = 'CLUSTERING';
  consumeFromWhere = 'CONSUME_FROM_LAST_OFFSET';
  lastUpdateTimestampMs = Date.now();

  constructor(readonly groupName: string) {}

  findSubscriptionData(topic: string): SubscriptionData | undefined {
    return this.subscriptionTable.get(topic);
  }

  allClientIds(): string[] {
    return [...this.channels.values()].map((info) => info.clientId);
  }

  findChannel(clientId: string): ClientChannelInfo | undefined {
    return [...this.channels.values()].find((info) => info.clientId === clientId);
  }

  /** Returns true when the member is new (or came back on another connection). */
  updateChannel(info: ClientChannelInfo, data: ConsumerData): boolean {
    this.consumeType = data.consumeType;
    this.messageModel = data.messageModel;
    this.consumeFromWhere = data.consumeFromWhere;
    const existing = this.channels.get(info.connection);
    this.lastUpdateTimestampMs = info.lastUpdateTimestampMs;
    if (existing !== undefined && existing.clientId === info.clientId) {
      existing.lastUpdateTimestampMs = info.lastUpdateTimestampMs;
      return false;
    }
    this.channels.set(info.connection, info);
    return true;
  }

  /** Returns true when a subscription was added or dropped (a newer version just replaces). */
  updateSubscription(subscriptions: SubscriptionData[]): boolean {
    let changed = false;
    const topics = new Set<string>();
    for (const subscription of subscriptions) {
      topics.add(subscription.topic);
      const old = this.subscriptionTable.get(subscription.topic);
      if (old === undefined) changed = true;
      if (old === undefined || subscription.subVersion > old.subVersion)
        this.subscriptionTable.set(subscription.topic, subscription);
    }
    for (const topic of [...this.subscriptionTable.keys()]) {
      if (topics.has(topic)) continue;
      this.subscriptionTable.delete(topic);
      changed = true;
    }
    return changed;
  }
}

export type ConsumerIdsChangeListener = (group: string, members: ClientChannelInfo[]) => void;

/** Java ConsumerGroupEvent REGISTER (every heartbeat) and UNREGISTER (the group's last member left). */
export interface ConsumerGroupEventListener {
  onRegister(group: string, subscriptions: SubscriptionData[]): void;
  onUnregister(group: string): void;
}

export class ConsumerManager {
  readonly consumerTable = new Map<string, ConsumerGroupInfo>();
  /** Told of every registration and of groups that empty (the consumer filter table follows them). */
  groupEventListener: ConsumerGroupEventListener | undefined;

  constructor(
    private readonly onIdsChanged: ConsumerIdsChangeListener,
    private readonly channelExpiredTimeoutMs = 120_000,
  ) {}

  getConsumerGroupInfo(group: string): ConsumerGroupInfo | undefined {
    return this.consumerTable.get(group);
  }

  registerConsumer(data: ConsumerData, info: ClientChannelInfo, notifyEnabled: boolean): void {
    let group = this.consumerTable.get(data.groupName);
    if (group === undefined) {
      group = new ConsumerGroupInfo(data.groupName);
      this.consumerTable.set(data.groupName, group);
    }
    const membersChanged = group.updateChannel(info, data);
    const subscriptionsChanged = group.updateSubscription(data.subscriptionDataSet);
    if ((membersChanged || subscriptionsChanged) && notifyEnabled) this.notify(group);
    this.groupEventListener?.onRegister(data.groupName, data.subscriptionDataSet);
  }

  unregisterConsumer(groupName: string, connection: Connection, notifyEnabled: boolean): void {
    const group = this.consumerTable.get(groupName);
    if (group === undefined || !group.channels.delete(connection)) return;
    if (group.channels.size === 0) this.removeGroup(groupName);
    else if (notifyEnabled) this.notify(group);
  }

  /** A connection closed: it leaves every group it was in. */
  doChannelCloseEvent(connection: Connection): void {
    for (const group of [...this.consumerTable.values()]) {
      if (!group.channels.delete(connection)) continue;
      if (group.channels.size === 0) this.removeGroup(group.groupName);
      else this.notify(group);
    }
  }

  /** Drops members silent for longer than the expiry (ClientHousekeepingService, every 10 s). */
  scanNotActiveChannel(nowMs = Date.now()): void {
    for (const group of [...this.consumerTable.values()]) {
      for (const [connection, info] of [...group.channels]) {
        if (nowMs - info.lastUpdateTimestampMs <= this.channelExpiredTimeoutMs) continue;
        group.channels.delete(connection);
        connection.close();
      }
      if (group.channels.size === 0) this.removeGroup(group.groupName);
    }
  }

  /** Groups with a live member subscribed to `topic`. */
  queryTopicConsumeByWho(topic: string): Set<string> {
    const groups = new Set<string>();
    for (const group of this.consumerTable.values())
      if (group.subscriptionTable.has(topic)) groups.add(group.groupName);
    return groups;
  }

  private removeGroup(groupName: string): void {
    this.consumerTable.delete(groupName);
    this.groupEventListener?.onUnregister(groupName);
  }

  private notify(group: ConsumerGroupInfo): void {
    this.onIdsChanged(group.groupName, [...group.channels.values()]);
  }
}
