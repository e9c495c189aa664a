// Families beyond rocketmq-exporter, under RocketMQ 5.x's own metric names
// (BrokerMetricsConstant, 5.1+) so a 5.x dashboard finds the basics, with the subset of 5.x labels
// this broker knows {cluster,node_type,node_id[,topic][,consumer_group]}:
//
//   rocketmq_messages_in_total       counter  messages stored by sends, per topic (TOPIC_PUT_NUMS, since start)
//   rocketmq_throughput_in_total     counter  their bytes (TOPIC_PUT_SIZE)
//   rocketmq_messages_out_total      counter  messages returned by pulls, per topic and group (GROUP_GET_NUMS)
//   rocketmq_throughput_out_total    counter  their bytes (GROUP_GET_SIZE)
//   rocketmq_consumer_lag_messages   gauge    broker offset − consumer offset, per topic and group (any model)
//   rocketmq_topic_number, rocketmq_consumer_group_number                  topic configs, subscription groups
//   rocketmq_producer_connections, rocketmq_consumer_connections           live client connections
//
// Unlike the exporter's minute rates these are exact running totals, so `rate()` works on them and
// a test can check them against a known workload.
import { BrokerStatsNames } from '../stats/broker-stats-manager';
import type { BrokerContext } from '../broker-context';
import type { GroupTopicStats } from './exporter-offset-metrics';
import { addSample, type FamilyBuilder } from '../../common/metric-family';

const NODE_LABEL_NAMES = ['cluster', 'node_type', 'node_id'] as const;
const TOPIC_LABEL_NAMES = [...NODE_LABEL_NAMES, 'topic'] as const;
const GROUP_LABEL_NAMES = [...NODE_LABEL_NAMES, 'topic', 'consumer_group'] as const;

export function addNativeFamilies(out: FamilyBuilder, broker: BrokerContext, pairs: GroupTopicStats[]): void {
  const node = [broker.brokerConfig.brokerClusterName, 'broker', broker.brokerConfig.brokerName];
  const stats = broker.brokerStatsManager;
  const topicCounters: [string, string, string][] = [
    ['rocketmq_messages_in_total', 'Messages stored by sends since start', BrokerStatsNames.TOPIC_PUT_NUMS],
    ['rocketmq_throughput_in_total', 'Bytes stored by sends since start', BrokerStatsNames.TOPIC_PUT_SIZE],
  ];
  for (const [name, help, statsName] of topicCounters) {
    const family = out.family(name, help, TOPIC_LABEL_NAMES, 'counter');
    for (const item of stats.statsItems(statsName)) addSample(family, [...node, item.statsKey], item.value);
  }
  const groupCounters: [string, string, string][] = [
    ['rocketmq_messages_out_total', 'Messages returned by pulls since start', BrokerStatsNames.GROUP_GET_NUMS],
    ['rocketmq_throughput_out_total', 'Bytes returned by pulls since start', BrokerStatsNames.GROUP_GET_SIZE],
  ];
  for (const [name, help, statsName] of groupCounters) {
    const family = out.family(name, help, GROUP_LABEL_NAMES, 'counter');
    for (const item of stats.statsItems(statsName)) {
      const at = item.statsKey.indexOf('@');
      if (at > 0) addSample(family, [...node, item.statsKey.slice(0, at), item.statsKey.slice(at + 1)], item.value);
    }
  }
  const lag = out.family(
    'rocketmq_consumer_lag_messages',
    'Messages not yet consumed (broker offset - consumer offset)',
    GROUP_LABEL_NAMES,
  );
  for (const entry of pairs) {
    let diff = 0;
    for (const wrapper of entry.stats.offsetTable.values()) diff += wrapper.brokerOffset - wrapper.consumerOffset;
    addSample(lag, [...node, entry.topic, entry.group], diff);
  }
  addSample(
    out.family('rocketmq_topic_number', 'Topic configs on this broker', NODE_LABEL_NAMES),
    node,
    broker.topicConfigManager.topicConfigTable.size,
  );
  const groups = broker.subscriptionGroupManager.subscriptionGroupTable.size;
  addSample(
    out.family('rocketmq_consumer_group_number', 'Subscription groups on this broker', NODE_LABEL_NAMES),
    node,
    groups,
  );
  let producerConnections = 0;
  for (const channels of broker.producerManager.groupChannelTable.values()) producerConnections += channels.size;
  addSample(
    out.family('rocketmq_producer_connections', 'Live producer connections', NODE_LABEL_NAMES),
    node,
    producerConnections,
  );
  let consumerConnections = 0;
  for (const info of broker.consumerManager.consumerTable.values()) consumerConnections += info.channels.size;
  addSample(
    out.family('rocketmq_consumer_connections', 'Live consumer connections', NODE_LABEL_NAMES),
    node,
    consumerConnections,
  );
}
