// Route bodies the name server answers with, as fastjson writes them
// (org.apache.rocketmq.common.protocol.route.* and protocol.body.ClusterInfo / TopicList / KVTable):
//
//   TopicRouteData = {"brokerDatas":[BrokerData...],"filterServerTable":{addr:[String...]},
//                     "orderTopicConf":String (only when set),"queueDatas":[QueueData...]}
//   BrokerData     = {"brokerAddrs":{<brokerId unquoted>:addr,...},"brokerName":String,"cluster":String}
//   QueueData      = {"brokerName":String,"perm":int,"readQueueNums":int,"topicSynFlag":int,"writeQueueNums":int}
//   ClusterInfo    = {"brokerAddrTable":{brokerName:BrokerData},"clusterAddrTable":{cluster:[brokerName...]}}
//   TopicList      = {"brokerAddr":String (only when set),"topicList":[String...]}
//   KVTable        = {"table":{key:value}}
//
// Java keeps these in HashMaps and HashSets, so sets are written in java.util.HashSet order and
// string-keyed maps in HashMap order (the fastjson writer does the maps; sets are ordered here).
import { javaHashMapOrder } from '../codec/java-hash';
import { encodeFastjsonBody } from '../codec/fastjson-write';

/** PermName bits. */
export const PermName = { PERM_PRIORITY: 8, PERM_READ: 4, PERM_WRITE: 2, PERM_INHERIT: 1 } as const;

/** MixAll.MASTER_ID */
export const MASTER_ID = 0;

export interface QueueData {
  brokerName: string;
  readQueueNums: number;
  writeQueueNums: number;
  perm: number;
  topicSynFlag: number;
}

export interface BrokerData {
  cluster: string;
  brokerName: string;
  /** brokerId → "ip:port"; 0 is the master. */
  brokerAddrs: Map<number, string>;
}

export interface TopicRouteData {
  orderTopicConf?: string;
  queueDatas: QueueData[];
  brokerDatas: BrokerData[];
  /** brokerAddr → filter servers; brokers without any map to undefined and are left out, as Java's nulls. */
  filterServerTable: Map<string, string[] | undefined>;
}

export interface ClusterInfo {
  brokerAddrTable: Map<string, BrokerData>;
  clusterAddrTable: Map<string, Set<string>>;
}

export interface TopicList {
  topicList: Iterable<string>;
  brokerAddr?: string;
}

export function queueDataEquals(a: QueueData, b: QueueData): boolean {
  return (
    a.brokerName === b.brokerName &&
    a.perm === b.perm &&
    a.readQueueNums === b.readQueueNums &&
    a.writeQueueNums === b.writeQueueNums &&
    a.topicSynFlag === b.topicSynFlag
  );
}

/** The names of a java.util.HashSet<String>, in its iteration order. */
export function javaHashSetOrder(names: Iterable<string>): string[] {
  return javaHashMapOrder([...new Set(names)]);
}

function brokerDataBean(brokerData: BrokerData): object {
  return {
    brokerAddrs: new Map(brokerData.brokerAddrs),
    brokerName: brokerData.brokerName,
    cluster: brokerData.cluster,
  };
}

function queueDataBean(queueData: QueueData): object {
  const { brokerName, perm, readQueueNums, topicSynFlag, writeQueueNums } = queueData;
  return { brokerName, perm, readQueueNums, topicSynFlag, writeQueueNums };
}

export function encodeTopicRouteData(route: TopicRouteData): Buffer {
  return encodeFastjsonBody({
    brokerDatas: route.brokerDatas.map(brokerDataBean),
    filterServerTable: new Map(route.filterServerTable),
    orderTopicConf: route.orderTopicConf,
    queueDatas: route.queueDatas.map(queueDataBean),
  });
}

export function encodeClusterInfo(clusterInfo: ClusterInfo): Buffer {
  const brokerAddrTable = new Map([...clusterInfo.brokerAddrTable].map(([name, data]) => [name, brokerDataBean(data)]));
  const clusterAddrTable = new Map(
    [...clusterInfo.clusterAddrTable].map(([cluster, names]) => [cluster, javaHashSetOrder(names)]),
  );
  return encodeFastjsonBody({ brokerAddrTable, clusterAddrTable });
}

export function encodeTopicList(topicList: TopicList): Buffer {
  return encodeFastjsonBody({ brokerAddr: topicList.brokerAddr, topicList: javaHashSetOrder(topicList.topicList) });
}

export function encodeKVTable(table: Map<string, string>): Buffer {
  return encodeFastjsonBody({ table: new Map(table) });
}
