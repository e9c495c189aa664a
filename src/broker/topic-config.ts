// TopicConfig (org.apache.rocketmq.common.TopicConfig) as stored in config/topics.json and sent
// in REGISTER_BROKER bodies:
//   {"order":false,"perm":6,"readQueueNums":8,"topicFilterType":"SINGLE_TAG","topicName":"T",
//    "topicSysFlag":0,"writeQueueNums":8}
import type { TopicConfig } from '../codec/body/register-broker-body';
import type { FastjsonValue } from '../codec/fastjson-parse';

export type { TopicConfig, TopicFilterType } from '../codec/body/register-broker-body';

/** `new TopicConfig(name)` defaults: 16 queues, perm RW. */
export function newTopicConfig(topicName: string, queueNums = 16, perm = 6): TopicConfig {
  return { topicName, readQueueNums: queueNums, writeQueueNums: queueNums, perm, topicFilterType: 'SINGLE_TAG', topicSysFlag: 0, order: false };
}

export function topicConfigFromJson(topicName: string, value: FastjsonValue): TopicConfig {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Map) {
    throw new Error(`topic config of ${topicName} is not an object`);
  }
  const number = (key: string, fallback: number) => (value[key] === undefined || value[key] === null ? fallback : Number(value[key]));
  return {
    topicName: typeof value.topicName === 'string' ? value.topicName : topicName,
    readQueueNums: number('readQueueNums', 16),
    writeQueueNums: number('writeQueueNums', 16),
    perm: number('perm', 6),
    topicFilterType: value.topicFilterType === 'MULTI_TAG' ? 'MULTI_TAG' : 'SINGLE_TAG',
    topicSysFlag: number('topicSysFlag', 0),
    order: value.order === true || value.order === 'true',
  };
}
