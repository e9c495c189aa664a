// The Java 4.7.1 MessageStoreConfig keys this store accepts, keeps, persists and reports but does
// not act on (see src/broker/java-only-config.ts for why they are reported). enableConsumeQueueExt,
// messageIndexSafe, duplicationEnable and enableDLegerCommitLog are refused unless false
// (src/broker/unimplemented-config.ts).
/** MessageStoreConfig keys reported but not used (but cleanFileForciblyEnable, which clean-service.ts honours). */
export function javaOnlyStoreConfig() {
  return {
    enableConsumeQueueExt: false,
    mappedFileSizeConsumeQueueExt: 48 * 1024 * 1024,
    // Java's ConsumerFilterManager sets it to its bloom filter's bit count (20% errors, 32 consumers)
    bitMapLengthConsumeQueueExt: 112,
    commitIntervalCommitLog: 200,
    useReentrantLockWhenPutMessage: false,
    flushCommitLogTimed: false,
    deleteCommitLogFilesInterval: 100,
    deleteConsumeQueueFilesInterval: 100,
    destroyMapedFileIntervalForcibly: 120_000,
    redeleteHangedFileInterval: 120_000,
    putMsgIndexHightWater: 600_000,
    checkCRCOnRecover: true,
    flushCommitLogLeastPages: 4,
    commitCommitLogLeastPages: 4,
    flushLeastPagesWhenWarmMapedFile: 4096,
    flushCommitLogThoroughInterval: 10_000,
    commitCommitLogThoroughInterval: 200,
    maxMsgsNumBatch: 64,
    messageIndexSafe: false,
    flushDelayOffsetInterval: 10_000,
    cleanFileForciblyEnable: true,
    warmMapedFileEnable: false,
    debugLockEnable: false,
    duplicationEnable: false,
    diskFallRecorded: true,
    defaultQueryMaxNum: 32,
    transientStorePoolEnable: false,
    transientStorePoolSize: 5,
    fastFailIfNoBufferInStorePool: false,
    enableDLegerCommitLog: false,
  };
}

export type JavaOnlyStoreConfig = ReturnType<typeof javaOnlyStoreConfig>;
