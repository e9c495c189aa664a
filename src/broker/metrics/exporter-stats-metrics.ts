// rocketmq-exporter's families that come from VIEW_BROKER_STATS_DATA (MetricsCollectTask
// collectBrokerStats / collectBrokerStatsTopic), built from this broker's BrokerStatsManager:
//
//   rocketmq_broker_tps / _qps          {cluster,brokerIP,broker}      BROKER_PUT_NUMS / BROKER_GET_NUMS minute tps
//   rocketmq_broker_commitlog_diff      {cluster,brokerIP,broker}      on a master, per connected slave: max commit-log
//                                                                      offset − the slave's last acknowledged offset
//   rocketmq_producer_tps               {cluster,broker,topic}         TOPIC_PUT_NUMS minute tps
//   rocketmq_producer_message_size      {cluster,broker,topic}         TOPIC_PUT_SIZE minute tps (bytes/s)
//   rocketmq_consumer_tps               {cluster,broker,topic,group}   GROUP_GET_NUMS minute tps
//   rocketmq_consumer_message_size      {cluster,broker,topic,group}   GROUP_GET_SIZE minute tps (bytes/s)
//   rocketmq_send_back_nums             {cluster,broker,topic,group}   SNDBCK_PUT_NUMS minute sum
//
// Values are the exporter's: the minute window's tps rounded to two decimals (sum for send-backs);
// a topic or group never counted has no sample, as the exporter skips keys the broker answers "not
// exist" for; %RETRY% and %DLQ% topics are skipped as the exporter skips them. The broker's own
// two rows are always present (0 before the first message). rocketmq_producer_put_size and
// rocketmq_consumer_get_size are the exporter's names for the size families before July 2019
// (commit 2d22503), kept so dashboards of that age work too.
import { BrokerStatsNames } from '../stats/broker-stats-manager';
import type { StatsItem } from '../stats/stats-item';
import { DLQ_GROUP_TOPIC_PREFIX, RETRY_GROUP_TOPIC_PREFIX } from '../topic-validator';
import type { BrokerContext } from '../broker-context';
import { addSample, type FamilyBuilder, fixedDouble } from '../../common/metric-family';

export const BROKER_NUMS_LABEL_NAMES = ['cluster', 'brokerIP', 'broker'] as const;
export const TOPIC_NUMS_LABEL_NAMES = ['cluster', 'broker', 'topic'] as const;
export const GROUP_NUMS_LABEL_NAMES = ['cluster', 'broker', 'topic', 'group'] as const;

/** Retry and dead-letter topics, which the exporter's per-topic loops skip. */
export function isRetryOrDlqTopic(topic: string): boolean {
  return topic.startsWith(RETRY_GROUP_TOPIC_PREFIX) || topic.startsWith(DLQ_GROUP_TOPIC_PREFIX);
}

/** `topic@group` split at the first `@` (topics cannot contain one; groups could, in theory). */
function splitStatsKey(statsKey: string): [string, string] | undefined {
  const at = statsKey.indexOf('@');
  return at <= 0 ? undefined : [statsKey.slice(0, at), statsKey.slice(at + 1)];
}

function minuteTps(item: StatsItem | undefined): number {
  return item === undefined ? 0 : fixedDouble(item.getStatsDataInMinute().tps);
}

export function addExporterStatsFamilies(out: FamilyBuilder, broker: BrokerContext, brokerAddr: string): void {
  const cluster = broker.brokerConfig.brokerClusterName;
  const brokerName = broker.brokerConfig.brokerName;
  const stats = broker.brokerStatsManager;
  const brokerTps = out.family('rocketmq_broker_tps', 'BrokerPutNums', BROKER_NUMS_LABEL_NAMES);
  addSample(
    brokerTps,
    [cluster, brokerAddr, brokerName],
    minuteTps(stats.getStatsItem(BrokerStatsNames.BROKER_PUT_NUMS, cluster)),
  );
  const brokerQps = out.family('rocketmq_broker_qps', 'BrokerGetNums', BROKER_NUMS_LABEL_NAMES);
  addSample(
    brokerQps,
    [cluster, brokerAddr, brokerName],
    minuteTps(stats.getStatsItem(BrokerStatsNames.BROKER_GET_NUMS, cluster)),
  );
  // The exporter labels the diff with the slave's broker address, which a master does not know:
  // brokerIP here is the slave's address on the master's HA port.
  const commitLogDiff = out.family(
    'rocketmq_broker_commitlog_diff',
    'brokerCommitLogDiffGauge',
    BROKER_NUMS_LABEL_NAMES,
  );
  const maxPhysicalOffset = broker.messageStore.getMaxPhyOffset();
  for (const slave of broker.messageStore.ha.slaveAckOffsets()) {
    if (slave.slaveAckOffset >= 0)
      addSample(commitLogDiff, [cluster, slave.clientAddr, brokerName], maxPhysicalOffset - slave.slaveAckOffset);
  }

  const topicFamilies: [string, string, string][] = [
    ['rocketmq_producer_tps', 'TopicPutNums', BrokerStatsNames.TOPIC_PUT_NUMS],
    ['rocketmq_producer_message_size', 'TopicPutMessageSize', BrokerStatsNames.TOPIC_PUT_SIZE],
    [
      'rocketmq_producer_put_size',
      "TopicPutSize (the exporter's name before July 2019)",
      BrokerStatsNames.TOPIC_PUT_SIZE,
    ],
  ];
  for (const [name, help, statsName] of topicFamilies) {
    const family = out.family(name, help, TOPIC_NUMS_LABEL_NAMES);
    for (const item of stats.statsItems(statsName)) {
      if (isRetryOrDlqTopic(item.statsKey)) continue;
      addSample(family, [cluster, brokerName, item.statsKey], minuteTps(item));
    }
  }

  const groupFamilies: [string, string, string, (item: StatsItem) => number][] = [
    ['rocketmq_consumer_tps', 'GroupGetNums', BrokerStatsNames.GROUP_GET_NUMS, minuteTps],
    ['rocketmq_consumer_message_size', 'GroupGetMessageSize', BrokerStatsNames.GROUP_GET_SIZE, minuteTps],
    [
      'rocketmq_consumer_get_size',
      "GroupGetSize (the exporter's name before July 2019)",
      BrokerStatsNames.GROUP_GET_SIZE,
      minuteTps,
    ],
    [
      'rocketmq_send_back_nums',
      'SendBackNums',
      BrokerStatsNames.SNDBCK_PUT_NUMS,
      (item) => item.getStatsDataInMinute().sum,
    ],
  ];
  for (const [familyName, help, statsName, valueOfItem] of groupFamilies) {
    const family = out.family(familyName, help, GROUP_NUMS_LABEL_NAMES);
    for (const item of stats.statsItems(statsName)) {
      const parts = splitStatsKey(item.statsKey);
      if (parts === undefined || isRetryOrDlqTopic(parts[0])) continue;
      addSample(family, [cluster, brokerName, parts[0], parts[1]], valueOfItem(item));
    }
  }
}
