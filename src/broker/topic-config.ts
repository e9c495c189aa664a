// TopicConfig (org.apache.rocketmq.common.TopicConfig) as stored in config/topics.json and sent
// in REGISTER_BROKER bodies:
//   {"order":false,"perm":6,"readQueueNums":8,"topicFilterType":"SINGLE_TAG","topicName":"T",
//    "topicSysFlag":0,"writeQueueNums":8}
import type { TopicConfig } from '../codec/body/register-broker-body';
import { asBean, boolField, intField } from '../codec/body/bean-fields';
import type { FastjsonValue } from '../codec/fastjson-parse';

export type { TopicConfig, TopicFilterType } from '../codec/body/register-broker-body';

/** `new TopicConfig(name)` defaults: 16 queues, perm RW. */
export function newTopicConfig(topicName: string, queueNums = 16, perm = 6): TopicConfig {
  return {
    topicName,
    readQueueNums: queueNums,
    writeQueueNums: queueNums,
    perm,
    topicFilterType: 'SINGLE_TAG',
    topicSysFlag: 0,
    order: false,
  };
}

/** A TopicConfig file entry or body; missing fields default, a field of the wrong type throws. */
export function topicConfigFromJson(topicName: string, value: FastjsonValue): TopicConfig {
  const what = `TopicConfig ${topicName}`;
  const bean = asBean(value, what);
  return {
    topicName: typeof bean.topicName === 'string' ? bean.topicName : topicName,
    readQueueNums: intField(bean, 'readQueueNums', 16, what),
    writeQueueNums: intField(bean, 'writeQueueNums', 16, what),
    perm: intField(bean, 'perm', 6, what),
    topicFilterType: bean.topicFilterType === 'MULTI_TAG' ? 'MULTI_TAG' : 'SINGLE_TAG',
    topicSysFlag: intField(bean, 'topicSysFlag', 0, what),
    order: boolField(bean, 'order', false, what),
  };
}
