// The NameServer's /metrics families (beyond rocketmq-exporter, which has none for it), from the
// RouteInfoManager tables mqadmin clusterList and topicList read:
//
//   rocketmq_namesrv_cluster_number                      clusters with a registered broker
//   rocketmq_namesrv_topic_number                        topics with a route
//   rocketmq_namesrv_broker_number {cluster}             broker addresses registered and alive
//   rocketmq_namesrv_broker_last_update_timestamp {cluster,broker,brokerId,brokerAddr}
//                                                        ms time of the broker's last registration
//                                                        (heartbeat); now − it shows a stalled broker
//
// Process and Node.js metrics come from prom-client's default collectors, as on the broker. Only
// loaded when the NameServer's metricsPort is set.
import { addSample, FamilyBuilder, type MetricFamily } from '../common/metric-family';
import type { RouteInfoManager } from './route-info-manager';

export function collectNamesrvMetrics(routes: RouteInfoManager): MetricFamily[] {
  const out = new FamilyBuilder();
  addSample(
    out.family('rocketmq_namesrv_cluster_number', 'Clusters with a registered broker', []),
    [],
    routes.clusterAddrTable.size,
  );
  addSample(out.family('rocketmq_namesrv_topic_number', 'Topics with a route', []), [], routes.topicQueueTable.size);
  const brokers = out.family('rocketmq_namesrv_broker_number', 'Broker addresses registered and alive', ['cluster']);
  const lastUpdate = out.family(
    'rocketmq_namesrv_broker_last_update_timestamp',
    "Time (ms) of the broker's last registration",
    ['cluster', 'broker', 'brokerId', 'brokerAddr'],
  );
  const liveByCluster = new Map<string, number>();
  for (const cluster of routes.clusterAddrTable.keys()) liveByCluster.set(cluster, 0);
  for (const brokerName of [...routes.brokerAddrTable.keys()].sort()) {
    const brokerData = routes.brokerAddrTable.get(brokerName)!;
    for (const [brokerId, brokerAddr] of [...brokerData.brokerAddrs].sort(([a], [b]) => a - b)) {
      const live = routes.brokerLiveTable.get(brokerAddr);
      if (live === undefined) continue;
      liveByCluster.set(brokerData.cluster, (liveByCluster.get(brokerData.cluster) ?? 0) + 1);
      addSample(lastUpdate, [brokerData.cluster, brokerName, brokerId, brokerAddr], live.lastUpdateTimestampMs);
    }
  }
  for (const [cluster, count] of [...liveByCluster].sort()) addSample(brokers, [cluster], count);
  return out.families;
}
