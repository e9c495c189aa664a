// BrokerMetricsManager (5.x's name for the broker's metrics owner): builds every family the broker's
// /metrics endpoint serves from the broker's own state at scrape time, so a scrape reads the same
// numbers VIEW_BROKER_STATS_DATA, GET_CONSUME_STATS and GET_BROKER_RUNTIME_INFO answer:
//
//   exporter-stats-metrics    rocketmq_broker_tps/qps, producer/consumer tps and sizes, send-backs
//   exporter-offset-metrics   producer/retry/DLQ offsets, group diff/count/offset/latency
//   exporter-runtime-metrics  rocketmq_brokeruntime_*
//   client-runtime-metrics    rocketmq_client_* (asks each connected consumer, GET_CONSUMER_RUNNING_INFO)
//   native-metrics            5.x-named running totals and counts (beyond the exporter)
//
// Process and Node.js metrics come from prom-client's default collectors (src/common/metrics-http-server.ts).
// Nothing here is loaded unless metricsPort is set.
import type { BrokerContext } from '../broker-context';
import { addClientRuntimeFamilies } from './client-runtime-metrics';
import { addExporterOffsetFamilies, groupTopicStats, StoreTimestampCache } from './exporter-offset-metrics';
import { addExporterRuntimeFamilies } from './exporter-runtime-metrics';
import { addExporterStatsFamilies } from './exporter-stats-metrics';
import { FamilyBuilder, type MetricFamily } from '../../common/metric-family';
import { addNativeFamilies } from './native-metrics';

export class BrokerMetricsManager {
  private readonly storeTimestamps = new StoreTimestampCache();

  constructor(
    private readonly broker: BrokerContext,
    /** ip:port as registered with the NameServer. */
    private readonly brokerAddr: () => string,
  ) {}

  /** Every broker family, from the broker's state now. */
  async collect(nowMs = Date.now()): Promise<MetricFamily[]> {
    const broker = this.broker;
    const out = new FamilyBuilder();
    const clients = addClientRuntimeFamilies(out, broker);
    addExporterStatsFamilies(out, broker, this.brokerAddr());
    const pairs = groupTopicStats(broker);
    addExporterOffsetFamilies(out, broker, pairs, nowMs, this.storeTimestamps);
    addExporterRuntimeFamilies(out, broker, this.brokerAddr(), nowMs);
    addNativeFamilies(out, broker, pairs);
    await clients;
    return out.families;
  }
}
