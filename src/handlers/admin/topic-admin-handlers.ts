// Topic admin codes of AdminBrokerProcessor:
//
//   GET_TOPIC_STATS_INFO (202)      TopicStatsTable {"offsetTable":{{MQ}:{"lastUpdateTimestamp","maxOffset","minOffset"}}}
//                                   for queues 0..writeQueueNums-1; unknown topic → TOPIC_NOT_EXIST
//   QUERY_TOPIC_CONSUME_BY_WHO (300) GroupList {"groupList":[…]}: groups online on the topic plus
//                                   groups with offsets on it
//   QUERY_CONSUME_TIME_SPAN (303)   QueryConsumeTimeSpanBody {"consumeTimeSpanSet":[QueueTimeSpan]}
//   GET_SYSTEM_TOPIC_LIST_FROM_BROKER (305) TopicList {"topicList":[…]}
//   DELETE_TOPIC_IN_BROKER (215)    topic config and consume queues go; offsets and stats stay
//   CLEAN_UNUSED_TOPIC (316)        consume queues of topics without a config go
import {
  decodeQueryConsumeTimeSpanRequestHeader,
  decodeRequiredField,
} from '../../codec/headers/admin-request-headers';
import { javaHashMapOrder } from '../../codec/java-hash';
import { RequestCode } from '../../codec/request-code';
import { ResponseCode } from '../../codec/response-code';
import type { RemotingCommand } from '../../codec/remoting-command';
import type { BrokerContext } from '../../broker/broker-context';
import { TopicValidator, topicNameProblem } from '../../broker/topic-validator';
import { type AdminRegistry, failure, messageQueueBean, success } from './admin-support';
import { formatQueueTimeSpanDate } from './admin-time-format';

/** TopicValidator's fixed system topics (the broker adds the ones it creates). */
const FIXED_SYSTEM_TOPICS = [
  TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC,
  TopicValidator.SCHEDULE_TOPIC,
  TopicValidator.BENCHMARK_TOPIC,
  TopicValidator.RMQ_SYS_TRANS_HALF_TOPIC,
  TopicValidator.RMQ_SYS_TRACE_TOPIC,
  TopicValidator.RMQ_SYS_TRANS_OP_HALF_TOPIC,
  TopicValidator.TRANS_CHECK_MAX_TIME_TOPIC,
  TopicValidator.SELF_TEST_TOPIC,
  TopicValidator.OFFSET_MOVED_EVENT,
];

export function registerTopicAdminHandlers(registry: AdminRegistry, broker: BrokerContext): void {
  registry.register(RequestCode.GET_TOPIC_STATS_INFO, (request) => getTopicStatsInfo(broker, request));
  registry.register(RequestCode.QUERY_TOPIC_CONSUME_BY_WHO, (request) => queryTopicConsumeByWho(broker, request));
  registry.register(RequestCode.QUERY_CONSUME_TIME_SPAN, (request) => queryConsumeTimeSpan(broker, request));
  registry.register(RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_BROKER, (request) => {
    const topics = new Set<string>([...FIXED_SYSTEM_TOPICS, ...broker.topicConfigManager.systemTopics]);
    return success(request, { topicList: javaHashMapOrder([...topics]) });
  });
  registry.register(RequestCode.DELETE_TOPIC_IN_BROKER, (request) => deleteTopic(broker, request));
  registry.register(RequestCode.CLEAN_UNUSED_TOPIC, (request) => {
    cleanUnusedTopic(broker);
    return success(request);
  });
}

function unknownTopic(request: RemotingCommand, topic: string): RemotingCommand {
  return failure(request, ResponseCode.TOPIC_NOT_EXIST, `topic[${topic}] not exist`);
}

function getTopicStatsInfo(broker: BrokerContext, request: RemotingCommand): RemotingCommand {
  const topic = decodeRequiredField(request.extFields, 'GetTopicStatsInfoRequestHeader', 'topic');
  const topicConfig = broker.topicConfigManager.selectTopicConfig(topic);
  if (topicConfig === undefined) return unknownTopic(request, topic);
  const store = broker.messageStore;
  const offsetTable = new Map<object, object>();
  for (let queueId = 0; queueId < topicConfig.writeQueueNums; queueId++) {
    const minOffset = Math.max(0, store.getMinOffsetInQueue(topic, queueId));
    const maxOffset = Math.max(0, store.getMaxOffsetInQueue(topic, queueId));
    const lastUpdateTimestamp = maxOffset > 0 ? store.getMessageStoreTimeStamp(topic, queueId, maxOffset - 1) : 0;
    offsetTable.set(messageQueueBean(topic, broker.brokerConfig.brokerName, queueId), {
      lastUpdateTimestamp,
      maxOffset,
      minOffset,
    });
  }
  return success(request, { offsetTable });
}

function queryTopicConsumeByWho(broker: BrokerContext, request: RemotingCommand): RemotingCommand {
  const topic = decodeRequiredField(request.extFields, 'QueryTopicConsumeByWhoRequestHeader', 'topic');
  const groups = broker.consumerManager.queryTopicConsumeByWho(topic);
  for (const group of broker.consumerOffsetManager.whichGroupByTopic(topic)) groups.add(group);
  return success(request, { groupList: javaHashMapOrder([...groups]) });
}

function queryConsumeTimeSpan(broker: BrokerContext, request: RemotingCommand): RemotingCommand {
  const { topic, group } = decodeQueryConsumeTimeSpanRequestHeader(request.extFields);
  const topicConfig = broker.topicConfigManager.selectTopicConfig(topic);
  if (topicConfig === undefined) return unknownTopic(request, topic);
  const store = broker.messageStore;
  const consumeTimeSpanSet = [];
  for (let queueId = 0; queueId < topicConfig.writeQueueNums; queueId++) {
    const minTimeStamp = store.getEarliestMessageTime(topic, queueId);
    const maxOffset = store.getMaxOffsetInQueue(topic, queueId);
    const maxTimeStamp = store.getMessageStoreTimeStamp(topic, queueId, maxOffset - 1);
    const consumerOffset = broker.consumerOffsetManager.queryOffset(group, topic, queueId);
    const consumeTimeStamp =
      consumerOffset > 0 ? store.getMessageStoreTimeStamp(topic, queueId, consumerOffset - 1) : minTimeStamp;
    const delayTime =
      consumerOffset < maxOffset ? Date.now() - store.getMessageStoreTimeStamp(topic, queueId, consumerOffset) : 0;
    consumeTimeSpanSet.push({
      consumeTimeStamp,
      consumeTimeStampStr: formatQueueTimeSpanDate(consumeTimeStamp),
      delayTime,
      maxTimeStamp,
      maxTimeStampStr: formatQueueTimeSpanDate(maxTimeStamp),
      messageQueue: messageQueueBean(topic, broker.brokerConfig.brokerName, queueId),
      minTimeStamp,
      minTimeStampStr: formatQueueTimeSpanDate(minTimeStamp),
    });
  }
  return success(request, { consumeTimeSpanSet });
}

function deleteTopic(broker: BrokerContext, request: RemotingCommand): RemotingCommand {
  const topic = decodeRequiredField(request.extFields, 'DeleteTopicRequestHeader', 'topic');
  const problem = topicNameProblem(topic);
  if (problem !== undefined) return failure(request, ResponseCode.SYSTEM_ERROR, problem);
  if (broker.topicConfigManager.isSystemTopic(topic)) {
    return failure(request, ResponseCode.SYSTEM_ERROR, `The topic[${topic}] is conflict with system topic.`);
  }
  broker.topicConfigManager.deleteTopicConfig(topic);
  cleanUnusedTopic(broker);
  broker.registerBrokerAll();
  return success(request);
}

/** DefaultMessageStore.cleanUnusedTopic: consume queues of topics no longer configured (never the schedule topic). */
function cleanUnusedTopic(broker: BrokerContext): void {
  const configured = broker.topicConfigManager.topicConfigTable;
  const unused = broker.messageStore
    .topics()
    .filter((topic) => !configured.has(topic) && topic !== TopicValidator.SCHEDULE_TOPIC);
  broker.messageStore.deleteTopics(unused);
}
