// The checks of a send before it is stored (Java AbstractSendMessageProcessor.msgCheck), shared by
// SEND_MESSAGE(_V2), batches, replies and the sends the send workers encoded:
//
//   broker not writeable and the topic ordered   -> NO_PERMISSION
//   topic name not allowed                       -> SYSTEM_ERROR (the rule in the remark)
//   SCHEDULE_TOPIC or the timer topic            -> NO_PERMISSION
//   properties longer than maxPropertiesLength   -> MESSAGE_ILLEGAL
//   unknown topic: created through the default topic (autoCreateTopicEnable), a %RETRY% topic
//   created anyway, else                         -> TOPIC_NOT_EXIST; a creation registers the broker
//   queueId >= max(read, write) queue numbers    -> SYSTEM_ERROR
import type { BrokerContext } from '../broker/broker-context';
import { isWriteable, PermName } from '../broker/perm-name';
import { TIMER_TOPIC } from '../broker/timer/timer-wheel-layout';
import type { TopicConfig } from '../broker/topic-config';
import { isRetryTopic, TopicValidator, topicNameProblem } from '../broker/topic-validator';
import type { SendMessageRequestHeader } from '../codec/headers/send-message-request-header';
import { ResponseCode } from '../codec/response-code';
import type { Connection } from '../remoting/connection';

export type Outcome = { code: number; remark?: string };

/** AbstractSendMessageProcessor.msgCheck: the topic's config, or the answer that refuses the send. */
export function msgCheck(
  broker: BrokerContext,
  header: SendMessageRequestHeader,
  connection: Connection,
  propertiesLength: number,
): Outcome | { topicConfig: TopicConfig } {
  if (!isWriteable(broker.brokerConfig.brokerPermission) && broker.topicConfigManager.isOrderTopic(header.topic)) {
    return {
      code: ResponseCode.NO_PERMISSION,
      remark: `the broker[${broker.brokerConfig.brokerIP1}] sending message is forbidden`,
    };
  }
  const problem = topicNameProblem(header.topic);
  if (problem !== undefined) return { code: ResponseCode.SYSTEM_ERROR, remark: problem };
  if (header.topic === TopicValidator.SCHEDULE_TOPIC || header.topic === TIMER_TOPIC) {
    return { code: ResponseCode.NO_PERMISSION, remark: `Sending message to topic[${header.topic}] is forbidden.` };
  }
  if (propertiesLength > broker.brokerConfig.maxPropertiesLength) {
    return {
      code: ResponseCode.MESSAGE_ILLEGAL,
      remark: `message properties length ${propertiesLength} exceeds maxPropertiesLength=${broker.brokerConfig.maxPropertiesLength}`,
    };
  }
  let topicConfig = broker.topicConfigManager.selectTopicConfig(header.topic);
  if (topicConfig === undefined) {
    const limit = isRetryTopic(header.topic) ? undefined : broker.topicConfigManager.creationLimitProblem(header.topic);
    if (limit !== undefined) return { code: ResponseCode.TOPIC_NOT_EXIST, remark: limit };
    topicConfig = broker.topicConfigManager.createTopicInSendMessageMethod(
      header.topic,
      header.defaultTopic,
      header.defaultTopicQueueNums,
      header.unitMode ? 1 : 0,
    );
    if (topicConfig === undefined && isRetryTopic(header.topic)) {
      topicConfig = broker.topicConfigManager.createTopicIfAbsent(
        header.topic,
        1,
        PermName.PERM_READ | PermName.PERM_WRITE,
      );
    }
    if (topicConfig === undefined) {
      return {
        code: ResponseCode.TOPIC_NOT_EXIST,
        remark: `topic[${header.topic}] not exist, apply first please! http://rocketmq.apache.org/docs/faq/`,
      };
    }
    broker.registerBrokerAll();
  }
  const queueIdsAvailable = Math.max(topicConfig.readQueueNums, topicConfig.writeQueueNums);
  if (header.queueId >= queueIdsAvailable) {
    return {
      code: ResponseCode.SYSTEM_ERROR,
      remark: `request queueId[${header.queueId}] is illegal, ${JSON.stringify(topicConfig)} Producer: ${connection.remoteAddress}`,
    };
  }
  return { topicConfig };
}
