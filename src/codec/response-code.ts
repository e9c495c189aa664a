// Response codes: org.apache.rocketmq.common.protocol.ResponseCode plus RemotingSysResponseCode (4.7.1).
// The right-hand comment says what the 4.7.1 client does when it receives the code.
export const ResponseCode = {
  SUCCESS: 0,
  SYSTEM_ERROR: 1, // send: retried by producer (sync: up to 1+retryTimesWhenSendFailed=3 attempts)
  SYSTEM_BUSY: 2, // not retried by producer
  REQUEST_CODE_NOT_SUPPORTED: 3,
  TRANSACTION_FAILED: 4,
  FLUSH_DISK_TIMEOUT: 10, // send → SendStatus.FLUSH_DISK_TIMEOUT (message IS stored; header must be comple
  SLAVE_NOT_AVAILABLE: 11, // send → SendStatus.SLAVE_NOT_AVAILABLE (stored; header complete)
  FLUSH_SLAVE_TIMEOUT: 12, // send → SendStatus.FLUSH_SLAVE_TIMEOUT (stored; header complete)
  MESSAGE_ILLEGAL: 13, // send: thrown (not retried)
  SERVICE_NOT_AVAILABLE: 14, // send: retried
  VERSION_NOT_SUPPORTED: 15,
  NO_PERMISSION: 16, // send: retried
  TOPIC_NOT_EXIST: 17, // NS route lookup: "topic unknown" (client then tries TBW102 route for producers);
  TOPIC_EXIST_ALREADY: 18,
  PULL_NOT_FOUND: 19, // pull → PullStatus.NO_NEW_MSG
  PULL_RETRY_IMMEDIATELY: 20, // pull → PullStatus.NO_MATCHED_MSG
  PULL_OFFSET_MOVED: 21, // pull → PullStatus.OFFSET_ILLEGAL (push consumer: set nextBeginOffset, drop pro
  QUERY_NOT_FOUND: 22, // QUERY_CONSUMER_OFFSET "no offset yet" → client offset −1; QUERY_MESSAGE none
  SUBSCRIPTION_PARSE_FAILED: 23, // pull error
  SUBSCRIPTION_NOT_EXIST: 24, // pull error (no heartbeat subscription for group/topic)
  SUBSCRIPTION_NOT_LATEST: 25, // pull error (heartbeat subVersion < request subVersion)
  SUBSCRIPTION_GROUP_NOT_EXIST: 26, // pull / send-back error (only when autoCreateSubscriptionGroup=false)
  FILTER_DATA_NOT_EXIST: 27, // SQL92 pull
  FILTER_DATA_NOT_LATEST: 28, // SQL92 pull
  TRANSACTION_SHOULD_COMMIT: 200, // unused by 4.7.1
  TRANSACTION_SHOULD_ROLLBACK: 201, // unused
  TRANSACTION_STATE_UNKNOW: 202, // unused
  TRANSACTION_STATE_GROUP_WRONG: 203, // unused
  NO_BUYER_ID: 204, // send: retried
  NOT_IN_CURRENT_UNIT: 205, // send: retried
  CONSUMER_NOT_ONLINE: 206, // INVOKE_BROKER_TO_RESET_OFFSET → mqadmin falls back to the "old" reset (GET_CON
  CONSUME_MSG_TIMEOUT: 207, // broker→client call timed out
  NO_MESSAGE: 208, // client-side only (MQClientException)
  UPDATE_AND_CREATE_ACL_CONFIG_FAILED: 209,
  DELETE_ACL_CONFIG_FAILED: 210,
  UPDATE_GLOBAL_WHITE_ADDRS_CONFIG_FAILED: 211,
} as const;

export type ResponseCodeValue = (typeof ResponseCode)[keyof typeof ResponseCode];
