// The Java 4.7.1 broker keys (BrokerConfig, NettyServerConfig, NettyClientConfig, MessageStoreConfig,
// as GET_BROKER_CONFIG returns them) that this broker accepts in broker.conf and updateBrokerConfig,
// keeps, persists and reports, but does not act on: thread-pool sizes and queue capacities of Java's
// executors (one event loop here), Netty buffer and semaphore settings, commercial counters, the
// mmap warm-up and transient store pool, and filter-server knobs. They are reported so config diff
// tools (mqadmin getBrokerConfig, the dashboard) see the same key set as a Java broker's. Values are
// Java's defaults for this machine (the thread counts use Java's formulas with the CPU count).
// Keys that would change a promise (the DLedger commit log, duplication, consume-queue ext files,
// the index-safe recovery point, TLS) are here and in src/store/java-only-store-config.ts too but refused unless off (unimplemented-config.ts).
import os from 'node:os';

function cpuCount(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/** BrokerConfig, NettyServerConfig and NettyClientConfig keys reported but not used. */
export function javaOnlyBrokerConfig() {
  const cpus = cpuCount();
  return {
    messageStorePlugIn: '',
    processReplyMessageThreadPoolNums: 16 + cpus * 2,
    queryMessageThreadPoolNums: 8 + cpus,
    adminBrokerThreadPoolNums: 16,
    clientManageThreadPoolNums: 32,
    consumerManageThreadPoolNums: 32,
    heartbeatThreadPoolNums: Math.min(32, cpus),
    endTransactionThreadPoolNums: 8 + cpus * 2,
    flushConsumerOffsetHistoryInterval: 60_000,
    fetchNamesrvAddrByAddressServer: false,
    sendThreadPoolQueueCapacity: 10_000,
    replyThreadPoolQueueCapacity: 10_000,
    queryThreadPoolQueueCapacity: 20_000,
    clientManagerThreadPoolQueueCapacity: 1_000_000,
    consumerManagerThreadPoolQueueCapacity: 1_000_000,
    heartbeatThreadPoolQueueCapacity: 50_000,
    endTransactionPoolQueueCapacity: 100_000,
    filterServerNums: 0,
    highSpeedMode: false,
    commercialEnable: true,
    commercialTimerCount: 1,
    commercialTransCount: 1,
    commercialBigCount: 1,
    commercialBaseCount: 1,
    transferMsgByHeap: true,
    maxDelayTime: 40,
    disableConsumeIfConsumerReadSlowly: false,
    consumerFallbehindThreshold: 16 * 1024 * 1024 * 1024,
    brokerFastFailureEnable: true,
    waitTimeMillsInSendQueue: 200,
    waitTimeMillsInPullQueue: 5000,
    waitTimeMillsInHeartbeatQueue: 31_000,
    waitTimeMillsInTransactionQueue: 3000,
    startAcceptSendRequestTimeStamp: 0,
    enableCalcFilterBitMap: false,
    expectConsumerNumUseFilter: 32,
    maxErrorRateOfBloomFilter: 20,
    filterDataCleanTimeSpan: 24 * 3600 * 1000,
    storeReplyMessageEnable: true,
    autoDeleteUnusedStats: false,
    // NettyServerConfig
    serverCallbackExecutorThreads: 0,
    serverOnewaySemaphoreValue: 256,
    serverAsyncSemaphoreValue: 64,
    serverSocketSndBufSize: 131_072,
    serverSocketRcvBufSize: 131_072,
    serverPooledByteBufAllocatorEnable: true,
    useEpollNativeSelector: false,
    // NettyClientConfig
    clientWorkerThreads: 4,
    clientCallbackExecutorThreads: cpus,
    clientOnewaySemaphoreValue: 65_535,
    clientAsyncSemaphoreValue: 65_535,
    connectTimeoutMillis: 3000,
    channelNotActiveInterval: 60_000,
    clientChannelMaxIdleTimeSeconds: 120,
    clientSocketSndBufSize: 131_072,
    clientSocketRcvBufSize: 131_072,
    clientPooledByteBufAllocatorEnable: false,
    clientCloseSocketIfTimeout: false,
    useTLS: false,
  };
}

export type JavaOnlyBrokerConfig = ReturnType<typeof javaOnlyBrokerConfig>;

/** Every key Java 4.7.1 GET_BROKER_CONFIG can return, in the order its four config classes declare them. */
export const JAVA_CONFIG_KEY_ORDER: readonly string[] = [
  'rocketmqHome', 'namesrvAddr', 'brokerIP1', 'brokerIP2', 'brokerName', 'brokerClusterName', 'brokerId',
  'brokerPermission', 'defaultTopicQueueNums', 'autoCreateTopicEnable', 'clusterTopicEnable', 'brokerTopicEnable',
  'autoCreateSubscriptionGroup', 'messageStorePlugIn', 'msgTraceTopicName', 'traceTopicEnable',
  'sendMessageThreadPoolNums', 'pullMessageThreadPoolNums', 'processReplyMessageThreadPoolNums',
  'queryMessageThreadPoolNums', 'adminBrokerThreadPoolNums', 'clientManageThreadPoolNums',
  'consumerManageThreadPoolNums', 'heartbeatThreadPoolNums', 'endTransactionThreadPoolNums',
  'flushConsumerOffsetInterval', 'flushConsumerOffsetHistoryInterval', 'rejectTransactionMessage',
  'fetchNamesrvAddrByAddressServer', 'sendThreadPoolQueueCapacity', 'pullThreadPoolQueueCapacity',
  'replyThreadPoolQueueCapacity', 'queryThreadPoolQueueCapacity', 'clientManagerThreadPoolQueueCapacity',
  'consumerManagerThreadPoolQueueCapacity', 'heartbeatThreadPoolQueueCapacity', 'endTransactionPoolQueueCapacity',
  'filterServerNums', 'longPollingEnable', 'shortPollingTimeMills', 'notifyConsumerIdsChangedEnable',
  'highSpeedMode', 'commercialEnable', 'commercialTimerCount', 'commercialTransCount', 'commercialBigCount',
  'commercialBaseCount', 'transferMsgByHeap', 'maxDelayTime', 'regionId', 'registerBrokerTimeoutMills',
  'slaveReadEnable', 'disableConsumeIfConsumerReadSlowly', 'consumerFallbehindThreshold', 'brokerFastFailureEnable',
  'waitTimeMillsInSendQueue', 'waitTimeMillsInPullQueue', 'waitTimeMillsInHeartbeatQueue',
  'waitTimeMillsInTransactionQueue', 'startAcceptSendRequestTimeStamp', 'traceOn', 'enableCalcFilterBitMap',
  'expectConsumerNumUseFilter', 'maxErrorRateOfBloomFilter', 'filterDataCleanTimeSpan', 'filterSupportRetry',
  'enablePropertyFilter', 'compressedRegister', 'forceRegister', 'registerNameServerPeriod', 'transactionTimeOut',
  'transactionCheckMax', 'transactionCheckInterval', 'aclEnable', 'storeReplyMessageEnable', 'autoDeleteUnusedStats',
  'listenPort', 'serverWorkerThreads', 'serverCallbackExecutorThreads', 'serverSelectorThreads',
  'serverOnewaySemaphoreValue', 'serverAsyncSemaphoreValue', 'serverChannelMaxIdleTimeSeconds',
  'serverSocketSndBufSize', 'serverSocketRcvBufSize', 'serverPooledByteBufAllocatorEnable', 'useEpollNativeSelector',
  'clientWorkerThreads', 'clientCallbackExecutorThreads', 'clientOnewaySemaphoreValue', 'clientAsyncSemaphoreValue',
  'connectTimeoutMillis', 'channelNotActiveInterval', 'clientChannelMaxIdleTimeSeconds', 'clientSocketSndBufSize',
  'clientSocketRcvBufSize', 'clientPooledByteBufAllocatorEnable', 'clientCloseSocketIfTimeout', 'useTLS',
  'storePathRootDir', 'storePathCommitLog', 'mappedFileSizeCommitLog', 'mappedFileSizeConsumeQueue',
  'enableConsumeQueueExt', 'mappedFileSizeConsumeQueueExt', 'bitMapLengthConsumeQueueExt', 'flushIntervalCommitLog',
  'commitIntervalCommitLog', 'useReentrantLockWhenPutMessage', 'flushCommitLogTimed', 'flushIntervalConsumeQueue',
  'cleanResourceInterval', 'deleteCommitLogFilesInterval', 'deleteConsumeQueueFilesInterval',
  'destroyMapedFileIntervalForcibly', 'redeleteHangedFileInterval', 'deleteWhen', 'diskMaxUsedSpaceRatio',
  'fileReservedTime', 'putMsgIndexHightWater', 'maxMessageSize', 'checkCRCOnRecover', 'flushCommitLogLeastPages',
  'commitCommitLogLeastPages', 'flushLeastPagesWhenWarmMapedFile', 'flushConsumeQueueLeastPages',
  'flushCommitLogThoroughInterval', 'commitCommitLogThoroughInterval', 'flushConsumeQueueThoroughInterval',
  'maxTransferBytesOnMessageInMemory', 'maxTransferCountOnMessageInMemory', 'maxTransferBytesOnMessageInDisk',
  'maxTransferCountOnMessageInDisk', 'accessMessageInMemoryMaxRatio', 'messageIndexEnable', 'maxHashSlotNum',
  'maxIndexNum', 'maxMsgsNumBatch', 'messageIndexSafe', 'haListenPort', 'haSendHeartbeatInterval',
  'haHousekeepingInterval', 'haTransferBatchSize', 'haMasterAddress', 'haSlaveFallbehindMax', 'brokerRole',
  'flushDiskType', 'syncFlushTimeout', 'messageDelayLevel', 'flushDelayOffsetInterval', 'cleanFileForciblyEnable',
  'warmMapedFileEnable', 'offsetCheckInSlave', 'debugLockEnable', 'duplicationEnable', 'diskFallRecorded',
  'osPageCacheBusyTimeOutMills', 'defaultQueryMaxNum', 'transientStorePoolEnable', 'transientStorePoolSize',
  'fastFailIfNoBufferInStorePool', 'enableDLegerCommitLog',
];
