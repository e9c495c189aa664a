// INVOKE_BROKER_TO_RESET_OFFSET (222) and INVOKE_BROKER_TO_GET_CONSUMER_STATUS (223): back-tracking
// a group by time (mqadmin resetOffsetByTime) and asking its clients where they are
// (Java Broker2Client.resetOffset / getConsumeStatus).
//
// Reset: for each write queue of the topic, the offset for the timestamp (-1 = the max offset)
// replaces the group's committed offset when it is smaller or when isForce is set. The table goes
// oneway to every live client of the group (RESET_CONSUMER_CLIENT_OFFSET); the clients move their
// offsets and commit them. As in Java the broker does not commit them itself, a queue the group
// has no offset for fails the request, and a group without live clients gets CONSUMER_NOT_ONLINE.
//
//   ResetOffsetBody      {"offsetTable":{{"brokerName":"b","queueId":0,"topic":"T"}:10,…}}
//   ResetOffsetBodyForC  {"offsetTable":[{"brokerName":"b","offset":10,"queueId":0,"topic":"T"}]}
//                        (the request came from a CPP client)
//   GetConsumerStatusBody {"consumerTable":{"clientId":{{MessageQueue}:offset}},"messageQueueTable":{}}
import { parseFastjson } from '../../codec/fastjson-parse';
import { encodeFastjsonBody } from '../../codec/fastjson-write';
import {
  decodeGetConsumerStatusRequestHeader,
  encodeGetConsumerStatusRequestHeader,
} from '../../codec/headers/get-consumer-status-request-header';
import {
  decodeResetOffsetRequestHeader,
  encodeResetOffsetRequestHeader,
  type ResetOffsetRequestHeader,
} from '../../codec/headers/reset-offset-request-header';
import { createResponseCommand, type RemotingCommand } from '../../codec/remoting-command';
import { RequestCode } from '../../codec/request-code';
import { ResponseCode } from '../../codec/response-code';
import type { BrokerContext } from '../../broker/broker-context';
import { callClient, sendOnewayToClient } from '../../broker/broker2client';
import type { ClientChannelInfo } from '../../broker/consumer-manager';
import { type MessageQueue, messageQueue, messageQueueFromJson } from '../../broker/rebalance/message-queue';
import type { ConsumerAdminRegistry } from './consumer-admin-registry';

/** MQVersion.Version.V3_0_7_SNAPSHOT: clients before it cannot reset offsets or report status. */
const V3_0_7_SNAPSHOT = 28;
const GET_CONSUMER_STATUS_TIMEOUT_MS = 5000;

export function registerConsumerOffsetReset(registry: ConsumerAdminRegistry, broker: BrokerContext): void {
  registry.register(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, (request) => resetOffset(broker, request));
  registry.register(RequestCode.INVOKE_BROKER_TO_GET_CONSUMER_STATUS, (request) => getConsumerStatus(broker, request));
}

type OffsetTable = Map<MessageQueue, number>;

/** The reset table, or the remark of the failure (Java answers SYSTEM_ERROR with it). */
function computeResetOffsets(broker: BrokerContext, header: ResetOffsetRequestHeader): OffsetTable | string {
  const topicConfig = broker.topicConfigManager.selectTopicConfig(header.topic);
  if (topicConfig === undefined)
    return `[reset-offset] reset offset failed, no topic in this broker. topic=${header.topic}`;
  const table: OffsetTable = new Map();
  const store = broker.messageStore;
  for (let queueId = 0; queueId < topicConfig.writeQueueNums; queueId++) {
    const consumerOffset = broker.consumerOffsetManager.queryOffset(header.group, header.topic, queueId);
    if (consumerOffset === -1) return `THe consumer group <${header.group}> not exist`;
    let timestampOffset =
      header.timestamp === -1
        ? store.getMaxOffsetInQueue(header.topic, queueId)
        : store.getOffsetInQueueByTime(header.topic, queueId, header.timestamp);
    if (timestampOffset < 0) timestampOffset = 0;
    const offset = header.isForce || timestampOffset < consumerOffset ? timestampOffset : consumerOffset;
    table.set(messageQueue(header.topic, broker.brokerConfig.brokerName, queueId), offset);
  }
  return table;
}

function encodeResetOffsetBody(table: OffsetTable, forCpp: boolean): Buffer {
  if (!forCpp) return encodeFastjsonBody({ offsetTable: table });
  return encodeFastjsonBody({ offsetTable: [...table].map(([mq, offset]) => ({ ...mq, offset })) });
}

function resetOffset(broker: BrokerContext, request: RemotingCommand): RemotingCommand {
  const header = decodeResetOffsetRequestHeader(request.extFields);
  const table = computeResetOffsets(broker, header);
  if (typeof table === 'string') return createResponseCommand(request, ResponseCode.SYSTEM_ERROR, { remark: table });
  const members = [...(broker.consumerManager.getConsumerGroupInfo(header.group)?.channels.values() ?? [])];
  if (members.length === 0) {
    const remark =
      `Consumer not online, so can not reset offset, Group: ${header.group} ` +
      `Topic: ${header.topic} Timestamp: ${header.timestamp}`;
    return createResponseCommand(request, ResponseCode.CONSUMER_NOT_ONLINE, { remark });
  }
  const tooOld = members.find((member) => member.version < V3_0_7_SNAPSHOT);
  if (tooOld !== undefined) {
    return createResponseCommand(request, ResponseCode.SYSTEM_ERROR, {
      remark: `the client does not support this feature. version=${tooOld.version}`,
    });
  }
  const extFields = encodeResetOffsetRequestHeader({
    topic: header.topic,
    group: header.group,
    timestamp: header.timestamp,
    isForce: false,
  });
  const body = encodeResetOffsetBody(table, request.language === 'CPP');
  for (const member of members)
    sendOnewayToClient(member.connection, RequestCode.RESET_CONSUMER_CLIENT_OFFSET, extFields, body);
  return createResponseCommand(request, ResponseCode.SUCCESS, { body: encodeFastjsonBody({ offsetTable: table }) });
}

/** A client's GetConsumerStatusBody.messageQueueTable, or undefined when it answered otherwise. */
async function askClientStatus(
  member: ClientChannelInfo,
  topic: string,
  group: string,
): Promise<OffsetTable | undefined> {
  try {
    const extFields = encodeGetConsumerStatusRequestHeader({ topic, group, clientAddr: undefined });
    const response = await callClient(
      member.connection,
      RequestCode.GET_CONSUMER_STATUS_FROM_CLIENT,
      extFields,
      GET_CONSUMER_STATUS_TIMEOUT_MS,
    );
    if (response.code !== ResponseCode.SUCCESS || response.body === undefined) return undefined;
    const parsed = parseFastjson(response.body);
    const table: OffsetTable = new Map();
    const queues =
      parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) && !(parsed instanceof Map)
        ? parsed.messageQueueTable
        : undefined;
    if (queues instanceof Map) for (const [mq, offset] of queues) table.set(messageQueueFromJson(mq), Number(offset));
    return table;
  } catch {
    return undefined;
  }
}

async function getConsumerStatus(broker: BrokerContext, request: RemotingCommand): Promise<RemotingCommand> {
  const header = decodeGetConsumerStatusRequestHeader(request.extFields);
  const members = [...(broker.consumerManager.getConsumerGroupInfo(header.group)?.channels.values() ?? [])];
  if (members.length === 0) {
    return createResponseCommand(request, ResponseCode.SYSTEM_ERROR, {
      remark: `No Any Consumer online in the consumer group: [${header.group}]`,
    });
  }
  const tooOld = members.find((member) => member.version < V3_0_7_SNAPSHOT);
  if (tooOld !== undefined) {
    return createResponseCommand(request, ResponseCode.SYSTEM_ERROR, {
      remark: `the client does not support this feature. version=${tooOld.version}`,
    });
  }
  const wanted =
    header.clientAddr === undefined || header.clientAddr.trim() === ''
      ? members
      : members.filter((member) => member.clientId === header.clientAddr);
  const answers = await Promise.all(wanted.map((member) => askClientStatus(member, header.topic, header.group)));
  const consumerTable = new Map<string, OffsetTable>();
  wanted.forEach((member, index) => {
    const table = answers[index];
    if (table !== undefined) consumerTable.set(member.clientId, table);
  });
  return createResponseCommand(request, ResponseCode.SUCCESS, {
    body: encodeFastjsonBody({ consumerTable, messageQueueTable: new Map() }),
  });
}
