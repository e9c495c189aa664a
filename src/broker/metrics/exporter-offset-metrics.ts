// rocketmq-exporter's families that come from offsets and connections (MetricsCollectTask
// collectTopicOffset / collectConsumerOffset / collectProducer), built from this broker's tables:
//
//   rocketmq_producer_offset, rocketmq_topic_retry_offset {cluster,broker,topic}  Σ max offsets (GET_TOPIC_STATS_INFO)
//   rocketmq_topic_dlq_offset            {cluster,broker,group}        the same for %DLQ%<group>
//   rocketmq_producer_count              {cluster,broker,group}        producer connections per group
//   rocketmq_group_diff / _retrydiff     {group,topic,countOfOnlineConsumers,msgModel}  ConsumeStats.computeTotalDiff
//   rocketmq_group_dlqdiff, rocketmq_group_consume_total_offset  (declared by the exporter, never filled: no samples)
//   rocketmq_group_count                 {caddr,localaddr,group}       online consumers of the group
//   rocketmq_consumer_offset             {cluster,broker,topic,group}  Σ consumer offsets
//   rocketmq_group_consume_tps           {cluster,broker,topic,group}  ConsumeStats.consumeTps (the exporter declares it)
//   rocketmq_group_get_latency_by_storetime {cluster,broker,topic,group} now − store time of the next message to consume
//
// The (group, topic) pairs are those queryTopicConsumeByWho would name: groups online on the topic
// plus groups with offsets on it, %DLQ% topics skipped. The exporter sums the diff over every broker
// of a topic; here each broker reports its own part, so `sum by (group, topic)` (what the
// exporter's dashboards do) gives the exporter's number. msgModel is the MessageModel ordinal
// (BROADCASTING 0, CLUSTERING 1); diff and latency are only given for CLUSTERING groups, as there.
import { consumeStatsOfTopic, type ConsumeStats } from '../../handlers/admin/consume-stats-handlers';
import type { BrokerContext } from '../broker-context';
import { DLQ_GROUP_TOPIC_PREFIX, RETRY_GROUP_TOPIC_PREFIX } from '../topic-validator';
import { GROUP_NUMS_LABEL_NAMES, TOPIC_NUMS_LABEL_NAMES } from './exporter-stats-metrics';
import { addSample, type FamilyBuilder, fixedDouble, type MetricFamily } from '../../common/metric-family';

const GROUP_DIFF_LABEL_NAMES = ['group', 'topic', 'countOfOnlineConsumers', 'msgModel'] as const;
const GROUP_COUNT_LABEL_NAMES = ['caddr', 'localaddr', 'group'] as const;
const DLQ_TOPIC_OFFSET_LABEL_NAMES = ['cluster', 'broker', 'group'] as const;
const PRODUCER_COUNT_LABEL_NAMES = ['cluster', 'broker', 'group'] as const;
/** MessageModel.CLUSTERING.ordinal() (BROADCASTING is 0). */
const CLUSTERING_ORDINAL = '1';

/** One (group, topic) with its consume stats, as the group metrics need it. */
export interface GroupTopicStats {
  group: string;
  topic: string;
  stats: ConsumeStats;
}

/** Every (group, topic) this broker knows of, sorted, with GET_CONSUME_STATS' numbers. */
export function groupTopicStats(broker: BrokerContext): GroupTopicStats[] {
  const pairs = new Map<string, [string, string]>();
  for (const key of broker.consumerOffsetManager.offsetTable.keys()) {
    const at = key.lastIndexOf('@');
    if (at > 0) pairs.set(key, [key.slice(at + 1), key.slice(0, at)]);
  }
  for (const [group, info] of broker.consumerManager.consumerTable) {
    for (const topic of info.subscriptionTable.keys()) pairs.set(`${topic}@${group}`, [group, topic]);
  }
  const result: GroupTopicStats[] = [];
  for (const key of [...pairs.keys()].sort()) {
    const [group, topic] = pairs.get(key)!;
    if (topic.startsWith(DLQ_GROUP_TOPIC_PREFIX)) continue;
    const stats = consumeStatsOfTopic(broker, group, topic);
    if (stats !== undefined) result.push({ group, topic, stats });
  }
  return result;
}

function addTopicOffsetFamilies(out: FamilyBuilder, broker: BrokerContext): void {
  const { brokerClusterName: cluster, brokerName } = broker.brokerConfig;
  const normal = out.family('rocketmq_producer_offset', 'TopicOffset', TOPIC_NUMS_LABEL_NAMES);
  const retry = out.family('rocketmq_topic_retry_offset', 'TopicRetryOffset', TOPIC_NUMS_LABEL_NAMES);
  const dlq = out.family('rocketmq_topic_dlq_offset', 'TopicRetryOffset', DLQ_TOPIC_OFFSET_LABEL_NAMES);
  for (const topic of [...broker.topicConfigManager.topicConfigTable.keys()].sort()) {
    const config = broker.topicConfigManager.topicConfigTable.get(topic)!;
    let maxOffsetSum = 0;
    for (let queueId = 0; queueId < config.writeQueueNums; queueId++)
      maxOffsetSum += broker.messageStore.getMaxOffsetInQueue(topic, queueId);
    if (topic.startsWith(RETRY_GROUP_TOPIC_PREFIX)) addSample(retry, [cluster, brokerName, topic], maxOffsetSum);
    else if (topic.startsWith(DLQ_GROUP_TOPIC_PREFIX))
      addSample(dlq, [cluster, brokerName, topic.slice(DLQ_GROUP_TOPIC_PREFIX.length)], maxOffsetSum);
    else addSample(normal, [cluster, brokerName, topic], maxOffsetSum);
  }
  const producers = out.family('rocketmq_producer_count', 'producer instance counter', PRODUCER_COUNT_LABEL_NAMES);
  for (const [group, channels] of broker.producerManager.groupChannelTable) {
    if (channels.size > 0) addSample(producers, [cluster, brokerName, group], channels.size);
  }
}

/**
 * Store times of messages by (topic, queue, offset), kept across scrapes: a message's store time
 * never changes, and the latency metric reads the one at each lagging queue's consumer offset, which
 * stays put while a group is stalled. Bounded: cleared when full.
 */
export class StoreTimestampCache {
  static readonly MAX_ENTRIES = 100_000;
  private readonly timestamps = new Map<string, number>();

  get size(): number {
    return this.timestamps.size;
  }

  get(broker: BrokerContext, topic: string, queueId: number, queueOffset: number): number {
    const key = `${topic}\u0001${queueId}\u0001${queueOffset}`;
    let timestampMs = this.timestamps.get(key);
    if (timestampMs === undefined) {
      timestampMs = broker.messageStore.getMessageStoreTimeStamp(topic, queueId, queueOffset);
      if (timestampMs <= 0) return timestampMs; // not there (yet, or any more): ask again next time
      if (this.timestamps.size >= StoreTimestampCache.MAX_ENTRIES) this.timestamps.clear();
      this.timestamps.set(key, timestampMs);
    }
    return timestampMs;
  }
}

/** The largest wait of the group's queues: now − store time of the message at the consumer offset. */
function latencyByStoreTimeMs(
  broker: BrokerContext,
  entry: GroupTopicStats,
  nowMs: number,
  cache: StoreTimestampCache,
): number {
  let latencyMs = 0;
  for (const [mq, wrapper] of entry.stats.offsetTable) {
    if (wrapper.brokerOffset === wrapper.consumerOffset) continue;
    const minOffset = broker.messageStore.getMinOffsetInQueue(entry.topic, mq.queueId);
    const storeTimestampMs = cache.get(broker, entry.topic, mq.queueId, Math.max(wrapper.consumerOffset, minOffset));
    if (storeTimestampMs > 0) latencyMs = Math.max(latencyMs, nowMs - storeTimestampMs);
  }
  return latencyMs;
}

function groupFamilies(out: FamilyBuilder): Record<string, MetricFamily> {
  return {
    diff: out.family('rocketmq_group_diff', 'GroupDiff', GROUP_DIFF_LABEL_NAMES),
    retryDiff: out.family('rocketmq_group_retrydiff', 'GroupRetryDiff', GROUP_DIFF_LABEL_NAMES),
    dlqDiff: out.family('rocketmq_group_dlqdiff', 'GroupDLQDiff', GROUP_DIFF_LABEL_NAMES),
    count: out.family('rocketmq_group_count', 'GroupCount', GROUP_COUNT_LABEL_NAMES),
    consumeTps: out.family('rocketmq_group_consume_tps', 'GroupConsumeTPS', GROUP_NUMS_LABEL_NAMES),
    consumerOffset: out.family('rocketmq_consumer_offset', 'GroupBrokerTotalOffset', GROUP_NUMS_LABEL_NAMES),
    // Declared by the exporter, never filled (addGroupConsumerTotalOffsetMetric is commented out).
    consumeTotalOffset: out.family(
      'rocketmq_group_consume_total_offset',
      'GroupConsumeTotalOffset',
      GROUP_NUMS_LABEL_NAMES,
    ),
    latency: out.family(
      'rocketmq_group_get_latency_by_storetime',
      'GroupGetLatencyByStoreTime',
      GROUP_NUMS_LABEL_NAMES,
    ),
  };
}

export function addExporterOffsetFamilies(
  out: FamilyBuilder,
  broker: BrokerContext,
  pairs: GroupTopicStats[],
  nowMs: number,
  cache: StoreTimestampCache,
): void {
  addTopicOffsetFamilies(out, broker);
  const { brokerClusterName: cluster, brokerName } = broker.brokerConfig;
  const families = groupFamilies(out);
  const countedGroups = new Set<string>();
  for (const entry of pairs) {
    const info = broker.consumerManager.getConsumerGroupInfo(entry.group);
    const connections = info === undefined ? [] : [...info.channels.values()];
    const clustering = info === undefined || info.messageModel !== 'BROADCASTING';
    if (!countedGroups.has(entry.group)) {
      countedGroups.add(entry.group);
      const caddr = connections.map((c) => c.connection.remoteAddress).join(',');
      addSample(families.count, [caddr, connections.map((c) => c.clientId).join(','), entry.group], connections.length);
    }
    const groupNums = [cluster, brokerName, entry.topic, entry.group];
    let diff = 0;
    let consumerOffsetSum = 0;
    for (const wrapper of entry.stats.offsetTable.values()) {
      diff += wrapper.brokerOffset - wrapper.consumerOffset;
      consumerOffsetSum += wrapper.consumerOffset;
    }
    addSample(families.consumerOffset, groupNums, consumerOffsetSum);
    addSample(families.consumeTps, groupNums, fixedDouble(entry.stats.consumeTps));
    if (!clustering) continue;
    const diffFamily = entry.topic.startsWith(RETRY_GROUP_TOPIC_PREFIX) ? families.retryDiff : families.diff;
    addSample(diffFamily, [entry.group, entry.topic, connections.length, CLUSTERING_ORDINAL], diff);
    addSample(families.latency, groupNums, latencyByStoreTimeMs(broker, entry, nowMs, cache));
  }
}
