// MessageQueue as the 4.7.1 client and tools write it inside bodies (lock requests, reset-offset
// and consumer-status tables):  {"brokerName":"broker-a","queueId":0,"topic":"T"}
// As a plain object it is written as a Java bean (sorted keys), exactly as fastjson writes it, and
// it can be a key of a Map body (MessageQueue-keyed maps such as ResetOffsetBody.offsetTable).
import { asBean, intField, optionalStringField } from '../../codec/body/bean-fields';
import { CodecError } from '../../codec/codec-error';
import type { FastjsonValue } from '../../codec/fastjson-parse';

export interface MessageQueue {
  topic: string;
  brokerName: string;
  queueId: number;
}

export function messageQueue(topic: string, brokerName: string, queueId: number): MessageQueue {
  return { brokerName, queueId, topic };
}

/** A string identity for maps and sets (MessageQueue.equals: topic, brokerName, queueId). */
export function messageQueueKey(mq: MessageQueue): string {
  return `${mq.topic}\u0001${mq.brokerName}\u0001${mq.queueId}`;
}

export function messageQueueFromJson(value: FastjsonValue | undefined): MessageQueue {
  const bean = asBean(value ?? null, 'MessageQueue');
  const topic = optionalStringField(bean, 'topic', 'MessageQueue');
  const brokerName = optionalStringField(bean, 'brokerName', 'MessageQueue');
  if (topic === undefined || brokerName === undefined) throw new CodecError('MessageQueue without topic or brokerName');
  return messageQueue(topic, brokerName, intField(bean, 'queueId', 0, 'MessageQueue'));
}

/** A JSON array (Java Set<MessageQueue>) of queues; duplicates dropped. */
export function messageQueueSetFromJson(value: FastjsonValue | undefined, what: string): MessageQueue[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new CodecError(`${what} is not a JSON array`);
  const seen = new Map<string, MessageQueue>();
  for (const item of value) {
    if (item === null) continue;
    const mq = messageQueueFromJson(item);
    seen.set(messageQueueKey(mq), mq);
  }
  return [...seen.values()];
}
