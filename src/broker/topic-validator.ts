// TopicValidator and MixAll topic names (4.7.1).
export const TopicValidator = {
  AUTO_CREATE_TOPIC_KEY_TOPIC: 'TBW102',
  BENCHMARK_TOPIC: 'BenchmarkTest',
  SELF_TEST_TOPIC: 'SELF_TEST_TOPIC',
  OFFSET_MOVED_EVENT: 'OFFSET_MOVED_EVENT',
  SCHEDULE_TOPIC: 'SCHEDULE_TOPIC_XXXX',
  RMQ_SYS_TRANS_HALF_TOPIC: 'RMQ_SYS_TRANS_HALF_TOPIC',
  RMQ_SYS_TRANS_OP_HALF_TOPIC: 'RMQ_SYS_TRANS_OP_HALF_TOPIC',
  RMQ_SYS_TRACE_TOPIC: 'RMQ_SYS_TRACE_TOPIC',
  TRANS_CHECK_MAX_TIME_TOPIC: 'TRANS_CHECK_MAX_TIME_TOPIC',
  SYSTEM_TOPIC_PREFIX: 'rmq_sys_',
} as const;

export const RETRY_GROUP_TOPIC_PREFIX = '%RETRY%';
export const DLQ_GROUP_TOPIC_PREFIX = '%DLQ%';
export const REPLY_TOPIC_POSTFIX = 'REPLY_TOPIC';
export const TOPIC_MAX_LENGTH = 127;
const VALID_TOPIC = /^[%|a-zA-Z0-9_-]+$/;

export function retryTopic(group: string): string {
  return RETRY_GROUP_TOPIC_PREFIX + group;
}

export function dlqTopic(group: string): string {
  return DLQ_GROUP_TOPIC_PREFIX + group;
}

export function isRetryTopic(topic: string): boolean {
  return topic.startsWith(RETRY_GROUP_TOPIC_PREFIX);
}

/** The reason a topic name is refused, or undefined when it is valid (TopicValidator.validateTopic). */
export function topicNameProblem(topic: string): string | undefined {
  if (topic.trim() === '') return 'The specified topic is blank.';
  if (!VALID_TOPIC.test(topic))
    return 'The specified topic contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$';
  if (topic.length > TOPIC_MAX_LENGTH)
    return `The specified topic is longer than topic max length ${TOPIC_MAX_LENGTH}.`;
  return undefined;
}
