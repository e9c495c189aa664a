// The topic lists the name server answers from its tables (RouteInfoManager.getTopicsByCluster,
// getSystemTopicList, getUnitTopics, getHasUnitSubTopicList, getHasUnitSubUnUnitTopicList).
// The unit lists look only at the topicSynFlag of a topic's first queue data, as Java does.
import { javaHashMapOrder } from '../codec/java-hash';
import type { BrokerData, QueueData } from './route-data';

/** TopicSysFlag bits. */
export const TopicSysFlag = { FLAG_UNIT: 0x1, FLAG_UNIT_SUB: 0x2 } as const;

export function hasUnitFlag(sysFlag: number): boolean {
  return (sysFlag & TopicSysFlag.FLAG_UNIT) === TopicSysFlag.FLAG_UNIT;
}

export function hasUnitSubFlag(sysFlag: number): boolean {
  return (sysFlag & TopicSysFlag.FLAG_UNIT_SUB) === TopicSysFlag.FLAG_UNIT_SUB;
}

/** Topics with a queue on any broker of the cluster; an unknown cluster gives an empty list. */
export function topicsByCluster(
  topicQueueTable: Map<string, QueueData[]>,
  brokerNames: Set<string> | undefined,
): string[] {
  if (brokerNames === undefined) return [];
  const topics: string[] = [];
  for (const [topic, queueDatas] of topicQueueTable) {
    if (queueDatas.some((queueData) => brokerNames.has(queueData.brokerName))) topics.push(topic);
  }
  return topics;
}

/**
 * Every cluster name and broker name (they are topics on the brokers), plus one broker address
 * (the first id of the first broker in HashMap order) that the client then also asks with 305.
 */
export function systemTopicList(
  clusterAddrTable: Map<string, Set<string>>,
  brokerAddrTable: Map<string, BrokerData>,
): { topicList: string[]; brokerAddr?: string } {
  const topicList: string[] = [];
  for (const [cluster, brokerNames] of clusterAddrTable) topicList.push(cluster, ...brokerNames);
  let brokerAddr: string | undefined;
  for (const brokerName of javaHashMapOrder([...brokerAddrTable.keys()])) {
    const brokerAddrs = brokerAddrTable.get(brokerName)!.brokerAddrs;
    if (brokerAddrs.size === 0) continue;
    brokerAddr = brokerAddrs.get(Math.min(...brokerAddrs.keys()));
    break;
  }
  return { topicList, brokerAddr };
}

function topicsWhoseFirstFlag(topicQueueTable: Map<string, QueueData[]>, test: (sysFlag: number) => boolean): string[] {
  const topics: string[] = [];
  for (const [topic, queueDatas] of topicQueueTable) {
    if (queueDatas.length > 0 && test(queueDatas[0].topicSynFlag)) topics.push(topic);
  }
  return topics;
}

export function unitTopics(topicQueueTable: Map<string, QueueData[]>): string[] {
  return topicsWhoseFirstFlag(topicQueueTable, hasUnitFlag);
}

export function hasUnitSubTopics(topicQueueTable: Map<string, QueueData[]>): string[] {
  return topicsWhoseFirstFlag(topicQueueTable, hasUnitSubFlag);
}

export function hasUnitSubUnUnitTopics(topicQueueTable: Map<string, QueueData[]>): string[] {
  return topicsWhoseFirstFlag(topicQueueTable, (sysFlag) => !hasUnitFlag(sysFlag) && hasUnitSubFlag(sysFlag));
}
