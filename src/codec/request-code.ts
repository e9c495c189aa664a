// Request codes, named exactly as org.apache.rocketmq.common.protocol.RequestCode (4.7.1).
// The right-hand comment says who sends the code in a 4.7.1 deployment.
export const RequestCode = {
  SEND_MESSAGE: 10, // C→B (only if -Dorg.apache.rocketmq.client.sendSmartMsg=false)
  PULL_MESSAGE: 11, // C→B; mqadmin→B (queryMsgByOffset via DefaultMQPullConsumer)
  QUERY_MESSAGE: 12, // C→B (MQAdminImpl.queryMessage); mqadmin queryMsgByKey / queryMsgById
  QUERY_BROKER_OFFSET: 13, // unused
  QUERY_CONSUMER_OFFSET: 14, // C→B
  UPDATE_CONSUMER_OFFSET: 15, // C→B (sync persist every 5s; oneway variant exists); mqadmin→B (res
  UPDATE_AND_CREATE_TOPIC: 17, // C→B (MQAdminImpl.createTopic); mqadmin updateTopic
  GET_ALL_TOPIC_CONFIG: 21, // slave B→master B (SlaveSynchronize); mqadmin (getAllTopicGroup)
  GET_TOPIC_CONFIG_LIST: 22, // unused
  GET_TOPIC_NAME_LIST: 23, // unused
  UPDATE_BROKER_CONFIG: 25, // mqadmin updateBrokerConfig
  GET_BROKER_CONFIG: 26, // mqadmin getBrokerConfig
  TRIGGER_DELETE_FILES: 27, // unused
  GET_BROKER_RUNTIME_INFO: 28, // mqadmin clusterList, brokerStatus
  SEARCH_OFFSET_BY_TIMESTAMP: 29, // C→B (CONSUME_FROM_TIMESTAMP, MQAdminImpl.searchOffset); mqadmin
  GET_MAX_OFFSET: 30, // C→B (CONSUME_FROM_LAST_OFFSET first start); mqadmin
  GET_MIN_OFFSET: 31, // C→B (MQAdminImpl.minOffset); mqadmin
  GET_EARLIEST_MSG_STORETIME: 32, // C→B (MQAdminImpl); mqadmin
  VIEW_MESSAGE_BY_ID: 33, // C→B (MQAdminImpl.viewMessage); mqadmin queryMsgById
  HEART_BEAT: 34, // C→B (every 30 s, all brokers; producer-only clients → masters only
  UNREGISTER_CLIENT: 35, // C→B (shutdown)
  CONSUMER_SEND_MSG_BACK: 36, // C→B
  END_TRANSACTION: 37, // C→B (always ONEWAY)
  GET_CONSUMER_LIST_BY_GROUP: 38, // C→B (rebalance, every 20 s + on notify)
  CHECK_TRANSACTION_STATE: 39, // B→C (ONEWAY)
  NOTIFY_CONSUMER_IDS_CHANGED: 40, // B→C (ONEWAY)
  LOCK_BATCH_MQ: 41, // C→B (orderly consumer, every 20 s)
  UNLOCK_BATCH_MQ: 42, // C→B (sync, or ONEWAY at shutdown)
  GET_ALL_CONSUMER_OFFSET: 43, // slave B→master B
  GET_ALL_DELAY_OFFSET: 45, // slave B→master B
  CHECK_CLIENT_CONFIG: 46, // C→B (only for non-TAG, i.e. SQL92 subscriptions)
  UPDATE_AND_CREATE_ACL_CONFIG: 50, // mqadmin
  DELETE_ACL_CONFIG: 51, // mqadmin
  GET_BROKER_CLUSTER_ACL_INFO: 52, // mqadmin
  UPDATE_GLOBAL_WHITE_ADDRS_CONFIG: 53, // mqadmin
  GET_BROKER_CLUSTER_ACL_CONFIG: 54, // mqadmin
  PUT_KV_CONFIG: 100, // C/mqadmin→every NS (updateTopic -o / updateOrderConf)
  GET_KV_CONFIG: 101, // C/mqadmin→NS
  DELETE_KV_CONFIG: 102, // mqadmin→every NS
  REGISTER_BROKER: 103, // B→every NS (every 30 s + on topic change)
  UNREGISTER_BROKER: 104, // B→every NS (shutdown)
  GET_ROUTEINFO_BY_TOPIC: 105, // C→NS (every 30 s per topic); mqadmin topicRoute etc.
  GET_BROKER_CLUSTER_INFO: 106, // C/mqadmin→NS (clusterList, -c options)
  UPDATE_AND_CREATE_SUBSCRIPTIONGROUP: 200, // mqadmin updateSubGroup; MQClientAPIImpl.createSubscriptionGroup
  GET_ALL_SUBSCRIPTIONGROUP_CONFIG: 201, // slave B→master B; mqadmin
  GET_TOPIC_STATS_INFO: 202, // mqadmin topicStatus, resetOffsetByTimeOld
  GET_CONSUMER_CONNECTION_LIST: 203, // mqadmin consumerConnection, consumerProgress, queryMsgById
  GET_PRODUCER_CONNECTION_LIST: 204, // mqadmin producerConnection
  WIPE_WRITE_PERM_OF_BROKER: 205, // mqadmin wipeWritePerm→NS
  GET_ALL_TOPIC_LIST_FROM_NAMESERVER: 206, // mqadmin topicList / consumerProgress (no group)
  DELETE_SUBSCRIPTIONGROUP: 207, // mqadmin deleteSubGroup
  GET_CONSUME_STATS: 208, // mqadmin consumerProgress, queryMsgById(track)
  SUSPEND_CONSUMER: 209, // unused
  RESUME_CONSUMER: 210, // unused
  RESET_CONSUMER_OFFSET_IN_CONSUMER: 211, // unused
  RESET_CONSUMER_OFFSET_IN_BROKER: 212, // unused
  ADJUST_CONSUMER_THREAD_POOL: 213, // unused
  WHO_CONSUME_THE_MESSAGE: 214, // unused
  DELETE_TOPIC_IN_BROKER: 215, // mqadmin deleteTopic
  DELETE_TOPIC_IN_NAMESRV: 216, // mqadmin deleteTopic → every NS
  GET_KVLIST_BY_NAMESPACE: 219, // C/mqadmin→NS
  RESET_CONSUMER_CLIENT_OFFSET: 220, // B→C (ONEWAY, during INVOKE_BROKER_TO_RESET_OFFSET)
  GET_CONSUMER_STATUS_FROM_CLIENT: 221, // B→C (sync, 5 s; during INVOKE_BROKER_TO_GET_CONSUMER_STATUS)
  INVOKE_BROKER_TO_RESET_OFFSET: 222, // mqadmin resetOffsetByTime
  INVOKE_BROKER_TO_GET_CONSUMER_STATUS: 223, // mqadmin getConsumerStatus
  QUERY_TOPIC_CONSUME_BY_WHO: 300, // mqadmin topicList -c, queryMsgById(track)
  GET_TOPICS_BY_CLUSTER: 224, // mqadmin→NS
  REGISTER_FILTER_SERVER: 301, // filtersrv→B
  REGISTER_MESSAGE_FILTER_CLASS: 302, // C→filtersrv
  QUERY_CONSUME_TIME_SPAN: 303, // mqadmin
  GET_SYSTEM_TOPIC_LIST_FROM_NS: 304, // C/mqadmin→NS
  GET_SYSTEM_TOPIC_LIST_FROM_BROKER: 305, // C/mqadmin→B
  CLEAN_EXPIRED_CONSUMEQUEUE: 306, // mqadmin
  GET_CONSUMER_RUNNING_INFO: 307, // mqadmin→B, then B→C (forwarded, sync 10 s)
  QUERY_CORRECTION_OFFSET: 308, // mqadmin
  CONSUME_MESSAGE_DIRECTLY: 309, // mqadmin→B, then B→C (forwarded with message body, sync 10 s)
  SEND_MESSAGE_V2: 310, // C→B (default send path)
  GET_UNIT_TOPIC_LIST: 311, // C→NS
  GET_HAS_UNIT_SUB_TOPIC_LIST: 312, // C→NS
  GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST: 313, // C→NS
  CLONE_GROUP_OFFSET: 314, // mqadmin
  VIEW_BROKER_STATS_DATA: 315, // mqadmin
  CLEAN_UNUSED_TOPIC: 316, // mqadmin
  GET_BROKER_CONSUME_STATS: 317, // mqadmin (monitor)
  UPDATE_NAMESRV_CONFIG: 318, // mqadmin→NS
  GET_NAMESRV_CONFIG: 319, // mqadmin→NS
  SEND_BATCH_MESSAGE: 320, // C→B (send(Collection))
  QUERY_CONSUME_QUEUE: 321, // mqadmin queryCq
  QUERY_DATA_VERSION: 322, // B→NS (before each periodic register when forceRegister=false)
  RESUME_CHECK_HALF_MESSAGE: 323, // mqadmin
  SEND_REPLY_MESSAGE: 324, // C→B (request/reply, V1 header, only if sendSmartMsg=false)
  SEND_REPLY_MESSAGE_V2: 325, // C→B (request/reply reply message)
  PUSH_REPLY_MESSAGE_TO_CLIENT: 326, // B→C (sync 10 s)
  // Beyond 4.7.1: codes the 5.x remoting client sends that this broker serves as a 5.x broker does.
  LITE_PULL_MESSAGE: 361, // 5.x C→B (DefaultLitePullConsumer): a PULL_MESSAGE served by the same processor
} as const;

export type RequestCodeName = keyof typeof RequestCode;

const namesByCode = new Map<number, string>(Object.entries(RequestCode).map(([name, code]) => [code, name]));

/** The Java name of a request code, or `UNKNOWN(<code>)` for a code that 4.7.1 does not define. */
export function requestCodeName(code: number): string {
  return namesByCode.get(code) ?? `UNKNOWN(${code})`;
}
