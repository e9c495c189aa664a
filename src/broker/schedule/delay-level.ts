// Delay levels (messageDelayLevel "1s 5s 10s 30s 1m … 2h"): a message whose DELAY property is a
// level > 0 is parked in SCHEDULE_TOPIC_XXXX, queue level − 1, with its real topic and queue in
// REAL_TOPIC / REAL_QID, and re-put to them when due (CommitLog.putMessage in Java 4.7.1).
// Levels above the highest are clamped to it. Prepared and rollback transaction records are never
// delayed.
import { decodeMessageProperties, encodeMessageProperties, MessageConst } from '../../codec/message/message-properties';
import { getTransactionValue, MessageSysFlag } from '../../codec/message/message-sys-flag';
import { TopicValidator } from '../topic-validator';

export interface DelayTarget {
  topic: string;
  queueId: number;
  propertiesString: string;
  sysFlag: number;
}

/** Rewrites a message with a DELAY level to its schedule queue; returns it unchanged otherwise. */
export function applyDelayLevel<T extends DelayTarget>(message: T, maxDelayLevel: number): T {
  const transaction = getTransactionValue(message.sysFlag);
  if (transaction !== MessageSysFlag.TRANSACTION_NOT_TYPE && transaction !== MessageSysFlag.TRANSACTION_COMMIT_TYPE)
    return message;
  if (!message.propertiesString.includes(MessageConst.PROPERTY_DELAY_TIME_LEVEL)) return message;
  const properties = decodeMessageProperties(message.propertiesString);
  const level = Number(properties.get(MessageConst.PROPERTY_DELAY_TIME_LEVEL));
  if (!Number.isInteger(level) || level <= 0) return message;
  const clamped = Math.min(level, maxDelayLevel);
  properties.set(MessageConst.PROPERTY_DELAY_TIME_LEVEL, String(clamped));
  properties.set(MessageConst.PROPERTY_REAL_TOPIC, message.topic);
  properties.set(MessageConst.PROPERTY_REAL_QUEUE_ID, String(message.queueId));
  return {
    ...message,
    topic: TopicValidator.SCHEDULE_TOPIC,
    queueId: clamped - 1,
    propertiesString: encodeMessageProperties(properties),
  };
}
