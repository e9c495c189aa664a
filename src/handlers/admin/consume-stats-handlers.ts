// Consume-progress admin codes of AdminBrokerProcessor:
//
//   GET_CONSUME_STATS (208)        ConsumeStats {"consumeTps":1.5,"offsetTable":{{MQ}:{"brokerOffset",
//                                  "consumerOffset","lastTimestamp"}}} over queues 0..readQueueNums-1 of
//                                  the topic, or of every topic the group has offsets on; an unknown
//                                  group gets an empty table (mqadmin then reports it not found)
//   GET_BROKER_CONSUME_STATS (317) ConsumeStatsList {"brokerAddr","consumeStatsList":[{"group":[ConsumeStats]}],
//                                  "totalDiff"} for every subscription group, over writeQueueNums
//   CLONE_GROUP_OFFSET (314)       copies srcGroup's offsets to destGroup, topic by topic
//   QUERY_CORRECTION_OFFSET (308)  {"correctionOffsets":{0:5,1:9223372036854775807}}: per queue the lowest
//                                  offset among groups not filtered out, or Long.MAX_VALUE where the
//                                  compare group is behind it
//
// A group with live subscriptions is only reported (or cloned) for the topics it subscribes to.
import { JavaDouble } from '../../codec/fastjson-write';
import {
  decodeCloneGroupOffsetRequestHeader,
  decodeGetConsumeStatsInBrokerHeader,
  decodeGetConsumeStatsRequestHeader,
  decodeQueryCorrectionOffsetHeader,
} from '../../codec/headers/admin-request-headers';
import { RequestCode } from '../../codec/request-code';
import type { RemotingCommand } from '../../codec/remoting-command';
import { brokerAddress } from '../../broker/broker-config';
import type { BrokerContext } from '../../broker/broker-context';
import { groupNameProblem } from '../../broker/name-validator';
import { ResponseCode } from '../../codec/response-code';
import { type AdminRegistry, failure, messageQueueBean, type MessageQueueBean, success } from './admin-support';

const LONG_MAX_VALUE = 9223372036854775807n;

export interface OffsetWrapper {
  brokerOffset: number;
  consumerOffset: number;
  lastTimestamp: number;
}

export interface ConsumeStats {
  consumeTps: number;
  offsetTable: Map<MessageQueueBean, OffsetWrapper>;
}

export function registerConsumeStatsHandlers(registry: AdminRegistry, broker: BrokerContext): void {
  registry.register(RequestCode.GET_CONSUME_STATS, (request) => getConsumeStats(broker, request));
  registry.register(RequestCode.GET_BROKER_CONSUME_STATS, (request) => getBrokerConsumeStats(broker, request));
  registry.register(RequestCode.CLONE_GROUP_OFFSET, (request) => cloneGroupOffset(broker, request));
  registry.register(RequestCode.QUERY_CORRECTION_OFFSET, (request) => queryCorrectionOffset(broker, request));
}

function toBody(stats: ConsumeStats) {
  return { consumeTps: new JavaDouble(stats.consumeTps), offsetTable: stats.offsetTable };
}

/** False when the group is online but does not subscribe to `topic` (Java skips such topics). */
function subscribedOrOffline(broker: BrokerContext, group: string, topic: string): boolean {
  const groupInfo = broker.consumerManager.getConsumerGroupInfo(group);
  if (groupInfo === undefined || groupInfo.subscriptionTable.size === 0) return true;
  return groupInfo.findSubscriptionData(topic) !== undefined;
}

/** Adds the queues of `topic` to `stats`; false when the topic or subscription does not count. */
function addTopicStats(
  broker: BrokerContext,
  group: string,
  topic: string,
  queueCount: 'read' | 'write',
  stats: ConsumeStats,
  withTimestamps = true,
): boolean {
  const topicConfig = broker.topicConfigManager.selectTopicConfig(topic);
  if (topicConfig === undefined || !subscribedOrOffline(broker, group, topic)) return false;
  const store = broker.messageStore;
  const queues = queueCount === 'read' ? topicConfig.readQueueNums : topicConfig.writeQueueNums;
  for (let queueId = 0; queueId < queues; queueId++) {
    const brokerOffset = Math.max(0, store.getMaxOffsetInQueue(topic, queueId));
    const consumerOffset = Math.max(0, broker.consumerOffsetManager.queryOffset(group, topic, queueId));
    const storeTimestamp =
      withTimestamps && consumerOffset > 0 ? store.getMessageStoreTimeStamp(topic, queueId, consumerOffset - 1) : 0;
    const mq = messageQueueBean(topic, broker.brokerConfig.brokerName, queueId);
    stats.offsetTable.set(mq, { brokerOffset, consumerOffset, lastTimestamp: Math.max(0, storeTimestamp) });
  }
  stats.consumeTps += broker.brokerStatsManager.tpsGroupGetNums(group, topic);
  return true;
}

/**
 * GET_CONSUME_STATS of one group on one topic for the /metrics endpoint, without lastTimestamp (0:
 * it costs a store read per queue); undefined when Java's answer would have no queues.
 */
export function consumeStatsOfTopic(broker: BrokerContext, group: string, topic: string): ConsumeStats | undefined {
  const stats: ConsumeStats = { consumeTps: 0, offsetTable: new Map() };
  return addTopicStats(broker, group, topic, 'read', stats, false) && stats.offsetTable.size > 0 ? stats : undefined;
}

function getConsumeStats(broker: BrokerContext, request: RemotingCommand): RemotingCommand {
  const { consumerGroup, topic } = decodeGetConsumeStatsRequestHeader(request.extFields);
  const topics =
    topic === undefined || topic.trim() === ''
      ? broker.consumerOffsetManager.whichTopicByConsumer(consumerGroup)
      : [topic];
  const stats: ConsumeStats = { consumeTps: 0, offsetTable: new Map() };
  for (const each of topics) addTopicStats(broker, consumerGroup, each, 'read', stats);
  return success(request, toBody(stats));
}

function totalDiff(stats: ConsumeStats): number {
  let diff = 0;
  for (const wrapper of stats.offsetTable.values()) diff += wrapper.brokerOffset - wrapper.consumerOffset;
  return diff;
}

function getBrokerConsumeStats(broker: BrokerContext, request: RemotingCommand): RemotingCommand {
  const { isOrder } = decodeGetConsumeStatsInBrokerHeader(request.extFields);
  const consumeStatsList: Map<string, unknown[]>[] = [];
  let diff = 0;
  for (const group of broker.subscriptionGroupManager.subscriptionGroupTable.keys()) {
    const statsOfGroup = [];
    for (const topic of broker.consumerOffsetManager.whichTopicByConsumer(group)) {
      if (isOrder && broker.topicConfigManager.selectTopicConfig(topic)?.order !== true) continue;
      const stats: ConsumeStats = { consumeTps: 0, offsetTable: new Map() };
      if (!addTopicStats(broker, group, topic, 'write', stats)) continue;
      diff += totalDiff(stats);
      statsOfGroup.push(toBody(stats));
    }
    consumeStatsList.push(new Map([[group, statsOfGroup]]));
  }
  return success(request, { brokerAddr: brokerAddress(broker.brokerConfig), consumeStatsList, totalDiff: diff });
}

function cloneGroupOffset(broker: BrokerContext, request: RemotingCommand): RemotingCommand {
  const header = decodeCloneGroupOffsetRequestHeader(request.extFields);
  const problem = groupNameProblem('destGroup', header.destGroup);
  if (problem !== undefined) return failure(request, ResponseCode.SYSTEM_ERROR, problem);
  const offsets = broker.consumerOffsetManager;
  const topics =
    header.topic === undefined || header.topic.trim() === ''
      ? offsets.whichTopicByConsumer(header.srcGroup)
      : [header.topic];
  for (const topic of topics) {
    if (broker.topicConfigManager.selectTopicConfig(topic) === undefined) continue;
    if (!header.offline && !subscribedOrOffline(broker, header.srcGroup, topic)) continue;
    for (const [queueId, queueOffset] of offsets.queryOffsets(header.srcGroup, topic)) {
      offsets.commitOffset(header.destGroup, topic, queueId, queueOffset);
    }
  }
  return success(request);
}

function queryCorrectionOffset(broker: BrokerContext, request: RemotingCommand): RemotingCommand {
  const header = decodeQueryCorrectionOffsetHeader(request.extFields);
  const filtered = new Set((header.filterGroups ?? '').split(',').filter((group) => group.trim() !== ''));
  const correction = new Map<number, number | bigint>();
  for (const group of broker.consumerOffsetManager.whichGroupByTopic(header.topic)) {
    if (filtered.has(group)) continue;
    for (const [queueId, queueOffset] of broker.consumerOffsetManager.queryOffsets(group, header.topic)) {
      if (queueOffset < broker.messageStore.getMinOffsetInQueue(header.topic, queueId)) continue;
      const current = correction.get(queueId);
      correction.set(queueId, current === undefined ? queueOffset : Math.min(Number(current), queueOffset));
    }
  }
  for (const [queueId, compareOffset] of broker.consumerOffsetManager.queryOffsets(header.compareGroup, header.topic)) {
    const current = correction.get(queueId);
    if (current !== undefined && Number(current) > compareOffset) correction.set(queueId, LONG_MAX_VALUE);
  }
  return success(request, { correctionOffsets: correction });
}
