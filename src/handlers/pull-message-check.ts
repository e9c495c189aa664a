// The checks of a pull before the store is read (Java PullMessageProcessor.processRequest, in its
// order): the broker readable, the group (auto-created when allowed), the topic and queue id, and the
// subscription — from the request, or from the group's latest heartbeat — with its SQL92 filter data.
// A failed check is an Outcome (code and remark); the pull answers it as it is.
import type { PullMessageRequestHeader } from '../codec/headers/pull-message-request-header';
import { PullSysFlag } from '../codec/headers/pull-message-request-header';
import { ResponseCode } from '../codec/response-code';
import type { BrokerContext } from '../broker/broker-context';
import { buildConsumerFilterData, type ConsumerFilterData, isTagType } from '../broker/filter/consumer-filter-manager';
import { groupNameProblem } from '../broker/name-validator';
import { isReadable } from '../broker/perm-name';
import { buildSubscriptionData, type SubscriptionData } from '../broker/subscription-data';
import type { SubscriptionGroupConfig } from '../broker/subscription-group-manager';

export type Outcome = { code: number; remark: string };
/** The subscription a pull is served with, and its compiled SQL92 expression if it has one. */
type Subscribed = { subscription: SubscriptionData; filterData: ConsumerFilterData | undefined };
/** A pull that passed the checks: its subscription and its group's settings. */
export type Checked = Subscribed & { groupConfig: SubscriptionGroupConfig };

export function checkPull(broker: BrokerContext, header: PullMessageRequestHeader): Outcome | Checked {
  if (!isReadable(broker.brokerConfig.brokerPermission)) {
    return {
      code: ResponseCode.NO_PERMISSION,
      remark: `the broker[${broker.brokerConfig.brokerIP1}] pulling message is forbidden`,
    };
  }
  // A group is auto-created and persisted below: one no client could send is refused first.
  const groupProblem = groupNameProblem('consumerGroup', header.consumerGroup);
  if (groupProblem !== undefined) return { code: ResponseCode.SYSTEM_ERROR, remark: groupProblem };
  const groupConfig = broker.subscriptionGroupManager.findSubscriptionGroupConfig(header.consumerGroup);
  if (groupConfig === undefined) {
    const limit = broker.brokerConfig.autoCreateSubscriptionGroup
      ? broker.subscriptionGroupManager.creationLimitProblem(header.consumerGroup)
      : undefined;
    if (limit !== undefined) return { code: ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, remark: limit };
    return {
      code: ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST,
      remark: `subscription group [${header.consumerGroup}] does not exist, http://rocketmq.apache.org/docs/faq/`,
    };
  }
  if (!groupConfig.consumeEnable)
    return { code: ResponseCode.NO_PERMISSION, remark: `subscription group no permission, ${header.consumerGroup}` };
  const topicConfig = broker.topicConfigManager.selectTopicConfig(header.topic);
  if (topicConfig === undefined) {
    return {
      code: ResponseCode.TOPIC_NOT_EXIST,
      remark: `topic[${header.topic}] not exist, apply first please! http://rocketmq.apache.org/docs/faq/`,
    };
  }
  if (!isReadable(topicConfig.perm))
    return { code: ResponseCode.NO_PERMISSION, remark: `the topic[${header.topic}] pulling message is forbidden` };
  if (header.queueId < 0 || header.queueId >= topicConfig.readQueueNums) {
    return {
      code: ResponseCode.SYSTEM_ERROR,
      remark:
        `queueId[${header.queueId}] is illegal, topic:[${header.topic}] ` +
        `topicConfig.readQueueNums:[${topicConfig.readQueueNums}] consumer:[${header.consumerGroup}]`,
    };
  }
  const subscribed = subscriptionFor(broker, header, groupConfig.consumeBroadcastEnable);
  return 'code' in subscribed ? subscribed : { ...subscribed, groupConfig };
}

/**
 * Java's order: the subscription (from the request or the latest heartbeat), its SQL92 filter
 * data, and only then the refusal of non-TAG filtering when enablePropertyFilter is off.
 */
function subscriptionFor(
  broker: BrokerContext,
  header: PullMessageRequestHeader,
  consumeBroadcastEnable: boolean,
): Outcome | Subscribed {
  const fromRequest = (header.sysFlag & PullSysFlag.SUBSCRIPTION) !== 0;
  const subscribed = fromRequest
    ? subscriptionFromRequest(header)
    : subscriptionFromHeartbeat(broker, header, consumeBroadcastEnable);
  if ('code' in subscribed) return subscribed;
  const expressionType = subscribed.subscription.expressionType;
  if (!isTagType(expressionType) && !broker.brokerConfig.enablePropertyFilter) {
    return {
      code: ResponseCode.SYSTEM_ERROR,
      remark: `The broker does not support consumer to filter message by ${expressionType}`,
    };
  }
  if (fromRequest && !isTagType(expressionType) && subscribed.filterData === undefined) {
    // Java would serve this pull unfiltered; a clear error is what the issue asks for.
    return { code: ResponseCode.SUBSCRIPTION_PARSE_FAILED, remark: "parse the consumer's subscription failed" };
  }
  return subscribed;
}

function subscriptionFromRequest(header: PullMessageRequestHeader): Outcome | Subscribed {
  const expressionType = header.expressionType ?? 'TAG';
  if (!isTagType(expressionType) && (header.subscription === undefined || header.subscription === '')) {
    return { code: ResponseCode.SUBSCRIPTION_PARSE_FAILED, remark: "parse the consumer's subscription failed" };
  }
  const subscription = buildSubscriptionData(header.topic, header.subscription, expressionType, header.subVersion);
  if (isTagType(expressionType)) return { subscription, filterData: undefined };
  const filterData = buildConsumerFilterData(
    header.topic,
    header.consumerGroup,
    subscription.subString,
    expressionType,
    header.subVersion,
  );
  return { subscription, filterData };
}

function subscriptionFromHeartbeat(
  broker: BrokerContext,
  header: PullMessageRequestHeader,
  consumeBroadcastEnable: boolean,
): Outcome | Subscribed {
  const group = broker.consumerManager.getConsumerGroupInfo(header.consumerGroup);
  if (group === undefined)
    return {
      code: ResponseCode.SUBSCRIPTION_NOT_EXIST,
      remark: `the consumer's group info not exist, group: ${header.consumerGroup}`,
    };
  if (!consumeBroadcastEnable && group.messageModel === 'BROADCASTING') {
    return {
      code: ResponseCode.NO_PERMISSION,
      remark: `the consumer group[${header.consumerGroup}] can not consume by broadcast way`,
    };
  }
  const subscription = group.findSubscriptionData(header.topic);
  if (subscription === undefined)
    return {
      code: ResponseCode.SUBSCRIPTION_NOT_EXIST,
      remark: `the consumer's subscription not exist, group: ${header.consumerGroup}`,
    };
  if (subscription.subVersion < header.subVersion) {
    return {
      code: ResponseCode.SUBSCRIPTION_NOT_LATEST,
      remark: `the consumer's subscription not latest, group: ${header.consumerGroup}`,
    };
  }
  if (isTagType(subscription.expressionType)) return { subscription, filterData: undefined };
  const filterData = broker.consumerFilterManager.get(header.topic, header.consumerGroup);
  if (filterData === undefined) {
    return {
      code: ResponseCode.FILTER_DATA_NOT_EXIST,
      remark: "The broker's consumer filter data is not exist!Your expression may be wrong!",
    };
  }
  if (filterData.clientVersion < header.subVersion) {
    return { code: ResponseCode.FILTER_DATA_NOT_LATEST, remark: "the consumer's consumer filter data not latest" };
  }
  return { subscription, filterData };
}
