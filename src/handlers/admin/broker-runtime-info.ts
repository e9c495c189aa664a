// GET_BROKER_RUNTIME_INFO (28): AdminBrokerProcessor.prepareRuntimeInfo as a KVTable,
// {"table":{"brokerVersionDesc":"V4_7_1","putTps":"0.0 0.0 0.0",…}}, every value a string in
// Java's format (mqadmin clusterList/brokerStatus, the exporter and the dashboard parse them):
//
//   putTps, getFoundTps, getMissTps, getTransferedTps  "a b c" over 10/60/600 s (parts may be empty)
//   getTotalTps                                        "a b c", always three doubles
//   runtime                                            "[ d days, h hours, m minutes, s seconds ]"
//   commitLogDirCapacity                               "Total : 252.0 GiB, Free : 240.4 GiB."
//   remainHowManyDataToFlush                           "0 B" (MixAll.humanReadableByteCount)
//   commitLogDiskRatio, consumeQueueDiskRatio          used/total of the partition, -1.0 if absent
//   brokerVersion / brokerVersionDesc                  355 / V4_7_1
//   scheduleMessageOffset_<level>                      "<delivered>,<max offset>" per delay level
//
// Thread-pool figures are Java's queue capacities with empty queues: requests never wait in a
// queue here.
import path from 'node:path';
import { readInt64BE } from '../../codec/message/buffer-int64';
import { recordLayout, SYSFLAG_POSITION } from '../../codec/message/message-record-layout';
import { CURRENT_VERSION } from '../../codec/remoting-command';
import { RequestCode } from '../../codec/request-code';
import type { BrokerContext } from '../../broker/broker-context';
import {
  diskPartitionSpaceUsedRatio,
  diskSpace,
  humanReadableByteCount,
  javaDoubleToString,
} from '../../broker/stats/java-format';
import { TopicValidator } from '../../broker/topic-validator';
import { type AdminRegistry, success } from './admin-support';

/** BrokerConfig defaults of the thread-pool queues Java reports. */
const SEND_THREAD_POOL_QUEUE_CAPACITY = 10_000;
const PULL_THREAD_POOL_QUEUE_CAPACITY = 100_000;
const QUERY_THREAD_POOL_QUEUE_CAPACITY = 20_000;
const END_TRANSACTION_POOL_QUEUE_CAPACITY = 100_000;
/** Integer.MAX_VALUE: what Java reports when transientStorePoolEnable is off. */
const NO_TRANSIENT_STORE_POOL = 2147483647;

export function registerBrokerRuntimeInfo(registry: AdminRegistry, broker: BrokerContext): void {
  registry.register(RequestCode.GET_BROKER_RUNTIME_INFO, (request) =>
    success(request, { table: brokerRuntimeInfo(broker) }),
  );
}

export function brokerRuntimeInfo(broker: BrokerContext, nowMs = Date.now()): Map<string, string> {
  const store = broker.messageStore;
  const storeStats = broker.brokerStatsManager.storeStats;
  const info = storeStats.runtimeInfo(nowMs);
  const storeConfig = broker.messageStoreConfig;
  info.set('commitLogDiskRatio', javaDoubleToString(diskPartitionSpaceUsedRatio(storeConfig.storePathCommitLog)));
  const consumeQueueDir = path.join(storeConfig.storePathRootDir, 'consumequeue');
  info.set('consumeQueueDiskRatio', javaDoubleToString(diskPartitionSpaceUsedRatio(consumeQueueDir)));
  for (const [level, delivered] of broker.scheduleMessageService.offsetTable) {
    const maxOffset = store.getMaxOffsetInQueue(TopicValidator.SCHEDULE_TOPIC, level - 1);
    info.set(`scheduleMessageOffset_${level}`, `${delivered},${maxOffset}`);
  }
  const maxPhysicalOffset = store.getMaxPhyOffset();
  // Java reports -1 while the commit log has no file yet.
  const minPhysicalOffset = maxPhysicalOffset === 0 ? -1 : store.getMinPhyOffset();
  info.set('commitLogMinOffset', String(minPhysicalOffset));
  info.set('commitLogMaxOffset', String(maxPhysicalOffset));
  info.set('brokerVersionDesc', 'V4_7_1');
  info.set('brokerVersion', String(CURRENT_VERSION));
  info.set('msgPutTotalYesterdayMorning', String(storeStats.msgPutTotalYesterdayMorning));
  info.set('msgPutTotalTodayMorning', String(storeStats.msgPutTotalTodayMorning));
  info.set('msgPutTotalTodayNow', String(storeStats.putMessageTimesTotal));
  info.set('msgGetTotalYesterdayMorning', String(storeStats.msgGetTotalYesterdayMorning));
  info.set('msgGetTotalTodayMorning', String(storeStats.msgGetTotalTodayMorning));
  info.set('msgGetTotalTodayNow', String(storeStats.getMessageTransferredMsgCount));
  setThreadPools(info);
  info.set('dispatchBehindBytes', '0');
  info.set('pageCacheLockTimeMills', '0');
  info.set('earliestMessageTimeStamp', String(earliestMessageTime(broker, minPhysicalOffset)));
  info.set('startAcceptSendRequestTimeStamp', '0');
  info.set('remainTransientStoreBufferNumbs', String(NO_TRANSIENT_STORE_POOL));
  info.set('remainHowManyDataToFlush', humanReadableByteCount(0));
  const space = diskSpace(storeConfig.storePathRootDir);
  if (space !== undefined) {
    info.set(
      'commitLogDirCapacity',
      `Total : ${humanReadableByteCount(space.totalBytes)}, Free : ${humanReadableByteCount(space.freeBytes)}.`,
    );
  }
  return info;
}

function setThreadPools(info: Map<string, string>): void {
  info.set('sendThreadPoolQueueSize', '0');
  info.set('sendThreadPoolQueueCapacity', String(SEND_THREAD_POOL_QUEUE_CAPACITY));
  info.set('pullThreadPoolQueueSize', '0');
  info.set('pullThreadPoolQueueCapacity', String(PULL_THREAD_POOL_QUEUE_CAPACITY));
  info.set('queryThreadPoolQueueSize', '0');
  info.set('queryThreadPoolQueueCapacity', String(QUERY_THREAD_POOL_QUEUE_CAPACITY));
  info.set('EndTransactionQueueSize', '0');
  info.set('EndTransactionThreadPoolQueueCapacity', String(END_TRANSACTION_POOL_QUEUE_CAPACITY));
  info.set('sendThreadPoolQueueHeadWaitTimeMills', '0');
  info.set('pullThreadPoolQueueHeadWaitTimeMills', '0');
  info.set('queryThreadPoolQueueHeadWaitTimeMills', '0');
}

/** Store time of the oldest record in the commit log (DefaultMessageStore.getEarliestMessageTime); -1 if none. */
function earliestMessageTime(broker: BrokerContext, minPhysicalOffset: number): number {
  if (minPhysicalOffset < 0) return -1;
  const record = broker.messageStore.lookMessageByOffset(minPhysicalOffset);
  if (record === null) return -1;
  return readInt64BE(record, recordLayout(record.readInt32BE(SYSFLAG_POSITION)).storeTimestampPosition);
}
