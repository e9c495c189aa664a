// Reading a Prometheus text page in tests: fetch it over HTTP and parse the sample lines into
// (name, labels, value), keeping the label order as written so tests can check it.
import http from 'node:http';

export interface ScrapedSample {
  name: string;
  labels: [string, string][];
  value: number;
}

export interface HttpAnswer {
  status: number;
  contentType: string;
  body: string;
}

export function httpGet(url: string, method = 'GET'): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, timeout: 5000, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          contentType: String(response.headers['content-type']),
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    request.on('timeout', () => request.destroy(new Error(`GET ${url} timed out`)));
    request.on('error', reject);
    request.end();
  });
}

const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Every sample line of a text exposition page (comments skipped). */
export function parseExposition(text: string): ScrapedSample[] {
  const samples: ScrapedSample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const brace = line.indexOf('{');
    const space = line.lastIndexOf(' ');
    const name = brace >= 0 && brace < space ? line.slice(0, brace) : line.slice(0, line.indexOf(' '));
    const labelText = brace >= 0 && brace < space ? line.slice(brace + 1, line.lastIndexOf('}')) : '';
    const labels: [string, string][] = [...labelText.matchAll(LABEL)].map((m) => [m[1], m[2]]);
    samples.push({ name, labels, value: Number(line.slice(space + 1)) });
  }
  return samples;
}

export class Scrape {
  constructor(readonly samples: ScrapedSample[]) {}

  /** Samples of `name` whose labels include every pair of `where`. */
  all(name: string, where: Record<string, string> = {}): ScrapedSample[] {
    return this.samples.filter(
      (s) =>
        s.name === name && Object.entries(where).every(([k, v]) => s.labels.some(([lk, lv]) => lk === k && lv === v)),
    );
  }

  /** The one sample of `name` matching `where`; throws when there is none or several. */
  one(name: string, where: Record<string, string> = {}): ScrapedSample {
    const found = this.all(name, where);
    if (found.length !== 1) throw new Error(`${found.length} samples of ${name} ${JSON.stringify(where)}`);
    return found[0];
  }

  value(name: string, where: Record<string, string> = {}): number {
    return this.one(name, where).value;
  }

  names(): Set<string> {
    return new Set(this.samples.map((s) => s.name));
  }
}

/** rocketmq-exporter's 89 metric names (RMQMetricsCollector.java at e1ab2dd, 2024-10-22). */
export const EXPORTER_NAMES: readonly string[] = [
  'rocketmq_broker_commitlog_diff',
  'rocketmq_broker_qps',
  'rocketmq_broker_tps',
  'rocketmq_brokeruntime_commitlog_disk_ratio',
  'rocketmq_brokeruntime_commitlog_maxoffset',
  'rocketmq_brokeruntime_commitlog_minoffset',
  'rocketmq_brokeruntime_commitlogdir_capacity_free',
  'rocketmq_brokeruntime_commitlogdir_capacity_total',
  'rocketmq_brokeruntime_consumequeue_disk_ratio',
  'rocketmq_brokeruntime_dispatch_behind_bytes',
  'rocketmq_brokeruntime_dispatch_maxbuffer',
  'rocketmq_brokeruntime_earliest_message_timestamp',
  'rocketmq_brokeruntime_getfound_tps10',
  'rocketmq_brokeruntime_getfound_tps60',
  'rocketmq_brokeruntime_getfound_tps600',
  'rocketmq_brokeruntime_getmessage_entire_time_max',
  'rocketmq_brokeruntime_getmiss_tps10',
  'rocketmq_brokeruntime_getmiss_tps60',
  'rocketmq_brokeruntime_getmiss_tps600',
  'rocketmq_brokeruntime_gettotal_tps10',
  'rocketmq_brokeruntime_gettotal_tps60',
  'rocketmq_brokeruntime_gettotal_tps600',
  'rocketmq_brokeruntime_gettransfered_tps10',
  'rocketmq_brokeruntime_gettransfered_tps60',
  'rocketmq_brokeruntime_gettransfered_tps600',
  'rocketmq_brokeruntime_msg_gettotal_today_now',
  'rocketmq_brokeruntime_msg_gettotal_todaymorning',
  'rocketmq_brokeruntime_msg_gettotal_yesterdaymorning',
  'rocketmq_brokeruntime_msg_put_total_today_now',
  'rocketmq_brokeruntime_msg_puttotal_todaymorning',
  'rocketmq_brokeruntime_msg_puttotal_yesterdaymorning',
  'rocketmq_brokeruntime_pagecache_lock_time_mills',
  'rocketmq_brokeruntime_pmdt_0ms',
  'rocketmq_brokeruntime_pmdt_0to10ms',
  'rocketmq_brokeruntime_pmdt_100to200ms',
  'rocketmq_brokeruntime_pmdt_10stomore',
  'rocketmq_brokeruntime_pmdt_10to50ms',
  'rocketmq_brokeruntime_pmdt_1to2s',
  'rocketmq_brokeruntime_pmdt_200to500ms',
  'rocketmq_brokeruntime_pmdt_2to3s',
  'rocketmq_brokeruntime_pmdt_3to4s',
  'rocketmq_brokeruntime_pmdt_4to5s',
  'rocketmq_brokeruntime_pmdt_500to1s',
  'rocketmq_brokeruntime_pmdt_50to100ms',
  'rocketmq_brokeruntime_pmdt_5to10s',
  'rocketmq_brokeruntime_pull_threadpoolqueue_capacity',
  'rocketmq_brokeruntime_pull_threadpoolqueue_headwait_timemills',
  'rocketmq_brokeruntime_pull_threadpoolqueue_size',
  'rocketmq_brokeruntime_put_latency_99',
  'rocketmq_brokeruntime_put_latency_999',
  'rocketmq_brokeruntime_put_message_average_size',
  'rocketmq_brokeruntime_put_message_size_total',
  'rocketmq_brokeruntime_put_tps10',
  'rocketmq_brokeruntime_put_tps60',
  'rocketmq_brokeruntime_put_tps600',
  'rocketmq_brokeruntime_putmessage_entire_time_max',
  'rocketmq_brokeruntime_putmessage_times_total',
  'rocketmq_brokeruntime_query_threadpool_queue_capacity',
  'rocketmq_brokeruntime_query_threadpoolqueue_headwait_timemills',
  'rocketmq_brokeruntime_query_threadpoolqueue_size',
  'rocketmq_brokeruntime_remain_howmanydata_toflush',
  'rocketmq_brokeruntime_remain_transientstore_buffer_numbs',
  'rocketmq_brokeruntime_send_threadpool_queue_size',
  'rocketmq_brokeruntime_send_threadpoolqueue_capacity',
  'rocketmq_brokeruntime_send_threadpoolqueue_headwait_timemills',
  'rocketmq_brokeruntime_start_accept_sendrequest_time',
  'rocketmq_client_consume_fail_msg_count',
  'rocketmq_client_consume_fail_msg_tps',
  'rocketmq_client_consume_ok_msg_tps',
  'rocketmq_client_consume_rt',
  'rocketmq_client_consumer_pull_rt',
  'rocketmq_client_consumer_pull_tps',
  'rocketmq_consumer_message_size',
  'rocketmq_consumer_offset',
  'rocketmq_consumer_tps',
  'rocketmq_group_consume_total_offset',
  'rocketmq_group_consume_tps',
  'rocketmq_group_count',
  'rocketmq_group_diff',
  'rocketmq_group_dlqdiff',
  'rocketmq_group_get_latency_by_storetime',
  'rocketmq_group_retrydiff',
  'rocketmq_producer_count',
  'rocketmq_producer_message_size',
  'rocketmq_producer_offset',
  'rocketmq_producer_tps',
  'rocketmq_send_back_nums',
  'rocketmq_topic_dlq_offset',
  'rocketmq_topic_retry_offset',
];
