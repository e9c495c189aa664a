// The filter a pull applies while scanning a queue (Java ExpressionMessageFilter and, with
// filterSupportRetry, ExpressionForRetryMessageFilter), in the store's MessageFilter shape:
//
//   TAG subscription     the consume-queue tagsCode must be in the subscription's codeSet
//                        ("*" and class-filter mode match everything)
//   SQL92 subscription   every unit passes the first stage; each stored record is then matched by
//                        evaluating the compiled expression on its properties (TAGS, KEYS, user
//                        properties…): only a true result matches; unknown (null) or an evaluation
//                        error does not
//   %RETRY% topic        with filterSupportRetry, a retried message is matched by the SQL92 filter
//                        of its original topic (property RETRY_TOPIC) for the group
import { MessageConst, findMessageProperty } from '../../codec/message/message-properties';
import { recordLayout, SYSFLAG_POSITION } from '../../codec/message/message-record-layout';
import type { MessageFilter } from '../../store/get-message';
import { type SubscriptionData, tagFilter } from '../subscription-data';
import { isRetryTopic, RETRY_GROUP_TOPIC_PREFIX } from '../topic-validator';
import { type ConsumerFilterData, type ConsumerFilterManager, isTagType } from './consumer-filter-manager';

/** The PROPERTIES string of a stored record (Java MessageDecoder.decodeProperties). */
export function recordPropertiesString(record: Buffer): string {
  const bodyLengthPosition = recordLayout(record.readInt32BE(SYSFLAG_POSITION)).bodyLengthPosition;
  const topicLengthPosition = bodyLengthPosition + 4 + record.readInt32BE(bodyLengthPosition);
  const propertiesLengthPosition = topicLengthPosition + 1 + record.readInt8(topicLengthPosition);
  const start = propertiesLengthPosition + 2;
  return record.toString('utf8', start, start + record.readInt16BE(propertiesLengthPosition));
}

function matchesSql(data: ConsumerFilterData | undefined, propertiesString: string): boolean {
  if (data === undefined) return true;
  return data.compiled.matches((name) => findMessageProperty(propertiesString, name));
}

export interface MessageFilterOptions {
  filterSupportRetry: boolean;
  consumerFilterManager: ConsumerFilterManager;
}

/** undefined when nothing is filtered on the broker. */
export function buildMessageFilter(
  subscription: SubscriptionData,
  filterData: ConsumerFilterData | undefined,
  options: MessageFilterOptions,
): MessageFilter | undefined {
  if (subscription.classFilterMode) return undefined;
  const retry = options.filterSupportRetry && isRetryTopic(subscription.topic);
  const tags = isTagType(subscription.expressionType) ? tagFilter(subscription) : undefined;
  if (!retry && (isTagType(subscription.expressionType) || filterData === undefined)) return tags;
  const filter: MessageFilter = (tagsCode) => tags === undefined || tags(tagsCode);
  if (!retry) {
    filter.matchesRecord = (record) => matchesSql(filterData, recordPropertiesString(record));
    return filter;
  }
  const group = subscription.topic.slice(RETRY_GROUP_TOPIC_PREFIX.length);
  filter.matchesRecord = (record) => {
    const propertiesString = recordPropertiesString(record);
    const realTopic = findMessageProperty(propertiesString, MessageConst.PROPERTY_RETRY_TOPIC);
    const data = realTopic === undefined ? filterData : options.consumerFilterManager.get(realTopic, group);
    return matchesSql(data, propertiesString);
  };
  return filter;
}
