// Beyond Java 4.7.1 (README "ACL"): codes that read or write a topic or a group and that 4.7.1's
// PlainAccessValidator lets through on a signature alone. A 4.7.1 client sends the same fields to
// both brokers; only an account without the permission sees a difference (SYSTEM_ERROR "No default
// permission for topic:<t>" / "group:<g>", the message Java uses for the codes it does check).
// Groups are checked as Java checks them: SUB on the group's retry topic.
import { parseFastjson } from '../../codec/fastjson-parse';
import type { RemotingCommand } from '../../codec/remoting-command';
import { RequestCode } from '../../codec/request-code';
import { Permission, retryTopic } from './permission';

const { PUB, SUB } = Permission;

/** Request code → [extField, is a group, permission] entries. */
const HEADER_RESOURCES: ReadonlyMap<number, readonly [string, boolean, number][]> = new Map<
  number,
  [string, boolean, number][]
>([
  [
    RequestCode.SEND_BATCH_MESSAGE,
    [
      ['b', false, PUB],
      ['topic', false, PUB],
    ],
  ],
  [RequestCode.SEND_REPLY_MESSAGE, [['topic', false, PUB]]],
  [
    RequestCode.SEND_REPLY_MESSAGE_V2,
    [
      ['b', false, PUB],
      ['topic', false, PUB],
    ],
  ],
  [
    RequestCode.LITE_PULL_MESSAGE,
    [
      ['topic', false, SUB],
      ['consumerGroup', true, SUB],
    ],
  ],
  [
    RequestCode.QUERY_CONSUMER_OFFSET,
    [
      ['topic', false, SUB],
      ['consumerGroup', true, SUB],
    ],
  ],
  [RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, [['topic', false, SUB]]],
  [RequestCode.GET_MAX_OFFSET, [['topic', false, SUB]]],
  [RequestCode.GET_MIN_OFFSET, [['topic', false, SUB]]],
  [RequestCode.GET_EARLIEST_MSG_STORETIME, [['topic', false, SUB]]],
  [RequestCode.GET_TOPIC_STATS_INFO, [['topic', false, SUB]]],
  [RequestCode.GET_CONSUMER_CONNECTION_LIST, [['consumerGroup', true, SUB]]],
  [
    RequestCode.GET_CONSUME_STATS,
    [
      ['topic', false, SUB],
      ['consumerGroup', true, SUB],
    ],
  ],
  [
    RequestCode.INVOKE_BROKER_TO_RESET_OFFSET,
    [
      ['topic', false, SUB],
      ['group', true, SUB],
    ],
  ],
  [
    RequestCode.INVOKE_BROKER_TO_GET_CONSUMER_STATUS,
    [
      ['topic', false, SUB],
      ['group', true, SUB],
    ],
  ],
  [RequestCode.QUERY_TOPIC_CONSUME_BY_WHO, [['topic', false, SUB]]],
  [
    RequestCode.QUERY_CONSUME_TIME_SPAN,
    [
      ['topic', false, SUB],
      ['group', true, SUB],
    ],
  ],
  [RequestCode.GET_CONSUMER_RUNNING_INFO, [['consumerGroup', true, SUB]]],
  [RequestCode.CONSUME_MESSAGE_DIRECTLY, [['consumerGroup', true, SUB]]],
  [
    RequestCode.CLONE_GROUP_OFFSET,
    [
      ['topic', false, SUB],
      ['srcGroup', true, SUB],
      ['destGroup', true, SUB],
    ],
  ],
  [
    RequestCode.QUERY_CONSUME_QUEUE,
    [
      ['topic', false, SUB],
      ['consumerGroup', true, SUB],
    ],
  ],
]);

/**
 * ACL admin codes that 4.7.1 lets any signed account send: rewriting plain_acl.yml (50, 51, 53) and
 * reading every account's secret (54) need `admin: true` here.
 */
export const BEYOND_JAVA_ADMIN_CODES: ReadonlySet<number> = new Set([
  RequestCode.UPDATE_AND_CREATE_ACL_CONFIG,
  RequestCode.DELETE_ACL_CONFIG,
  RequestCode.UPDATE_GLOBAL_WHITE_ADDRS_CONFIG,
  RequestCode.GET_BROKER_CLUSTER_ACL_CONFIG,
]);

/** LOCK_BATCH_MQ / UNLOCK_BATCH_MQ bodies: {"consumerGroup":g,"mqSet":[{"topic":t,…}],…}. */
function lockBodyResources(body: Buffer | undefined, add: (name: string | undefined, perm: number) => void): void {
  if (body === undefined || body.length === 0) return;
  const value = parseFastjson(body);
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Map) return;
  if (typeof value.consumerGroup === 'string') add(retryTopic(value.consumerGroup), SUB);
  for (const queue of Array.isArray(value.mqSet) ? value.mqSet : []) {
    if (
      queue !== null &&
      typeof queue === 'object' &&
      !Array.isArray(queue) &&
      !(queue instanceof Map) &&
      typeof queue.topic === 'string'
    )
      add(queue.topic, SUB);
  }
}

export function addBeyondJavaResources(
  request: RemotingCommand,
  add: (name: string | undefined, perm: number) => void,
): void {
  if (request.code === RequestCode.LOCK_BATCH_MQ || request.code === RequestCode.UNLOCK_BATCH_MQ) {
    lockBodyResources(request.body, add);
    return;
  }
  const fields = request.extFields ?? {};
  for (const [field, isGroup, perm] of HEADER_RESOURCES.get(request.code) ?? []) {
    const value = fields[field];
    if (value !== undefined) add(isGroup ? retryTopic(value) : value, perm);
  }
}
