// rocketmq-exporter's rocketmq_brokeruntime_* families (BrokerRuntimeStats parsed from
// GET_BROKER_RUNTIME_INFO), built from the same table this broker answers `mqadmin brokerStatus`
// with, so the two always agree. Labels {cluster,brokerIP,brokerHost,des,boottime,broker_version}:
// brokerIP is the broker's address (ip:port) as the exporter uses the master address, brokerHost is
// empty (the exporter passes ""), des is brokerVersionDesc (V4_7_1), boottime the boot timestamp and
// broker_version the version ordinal (355).
//
// Parsing follows BrokerRuntimeStats: "a b c" TPS strings give the 10/60/600 s values (an empty
// part is 0), putMessageDistributeTime "[<=0ms]:n …" gives the pmdt_* buckets, remainHowManyDataToFlush
// keeps the number before the unit. commitlogdir_capacity_total/free are exact bytes here (the
// exporter parses them back from "Total : 252.0 GiB, …", so it is within the rounding of that text).
// putLatency99/999 are not in a 4.7.1 broker's table: -1, the exporter's default.
import type { BrokerContext } from '../broker-context';
import { diskSpace } from '../stats/java-format';
import { brokerRuntimeInfo } from '../../handlers/admin/broker-runtime-info';
import { addSample, type FamilyBuilder } from '../../common/metric-family';

export const BROKER_RUNTIME_METRIC_LABEL_NAMES = [
  'cluster',
  'brokerIP',
  'brokerHost',
  'des',
  'boottime',
  'broker_version',
] as const;

/** Metric name suffix → runtime-info key, for the plain numeric values. */
const PLAIN_VALUES: [string, string][] = [
  ['msg_put_total_today_now', 'msgPutTotalTodayNow'],
  ['msg_gettotal_today_now', 'msgGetTotalTodayNow'],
  ['msg_puttotal_todaymorning', 'msgPutTotalTodayMorning'],
  ['msg_gettotal_todaymorning', 'msgGetTotalTodayMorning'],
  ['msg_puttotal_yesterdaymorning', 'msgPutTotalYesterdayMorning'],
  ['msg_gettotal_yesterdaymorning', 'msgGetTotalYesterdayMorning'],
  ['dispatch_behind_bytes', 'dispatchBehindBytes'],
  ['put_message_size_total', 'putMessageSizeTotal'],
  ['put_message_average_size', 'putMessageAverageSize'],
  ['query_threadpool_queue_capacity', 'queryThreadPoolQueueCapacity'],
  ['remain_transientstore_buffer_numbs', 'remainTransientStoreBufferNumbs'],
  ['earliest_message_timestamp', 'earliestMessageTimeStamp'],
  ['putmessage_entire_time_max', 'putMessageEntireTimeMax'],
  ['start_accept_sendrequest_time', 'startAcceptSendRequestTimeStamp'],
  ['send_threadpool_queue_size', 'sendThreadPoolQueueSize'],
  ['putmessage_times_total', 'putMessageTimesTotal'],
  ['getmessage_entire_time_max', 'getMessageEntireTimeMax'],
  ['pagecache_lock_time_mills', 'pageCacheLockTimeMills'],
  ['commitlog_disk_ratio', 'commitLogDiskRatio'],
  ['consumequeue_disk_ratio', 'consumeQueueDiskRatio'],
  ['dispatch_maxbuffer', 'dispatchMaxBuffer'],
  ['pull_threadpoolqueue_capacity', 'pullThreadPoolQueueCapacity'],
  ['send_threadpoolqueue_capacity', 'sendThreadPoolQueueCapacity'],
  ['pull_threadpoolqueue_size', 'pullThreadPoolQueueSize'],
  ['query_threadpoolqueue_size', 'queryThreadPoolQueueSize'],
  ['pull_threadpoolqueue_headwait_timemills', 'pullThreadPoolQueueHeadWaitTimeMills'],
  ['query_threadpoolqueue_headwait_timemills', 'queryThreadPoolQueueHeadWaitTimeMills'],
  ['send_threadpoolqueue_headwait_timemills', 'sendThreadPoolQueueHeadWaitTimeMills'],
  ['commitlog_maxoffset', 'commitLogMaxOffset'],
  ['commitlog_minoffset', 'commitLogMinOffset'],
];

/** Metric name prefix → runtime-info key of the "10s 60s 600s" TPS strings. */
const TPS_VALUES: [string, string][] = [
  ['put_tps', 'putTps'],
  ['getfound_tps', 'getFoundTps'],
  ['getmiss_tps', 'getMissTps'],
  ['gettotal_tps', 'getTotalTps'],
  ['gettransfered_tps', 'getTransferedTps'],
];
const TPS_WINDOWS = ['10', '60', '600'];

/** pmdt_* suffix → putMessageDistributeTime bucket name (brackets stripped, as the exporter does). */
const DISTRIBUTION_BUCKETS: [string, string][] = [
  ['0ms', '<=0ms'],
  ['0to10ms', '0~10ms'],
  ['10to50ms', '10~50ms'],
  ['50to100ms', '50~100ms'],
  ['100to200ms', '100~200ms'],
  ['200to500ms', '200~500ms'],
  ['500to1s', '500ms~1s'],
  ['1to2s', '1~2s'],
  ['2to3s', '2~3s'],
  ['3to4s', '3~4s'],
  ['4to5s', '4~5s'],
  ['5to10s', '5~10s'],
  ['10stomore', '10s~'],
];

function parseNumber(text: string | undefined): number {
  const value = Number.parseFloat(text ?? '');
  return Number.isFinite(value) ? value : 0;
}

/** "[<=0ms]:3 [0~10ms]:1 …" → bucket name → count. */
export function parsePutMessageDistributeTime(text: string): Map<string, number> {
  const buckets = new Map<string, number>();
  for (const part of text.split(' ')) {
    const colon = part.lastIndexOf(':');
    if (colon <= 0) continue;
    buckets.set(part.slice(0, colon).replace(/[[\]]/g, ''), parseNumber(part.slice(colon + 1)));
  }
  return buckets;
}

export function addExporterRuntimeFamilies(
  out: FamilyBuilder,
  broker: BrokerContext,
  brokerAddr: string,
  nowMs: number,
): void {
  const info = brokerRuntimeInfo(broker, nowMs);
  const labels = [
    broker.brokerConfig.brokerClusterName,
    brokerAddr,
    '',
    info.get('brokerVersionDesc') ?? '',
    info.get('bootTimestamp') ?? '',
    info.get('brokerVersion') ?? '',
  ];
  const gauge = (suffix: string, help: string, value: number) =>
    addSample(out.family(`rocketmq_brokeruntime_${suffix}`, help, BROKER_RUNTIME_METRIC_LABEL_NAMES), labels, value);
  const distribution = parsePutMessageDistributeTime(info.get('putMessageDistributeTime') ?? '');
  for (const [suffix, bucket] of DISTRIBUTION_BUCKETS)
    gauge(`pmdt_${suffix}`, `PutMessageDistributeTimeMap ${bucket}`, distribution.get(bucket) ?? 0);
  for (const [suffix, key] of PLAIN_VALUES) gauge(suffix, `brokerRuntime ${key}`, parseNumber(info.get(key)));
  for (const [prefix, key] of TPS_VALUES) {
    const parts = (info.get(key) ?? '').split(' ');
    TPS_WINDOWS.forEach((window, i) =>
      gauge(`${prefix}${window}`, `brokerRuntime ${key} over ${window} s`, parseNumber(parts[i])),
    );
  }
  gauge(
    'remain_howmanydata_toflush',
    'brokerRuntime remainHowManyDataToFlush',
    parseNumber(info.get('remainHowManyDataToFlush')?.split(' ')[0]),
  );
  const space = diskSpace(broker.messageStoreConfig.storePathRootDir);
  gauge('commitlogdir_capacity_total', 'brokerRuntime commitLogDirCapacity Total (bytes)', space?.totalBytes ?? 0);
  gauge('commitlogdir_capacity_free', 'brokerRuntime commitLogDirCapacity Free (bytes)', space?.freeBytes ?? 0);
  gauge('put_latency_99', 'brokerRuntime putLatency99 (not in 4.7.1: -1)', -1);
  gauge('put_latency_999', 'brokerRuntime putLatency999 (not in 4.7.1: -1)', -1);
}
