// rocketmq-exporter's rocketmq_client_* families (ClientMetricTaskRunnable): for every consumer
// connected to this broker, GET_CONSUMER_RUNNING_INFO (307, jstackEnable=false) sent to the client
// over its own connection, and the statusTable of its ConsumerRunningInfo answer, per topic:
//
//   rocketmq_client_consume_fail_msg_count  consumeFailedMsgs      rocketmq_client_consume_rt        consumeRT
//   rocketmq_client_consume_fail_msg_tps    consumeFailedTPS       rocketmq_client_consumer_pull_rt  pullRT
//   rocketmq_client_consume_ok_msg_tps      consumeOKTPS           rocketmq_client_consumer_pull_tps pullTPS
//
// Labels {clientAddr,clientId,group,topic}: the client's socket address as the broker sees it and
// its clientId. The calls go out in parallel at scrape time, at most MAX_CLIENTS of them, each
// given CLIENT_TIMEOUT_MS; a client that does not answer, answers an error or something that does
// not parse has no samples (the exporter logs and skips it too).
import { parseFastjson, type FastjsonValue } from '../../codec/fastjson-parse';
import { RequestCode } from '../../codec/request-code';
import { ResponseCode } from '../../codec/response-code';
import type { BrokerContext } from '../broker-context';
import { callClient } from '../broker2client';
import { addSample, type FamilyBuilder } from '../../common/metric-family';

const GROUP_CLIENT_METRIC_LABEL_NAMES = ['clientAddr', 'clientId', 'group', 'topic'] as const;
export const CLIENT_TIMEOUT_MS = 3000;
export const MAX_CLIENTS = 256;
/** MQVersion.Version.V3_1_8_SNAPSHOT: older clients do not answer 307. */
const V3_1_8_SNAPSHOT = 62;

/** Family name → ConsumeStatus field. */
const STATUS_FIELDS: [string, string, string][] = [
  ['rocketmq_client_consume_fail_msg_count', 'consumerClientFailedMsgCounts', 'consumeFailedMsgs'],
  ['rocketmq_client_consume_fail_msg_tps', 'consumerClientFailedTPS', 'consumeFailedTPS'],
  ['rocketmq_client_consume_ok_msg_tps', 'consumerClientOKTPS', 'consumeOKTPS'],
  ['rocketmq_client_consume_rt', 'consumerClientRT', 'consumeRT'],
  ['rocketmq_client_consumer_pull_rt', 'consumerClientPullRT', 'pullRT'],
  ['rocketmq_client_consumer_pull_tps', 'consumerClientPullTPS', 'pullTPS'],
];

interface ClientStatus {
  clientAddr: string;
  clientId: string;
  group: string;
  /** topic → ConsumeStatus fields. */
  statusTable: Map<string, Record<string, number>>;
}

/** ConsumerRunningInfo.statusTable from a client's answer; empty when it has none or does not parse. */
export function parseStatusTable(body: Buffer | undefined): Map<string, Record<string, number>> {
  const table = new Map<string, Record<string, number>>();
  if (body === undefined || body.length === 0) return table;
  let parsed: FastjsonValue;
  try {
    parsed = parseFastjson(body);
  } catch {
    return table;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || parsed instanceof Map) return table;
  const statusTable = parsed.statusTable;
  if (
    statusTable === null ||
    typeof statusTable !== 'object' ||
    Array.isArray(statusTable) ||
    statusTable instanceof Map
  )
    return table;
  for (const [topic, status] of Object.entries(statusTable)) {
    if (status === null || typeof status !== 'object' || Array.isArray(status) || status instanceof Map) continue;
    const fields: Record<string, number> = {};
    for (const [, , field] of STATUS_FIELDS) fields[field] = typeof status[field] === 'number' ? status[field] : 0;
    table.set(topic, fields);
  }
  return table;
}

async function askClients(broker: BrokerContext): Promise<ClientStatus[]> {
  const calls: Promise<ClientStatus | undefined>[] = [];
  for (const group of [...broker.consumerManager.consumerTable.keys()].sort()) {
    for (const member of broker.consumerManager.consumerTable.get(group)!.channels.values()) {
      if (calls.length >= MAX_CLIENTS || member.version < V3_1_8_SNAPSHOT) continue;
      const extFields = { consumerGroup: group, clientId: member.clientId, jstackEnable: 'false' };
      calls.push(
        callClient(member.connection, RequestCode.GET_CONSUMER_RUNNING_INFO, extFields, CLIENT_TIMEOUT_MS).then(
          (answer) =>
            answer.code !== ResponseCode.SUCCESS
              ? undefined
              : {
                  clientAddr: member.connection.remoteAddress,
                  clientId: member.clientId,
                  group,
                  statusTable: parseStatusTable(answer.body),
                },
          () => undefined,
        ),
      );
    }
  }
  return (await Promise.all(calls)).filter((status): status is ClientStatus => status !== undefined);
}

export async function addClientRuntimeFamilies(out: FamilyBuilder, broker: BrokerContext): Promise<void> {
  const families = STATUS_FIELDS.map(([name, help]) => out.family(name, help, GROUP_CLIENT_METRIC_LABEL_NAMES));
  for (const client of await askClients(broker)) {
    for (const [topic, status] of client.statusTable) {
      STATUS_FIELDS.forEach(([, , field], i) =>
        addSample(families[i], [client.clientAddr, client.clientId, client.group, topic], status[field]),
      );
    }
  }
}
