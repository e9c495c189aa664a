// CONSUMER_SEND_MSG_BACK (36): a consumer hands back a message it failed to consume. The broker
// looks the message up by its commit-log offset and stores a copy in %RETRY%<group> with delay
// level 3 + reconsumeTimes (or the level asked for), or in %DLQ%<group> once reconsumeTimes reaches
// the group's (or the client's) maxReconsumeTimes, or when the level asked for is negative.
//
//   ConsumerSendMsgBackRequestHeader: offset Long NN, group String NN, delayLevel Integer NN,
//   originMsgId String, originTopic String, unitMode boolean, maxReconsumeTimes Integer
import { HeaderReader } from '../codec/headers/header-reader';
import { createMessageId } from '../codec/message/message-id';
import { decodeMessageRecord } from '../codec/message/message-record';
import { decodeMessageProperties, encodeMessageProperties, MessageConst } from '../codec/message/message-properties';
import { createResponseCommand, type RemotingCommand } from '../codec/remoting-command';
import { ResponseCode } from '../codec/response-code';
import type { BrokerContext } from '../broker/broker-context';
import { groupNameProblem } from '../broker/name-validator';
import { isWriteable, PermName } from '../broker/perm-name';
import { applyDelayLevel } from '../broker/schedule/delay-level';
import { messageFromRecord } from '../broker/message-from-record';
import { dlqTopic, retryTopic } from '../broker/topic-validator';
import { PutMessageStatus } from '../store/put-message-status';

/** MQVersion.Version.V3_4_9.ordinal(): from this request version on the header's maxReconsumeTimes counts. */
export const V3_4_9 = 121;

function decodeHeader(request: RemotingCommand) {
  const reader = new HeaderReader(request.extFields, 'ConsumerSendMsgBackRequestHeader');
  return {
    offset: reader.long('offset'),
    group: reader.string('group'),
    delayLevel: reader.int('delayLevel'),
    originMsgId: reader.optionalString('originMsgId'),
    originTopic: reader.optionalString('originTopic'),
    maxReconsumeTimes: reader.optionalInt('maxReconsumeTimes'),
  };
}

export async function consumerSendMsgBack(broker: BrokerContext, request: RemotingCommand): Promise<RemotingCommand> {
  const header = decodeHeader(request);
  const fail = (code: number, remark: string) => createResponseCommand(request, code, { remark });
  const groupProblem = groupNameProblem('group', header.group);
  if (groupProblem !== undefined) return fail(ResponseCode.SYSTEM_ERROR, groupProblem);
  const groupConfig = broker.subscriptionGroupManager.findSubscriptionGroupConfig(header.group);
  if (groupConfig === undefined)
    return fail(
      ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST,
      `subscription group not exist, ${header.group} http://rocketmq.apache.org/docs/faq/`,
    );
  if (!isWriteable(broker.brokerConfig.brokerPermission))
    return fail(
      ResponseCode.NO_PERMISSION,
      `the broker[${broker.brokerConfig.brokerIP1}] sending message is forbidden`,
    );
  if (groupConfig.retryQueueNums <= 0) return createResponseCommand(request, ResponseCode.SUCCESS);
  const stored = broker.messageStore.lookMessageByOffset(header.offset);
  if (stored === null) return fail(ResponseCode.SYSTEM_ERROR, `look message by offset failed, ${header.offset}`);
  const { record } = decodeMessageRecord(stored, 0);
  const properties = decodeMessageProperties(record.propertiesString);
  if (!properties.has(MessageConst.PROPERTY_RETRY_TOPIC))
    properties.set(MessageConst.PROPERTY_RETRY_TOPIC, record.topic);
  properties.set(MessageConst.PROPERTY_WAIT_STORE_MSG_OK, 'false');
  let maxReconsumeTimes = groupConfig.retryMaxTimes;
  if (request.version >= V3_4_9 && header.maxReconsumeTimes !== undefined) maxReconsumeTimes = header.maxReconsumeTimes;
  const knownTopics = broker.topicConfigManager.topicConfigTable.size;
  let topic = retryTopic(header.group);
  let queueId = Math.floor(Math.random() * groupConfig.retryQueueNums);
  if (record.reconsumeTimes >= maxReconsumeTimes || header.delayLevel < 0) {
    topic = dlqTopic(header.group);
    queueId = 0;
    broker.topicConfigManager.createTopicIfAbsent(topic, 1, PermName.PERM_WRITE);
  } else {
    const topicConfig = broker.topicConfigManager.createTopicIfAbsent(
      topic,
      groupConfig.retryQueueNums,
      PermName.PERM_READ | PermName.PERM_WRITE,
    );
    if (!isWriteable(topicConfig.perm))
      return fail(ResponseCode.NO_PERMISSION, `the topic[${topic}] sending message is forbidden`);
    properties.set(
      MessageConst.PROPERTY_DELAY_TIME_LEVEL,
      String(header.delayLevel === 0 ? 3 + record.reconsumeTimes : header.delayLevel),
    );
  }
  // Java: the looked-up message's msgId, i.e. its offsetMsgId; the header's originMsgId (the
  // client's UNIQ_KEY) only feeds the consume-message hook.
  if ((properties.get(MessageConst.PROPERTY_ORIGIN_MESSAGE_ID) ?? '').trim() === '') {
    properties.set(MessageConst.PROPERTY_ORIGIN_MESSAGE_ID, createMessageId(record.storeHost, record.physicalOffset));
  }
  const propertiesString = encodeMessageProperties(properties);
  const message = applyDelayLevel(
    messageFromRecord(record, {
      topic,
      queueId,
      propertiesString,
      storeHost: broker.storeHost,
      reconsumeTimes: record.reconsumeTimes + 1,
    }),
    broker.scheduleMessageService.maxDelayLevel,
  );
  // A %DLQ% or %RETRY% topic created just now is published at once, as Java does.
  if (broker.topicConfigManager.topicConfigTable.size !== knownTopics) broker.registerBrokerAll();
  const result = await broker.messageStore.putMessage({ ...message, brokerInternal: true });
  if (result.status === PutMessageStatus.PUT_OK) return createResponseCommand(request, ResponseCode.SUCCESS);
  return fail(ResponseCode.SYSTEM_ERROR, result.status);
}
