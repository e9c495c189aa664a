// The consumer groups page: every group this broker knows (subscription groups, live groups and
// groups with offsets), its members, its lag per queue (brokerOffset − consumerOffset, as
// GET_CONSUME_STATS counts it), resetting its offsets by time, and a member's running info
// (GET_CONSUMER_RUNNING_INFO, forwarded to the client by the broker's own processor).
//
// Reset by time commits the offsets for the timestamp on this broker (so it works with no member
// online, like mqadmin's old-style reset) and, when members are online, also sends them the
// table (INVOKE_BROKER_TO_RESET_OFFSET, isForce) so they do not commit their old positions over it.
import { RequestCode } from '../codec/request-code';
import type { BrokerContext } from '../broker/broker-context';
import { groupNameProblem } from '../broker/name-validator';
import { bodyToPlain, type ConsoleCalls } from './console-calls';
import { BadRequest, stringField, timeField } from './console-input';

export interface LagRow {
  topic: string;
  queueId: number;
  brokerOffset: number;
  consumerOffset: number;
  lag: number;
  lastTimestampMs: number;
}

export class GroupsView {
  constructor(
    private readonly broker: BrokerContext,
    private readonly calls: ConsoleCalls,
  ) {}

  groupNames(): string[] {
    const names = new Set<string>([
      ...this.broker.subscriptionGroupManager.subscriptionGroupTable.keys(),
      ...this.broker.consumerManager.consumerTable.keys(),
    ]);
    for (const key of this.broker.consumerOffsetManager.offsetTable.keys()) names.add(key.slice(key.indexOf('@') + 1));
    return [...names].sort();
  }

  /**
   * Lag per queue over the topics the group has offsets on (or subscribes to). The store time of
   * the last consumed message costs a read per queue, so only the group page asks for it.
   */
  lag(group: string, withTimestamps = false): LagRow[] {
    const topics = new Set(this.broker.consumerOffsetManager.whichTopicByConsumer(group));
    for (const topic of this.broker.consumerManager.getConsumerGroupInfo(group)?.subscriptionTable.keys() ?? [])
      topics.add(topic);
    const store = this.broker.messageStore;
    const rows: LagRow[] = [];
    for (const topic of [...topics].sort()) {
      const config = this.broker.topicConfigManager.selectTopicConfig(topic);
      if (config === undefined) continue;
      for (let queueId = 0; queueId < config.readQueueNums; queueId++) {
        const brokerOffset = Math.max(0, store.getMaxOffsetInQueue(topic, queueId));
        const consumerOffset = Math.max(0, this.broker.consumerOffsetManager.queryOffset(group, topic, queueId));
        const lastTimestampMs =
          withTimestamps && consumerOffset > 0
            ? Math.max(0, store.getMessageStoreTimeStamp(topic, queueId, consumerOffset - 1))
            : 0;
        rows.push({
          topic,
          queueId,
          brokerOffset,
          consumerOffset,
          lag: Math.max(0, brokerOffset - consumerOffset),
          lastTimestampMs,
        });
      }
    }
    return rows;
  }

  list(): unknown[] {
    return this.groupNames().map((group) => {
      const info = this.broker.consumerManager.getConsumerGroupInfo(group);
      const lag = this.lag(group).reduce((sum, row) => sum + row.lag, 0);
      let consumeTps = 0;
      for (const topic of this.broker.consumerOffsetManager.whichTopicByConsumer(group))
        consumeTps += this.broker.brokerStatsManager.tpsGroupGetNums(group, topic);
      return {
        group,
        members: info?.channels.size ?? 0,
        messageModel: info?.messageModel ?? '',
        lag,
        consumeTps: Math.round(consumeTps * 10) / 10,
      };
    });
  }

  detail(group: string): unknown {
    if (!this.groupNames().includes(group)) throw new BadRequest(`group ${group} is not known to this broker`, 404);
    const info = this.broker.consumerManager.getConsumerGroupInfo(group);
    const members = [...(info?.channels.values() ?? [])].map((member) => ({
      clientId: member.clientId,
      address: member.connection.remoteAddress,
      language: member.language,
      version: member.version,
      lastUpdateTimestampMs: member.lastUpdateTimestampMs,
    }));
    const subscriptions = [...(info?.subscriptionTable.values() ?? [])].map(({ topic, subString, expressionType }) => ({
      topic,
      subString,
      expressionType,
    }));
    const config = this.broker.subscriptionGroupManager.subscriptionGroupTable.get(group) ?? null;
    const model =
      info === undefined
        ? {}
        : { consumeType: info.consumeType, messageModel: info.messageModel, consumeFromWhere: info.consumeFromWhere };
    return { group, config, ...model, members, subscriptions, lag: this.lag(group, true) };
  }

  async resetOffset(input: Record<string, unknown>): Promise<unknown> {
    const group = stringField(input, 'group');
    const topic = stringField(input, 'topic');
    const timestampMs = timeField(input, 'timestamp');
    const problem = groupNameProblem('group', group);
    if (problem !== undefined) throw new BadRequest(problem);
    const config = this.broker.topicConfigManager.selectTopicConfig(topic);
    if (config === undefined) throw new BadRequest(`topic ${topic} does not exist on this broker`, 404);
    const store = this.broker.messageStore;
    const offsets: { queueId: number; offset: number }[] = [];
    for (let queueId = 0; queueId < config.writeQueueNums; queueId++) {
      const found =
        timestampMs === -1
          ? store.getMaxOffsetInQueue(topic, queueId)
          : store.getOffsetInQueueByTime(topic, queueId, timestampMs);
      const offset = Math.max(0, found);
      this.broker.consumerOffsetManager.commitOffset(group, topic, queueId, offset);
      offsets.push({ queueId, offset });
    }
    let clientsNotified = 0;
    const members = this.broker.consumerManager.getConsumerGroupInfo(group)?.channels.size ?? 0;
    if (members > 0) {
      await this.calls.local(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, {
        topic,
        group,
        timestamp: String(timestampMs),
        isForce: 'true',
      });
      clientsNotified = members;
    }
    this.broker.consumerOffsetManager.persist();
    return { group, topic, timestampMs, offsets, clientsNotified };
  }

  async runningInfo(group: string, clientId: string): Promise<unknown> {
    const response = await this.calls.local(RequestCode.GET_CONSUMER_RUNNING_INFO, {
      consumerGroup: group,
      clientId,
      jstackEnable: 'false',
    });
    return bodyToPlain(response);
  }
}
