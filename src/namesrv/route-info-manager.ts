// RouteInfoManager (org.apache.rocketmq.namesrv.routeinfo.RouteInfoManager): the name server's
// in-memory view of clusters, brokers and topic queues, fed by REGISTER_BROKER and emptied by
// UNREGISTER_BROKER, by connection close and by the expiry scan.
//
// Semantics kept from Java 4.7.1:
// - topic queue data comes only from masters (brokerId 0), and is rebuilt only when the broker's
//   DataVersion changed or this (brokerName, brokerId) registers for the first time;
// - re-registering never removes topics the broker dropped (DELETE_TOPIC_IN_NAMESRV does);
// - an address that registers under a new brokerId replaces its old id (slave → master switch);
// - a slave learns its master's haServerAddr and address when the master is registered and alive;
// - a broker whose last registration is older than brokerChannelExpiredTimeMs, or whose
//   registering connection closes, is removed with its queue data once its brokerName is empty.
import type { Logger } from '../common/logger';
import { type DataVersion, dataVersionEquals } from '../codec/body/data-version';
import { javaHashMapOrder } from '../codec/java-hash';
import type { TopicConfig } from '../codec/body/register-broker-body';
import {
  type BrokerData,
  type ClusterInfo,
  javaHashSetOrder,
  MASTER_ID,
  PermName,
  type QueueData,
  queueDataEquals,
  type TopicRouteData,
} from './route-data';
import * as topicLists from './topic-list-queries';
import type {
  BrokerChannel,
  BrokerLiveInfo,
  RegisterBrokerRequest,
  RegisterBrokerResult,
} from './register-broker-request';

export type {
  BrokerChannel,
  BrokerLiveInfo,
  RegisterBrokerRequest,
  RegisterBrokerResult,
} from './register-broker-request';

export interface RouteInfoManagerOptions {
  /** BROKER_CHANNEL_EXPIRED_TIME: 120 s in Java. */
  brokerChannelExpiredTimeMs?: number;
  clock?: () => number;
}

export const BROKER_CHANNEL_EXPIRED_TIME_MS = 120_000;

export class RouteInfoManager {
  readonly topicQueueTable = new Map<string, QueueData[]>();
  readonly brokerAddrTable = new Map<string, BrokerData>();
  readonly clusterAddrTable = new Map<string, Set<string>>();
  readonly brokerLiveTable = new Map<string, BrokerLiveInfo>();
  readonly filterServerTable = new Map<string, string[]>();
  readonly brokerChannelExpiredTimeMs: number;
  private readonly clock: () => number;

  constructor(
    private readonly logger: Logger,
    options: RouteInfoManagerOptions = {},
  ) {
    this.brokerChannelExpiredTimeMs = options.brokerChannelExpiredTimeMs ?? BROKER_CHANNEL_EXPIRED_TIME_MS;
    this.clock = options.clock ?? Date.now;
    if (!(this.brokerChannelExpiredTimeMs > 0)) throw new RangeError('brokerChannelExpiredTimeMs must be positive');
  }

  registerBroker(request: RegisterBrokerRequest): RegisterBrokerResult {
    const { clusterName, brokerAddr, brokerName, brokerId, topicConfigWrapper } = request;
    let brokerNames = this.clusterAddrTable.get(clusterName);
    if (brokerNames === undefined) this.clusterAddrTable.set(clusterName, (brokerNames = new Set()));
    brokerNames.add(brokerName);

    let brokerData = this.brokerAddrTable.get(brokerName);
    let registerFirst = brokerData === undefined;
    if (brokerData === undefined) {
      brokerData = { cluster: clusterName, brokerName, brokerAddrs: new Map() };
      this.brokerAddrTable.set(brokerName, brokerData);
    }
    // The same ip:port keeps only one id: a slave turned master first drops <1, addr>.
    for (const [id, addr] of brokerData.brokerAddrs) {
      if (addr === brokerAddr && id !== brokerId) brokerData.brokerAddrs.delete(id);
    }
    registerFirst = !brokerData.brokerAddrs.has(brokerId) || registerFirst;
    brokerData.brokerAddrs.set(brokerId, brokerAddr);

    const changed = registerFirst || this.isBrokerTopicConfigChanged(brokerAddr, topicConfigWrapper.dataVersion);
    if (brokerId === MASTER_ID && changed) {
      for (const topicConfig of topicConfigWrapper.topicConfigTable.values()) {
        this.createAndUpdateQueueData(brokerName, topicConfig);
      }
    }

    const previous = this.brokerLiveTable.get(brokerAddr);
    this.brokerLiveTable.set(brokerAddr, {
      lastUpdateTimestampMs: this.clock(),
      dataVersion: { ...topicConfigWrapper.dataVersion },
      channel: request.channel,
      haServerAddr: request.haServerAddr,
    });
    if (previous === undefined)
      this.logger.info(`new broker registered, ${brokerAddr} HAServer: ${request.haServerAddr}`);

    if (request.filterServerList !== undefined) {
      if (request.filterServerList.length === 0) this.filterServerTable.delete(brokerAddr);
      else this.filterServerTable.set(brokerAddr, [...request.filterServerList]);
    }
    return brokerId === MASTER_ID ? {} : this.masterOf(brokerData);
  }

  private masterOf(brokerData: BrokerData): RegisterBrokerResult {
    const masterAddr = brokerData.brokerAddrs.get(MASTER_ID);
    const masterLiveInfo = masterAddr === undefined ? undefined : this.brokerLiveTable.get(masterAddr);
    if (masterAddr === undefined || masterLiveInfo === undefined) return {};
    return { haServerAddr: masterLiveInfo.haServerAddr, masterAddr };
  }

  isBrokerTopicConfigChanged(brokerAddr: string, dataVersion: DataVersion): boolean {
    const previous = this.queryBrokerTopicConfig(brokerAddr);
    return previous === undefined || !dataVersionEquals(previous, dataVersion);
  }

  queryBrokerTopicConfig(brokerAddr: string): DataVersion | undefined {
    return this.brokerLiveTable.get(brokerAddr)?.dataVersion;
  }

  updateBrokerInfoUpdateTimestamp(brokerAddr: string): void {
    const liveInfo = this.brokerLiveTable.get(brokerAddr);
    if (liveInfo !== undefined) liveInfo.lastUpdateTimestampMs = this.clock();
  }

  private createAndUpdateQueueData(brokerName: string, topicConfig: TopicConfig): void {
    const queueData: QueueData = {
      brokerName,
      readQueueNums: topicConfig.readQueueNums,
      writeQueueNums: topicConfig.writeQueueNums,
      perm: topicConfig.perm,
      topicSynFlag: topicConfig.topicSysFlag,
    };
    const queueDatas = this.topicQueueTable.get(topicConfig.topicName);
    if (queueDatas === undefined) {
      this.topicQueueTable.set(topicConfig.topicName, [queueData]);
      this.logger.info(`new topic registered, ${topicConfig.topicName} ${JSON.stringify(queueData)}`);
      return;
    }
    let addNewOne = true;
    for (let i = queueDatas.length - 1; i >= 0; i--) {
      const existing = queueDatas[i];
      if (existing.brokerName !== brokerName) continue;
      if (queueDataEquals(existing, queueData)) addNewOne = false;
      else {
        const change = `OLD: ${JSON.stringify(existing)} NEW: ${JSON.stringify(queueData)}`;
        this.logger.info(`topic changed, ${topicConfig.topicName} ${change}`);
        queueDatas.splice(i, 1);
      }
    }
    if (addNewOne) queueDatas.push(queueData);
  }

  /** Clears the write bit of every queue data of `brokerName`; returns how many it touched. */
  wipeWritePermOfBroker(brokerName: string): number {
    let wipeTopicCount = 0;
    for (const queueDatas of this.topicQueueTable.values()) {
      for (const queueData of queueDatas) {
        if (queueData.brokerName !== brokerName) continue;
        queueData.perm &= ~PermName.PERM_WRITE;
        wipeTopicCount++;
      }
    }
    return wipeTopicCount;
  }

  deleteTopic(topic: string): void {
    this.topicQueueTable.delete(topic);
  }

  unregisterBroker(clusterName: string, brokerAddr: string, brokerName: string, brokerId: number): void {
    const liveInfo = this.brokerLiveTable.get(brokerAddr);
    this.brokerLiveTable.delete(brokerAddr);
    const outcome = liveInfo !== undefined ? 'OK' : 'Failed';
    this.logger.info(`unregisterBroker, remove from brokerLiveTable ${outcome}, ${brokerAddr}`);
    this.filterServerTable.delete(brokerAddr);
    const brokerData = this.brokerAddrTable.get(brokerName);
    if (brokerData === undefined) return;
    brokerData.brokerAddrs.delete(brokerId);
    if (brokerData.brokerAddrs.size > 0) return;
    this.brokerAddrTable.delete(brokerName);
    const brokerNames = this.clusterAddrTable.get(clusterName);
    if (brokerNames !== undefined) {
      brokerNames.delete(brokerName);
      if (brokerNames.size === 0) this.clusterAddrTable.delete(clusterName);
    }
    this.removeTopicByBrokerName(brokerName);
  }

  private removeTopicByBrokerName(brokerName: string): void {
    for (const [topic, queueDatas] of this.topicQueueTable) {
      const kept = queueDatas.filter((queueData) => queueData.brokerName !== brokerName);
      if (kept.length === 0) this.topicQueueTable.delete(topic);
      else if (kept.length !== queueDatas.length) this.topicQueueTable.set(topic, kept);
    }
  }

  /** The route of `topic`, or undefined when no queue data or no broker data is known for it. */
  pickupTopicRouteData(topic: string): TopicRouteData | undefined {
    const queueDatas = this.topicQueueTable.get(topic);
    if (queueDatas === undefined) return undefined;
    const brokerDatas: BrokerData[] = [];
    const filterServerTable = new Map<string, string[] | undefined>();
    for (const brokerName of javaHashSetOrder(queueDatas.map((queueData) => queueData.brokerName))) {
      const brokerData = this.brokerAddrTable.get(brokerName);
      if (brokerData === undefined) continue;
      brokerDatas.push({ ...brokerData, brokerAddrs: new Map(brokerData.brokerAddrs) });
      for (const brokerAddr of brokerData.brokerAddrs.values()) {
        filterServerTable.set(brokerAddr, this.filterServerTable.get(brokerAddr));
      }
    }
    if (brokerDatas.length === 0) return undefined;
    return { queueDatas: queueDatas.map((queueData) => ({ ...queueData })), brokerDatas, filterServerTable };
  }

  /** Drops brokers not registered within brokerChannelExpiredTimeMs; returns how many. */
  scanNotActiveBroker(): number {
    const nowMs = this.clock();
    let expired = 0;
    for (const [brokerAddr, liveInfo] of [...this.brokerLiveTable]) {
      if (liveInfo.lastUpdateTimestampMs + this.brokerChannelExpiredTimeMs >= nowMs) continue;
      this.brokerLiveTable.delete(brokerAddr);
      this.logger.warn(`The broker channel expired, ${brokerAddr} ${this.brokerChannelExpiredTimeMs}ms`);
      this.removeBrokerAddr(brokerAddr);
      liveInfo.channel?.close();
      expired++;
    }
    return expired;
  }

  /** The connection a broker registered through closed: remove every broker it registered. */
  onChannelDestroy(channel: BrokerChannel): void {
    for (const [brokerAddr, liveInfo] of [...this.brokerLiveTable]) {
      if (liveInfo.channel !== channel) continue;
      this.logger.info(`the broker's channel destroyed, ${brokerAddr}, clean it's data structure at once`);
      this.brokerLiveTable.delete(brokerAddr);
      this.removeBrokerAddr(brokerAddr);
    }
  }

  private removeBrokerAddr(brokerAddr: string): void {
    this.brokerLiveTable.delete(brokerAddr);
    this.filterServerTable.delete(brokerAddr);
    for (const [brokerName, brokerData] of this.brokerAddrTable) {
      const found = [...brokerData.brokerAddrs].find(([, addr]) => addr === brokerAddr);
      if (found === undefined) continue;
      brokerData.brokerAddrs.delete(found[0]);
      this.logger.info(`remove brokerAddr[${found[0]}, ${brokerAddr}] from brokerAddrTable, because channel destroyed`);
      if (brokerData.brokerAddrs.size > 0) return;
      this.brokerAddrTable.delete(brokerName);
      for (const [clusterName, brokerNames] of this.clusterAddrTable) {
        if (!brokerNames.delete(brokerName)) continue;
        if (brokerNames.size === 0) this.clusterAddrTable.delete(clusterName);
        break;
      }
      this.removeTopicByBrokerName(brokerName);
      return;
    }
  }

  getAllClusterInfo(): ClusterInfo {
    return { brokerAddrTable: this.brokerAddrTable, clusterAddrTable: this.clusterAddrTable };
  }

  /** In the order of Java's `new HashMap<>(1024)` topicQueueTable, which decides mqadmin topicList's order. */
  getAllTopicList(): string[] {
    return javaHashMapOrder([...this.topicQueueTable.keys()], 1024);
  }

  getTopicsByCluster(cluster: string): string[] {
    return topicLists.topicsByCluster(this.topicQueueTable, this.clusterAddrTable.get(cluster));
  }

  getSystemTopicList(): { topicList: string[]; brokerAddr?: string } {
    return topicLists.systemTopicList(this.clusterAddrTable, this.brokerAddrTable);
  }

  getUnitTopics(): string[] {
    return topicLists.unitTopics(this.topicQueueTable);
  }

  getHasUnitSubTopicList(): string[] {
    return topicLists.hasUnitSubTopics(this.topicQueueTable);
  }

  getHasUnitSubUnUnitTopicList(): string[] {
    return topicLists.hasUnitSubUnUnitTopics(this.topicQueueTable);
  }
}
