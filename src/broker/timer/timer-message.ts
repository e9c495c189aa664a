// Timer messages (beyond Java 4.7.1): a message whose user properties ask for a delivery time is
// parked in the timer wheel (rmq_sys_wheel_timer) and put into its real topic and queue when due.
//
//   TIMER_DELIVER_MS      absolute epoch milliseconds            (RocketMQ 5.x name)
//   TIMER_DELAY_SEC       seconds after the broker received it   (RocketMQ 5.x name)
//   TIMER_DELAY_MS        milliseconds after the broker received it (RocketMQ 5.x name)
//   __STARTDELIVERTIME    absolute epoch milliseconds            (the widely used cloud name)
//
// The first of these present, in this order, decides; a value that is not an integer is ignored
// (as the Java 4.7.1 broker ignores all of them). A message also carrying a DELAY level follows the
// level, as on a Java broker. Due within TIMER_IMMEDIATE_MS (or in the past) means now. More than
// TIMER_MAX_DELAY_MS ahead is refused (MESSAGE_ILLEGAL).
//
// Parked: topic rmq_sys_wheel_timer, a queue chosen by placeTimer, properties + REAL_TOPIC,
// REAL_QID and TIMER_OUT_MS (the resolved delivery time). Delivered: REAL_TOPIC / REAL_QID, the
// four request properties removed (so a copy that is ever sent again is not delayed twice),
// TIMER_OUT_MS kept for the consumer, REAL_TOPIC / REAL_QID kept as after a Java delay level.
import {
  decodeMessageProperties,
  encodeMessageProperties,
  findMessageProperty,
  MessageConst,
} from '../../codec/message/message-properties';
import type { MessageRecord } from '../../codec/message/message-record';
import { getTransactionValue, MessageSysFlag } from '../../codec/message/message-sys-flag';
import type { MessageToStore } from '../../store/dispatch-request';
import { messageFromRecord } from '../message-from-record';
import { TIMER_MAX_DELAY_MS, TIMER_TOPIC, placeTimer } from './timer-wheel-layout';

export const TimerProperty = {
  TIMER_DELIVER_MS: 'TIMER_DELIVER_MS',
  TIMER_DELAY_SEC: 'TIMER_DELAY_SEC',
  TIMER_DELAY_MS: 'TIMER_DELAY_MS',
  START_DELIVER_TIME: '__STARTDELIVERTIME',
  /** Written by the broker: the resolved delivery time, epoch ms. */
  TIMER_OUT_MS: 'TIMER_OUT_MS',
} as const;

const REQUEST_KEYS = [
  TimerProperty.TIMER_DELIVER_MS,
  TimerProperty.TIMER_DELAY_SEC,
  TimerProperty.TIMER_DELAY_MS,
  TimerProperty.START_DELIVER_TIME,
];

/** Due this close (or earlier) is delivered at once instead of parked. */
export const TIMER_IMMEDIATE_MS = 3;

function integerOf(text: string | undefined): number | undefined {
  if (text === undefined || !/^\s*[+-]?\d{1,16}\s*$/.test(text)) return undefined;
  return Number(text);
}

/** The delivery time the properties ask for, or undefined when they ask for none. */
export function requestedDeliverMs(propertiesString: string, receivedMs: number): number | undefined {
  if (!propertiesString.includes('TIMER_') && !propertiesString.includes('__STARTDELIVERTIME')) return undefined;
  const at = integerOf(findMessageProperty(propertiesString, TimerProperty.TIMER_DELIVER_MS));
  if (at !== undefined) return at;
  const delaySec = integerOf(findMessageProperty(propertiesString, TimerProperty.TIMER_DELAY_SEC));
  if (delaySec !== undefined) return receivedMs + delaySec * 1000;
  const delayMs = integerOf(findMessageProperty(propertiesString, TimerProperty.TIMER_DELAY_MS));
  if (delayMs !== undefined) return receivedMs + delayMs;
  return integerOf(findMessageProperty(propertiesString, TimerProperty.START_DELIVER_TIME));
}

export type TimerDecision = { message: MessageToStore } | { illegal: string };

/**
 * The send-path hook: returns the message unchanged, rewritten for delivery now, or parked in the
 * wheel; or the reason it is refused. Must be followed, in the same tick, by the put.
 */
export function applyTimer(message: MessageToStore, nowMs: number): TimerDecision {
  const transaction = getTransactionValue(message.sysFlag);
  if (transaction !== MessageSysFlag.TRANSACTION_NOT_TYPE && transaction !== MessageSysFlag.TRANSACTION_COMMIT_TYPE)
    return { message };
  const deliverMs = requestedDeliverMs(message.propertiesString, nowMs);
  if (deliverMs === undefined) return { message };
  const level = Number(findMessageProperty(message.propertiesString, MessageConst.PROPERTY_DELAY_TIME_LEVEL) ?? 0);
  if (level > 0) return { message };
  if (deliverMs - nowMs > TIMER_MAX_DELAY_MS) {
    return {
      illegal: `the delivery time of a timer message must be within ${TIMER_MAX_DELAY_MS / 86_400_000} days, got ${deliverMs}`,
    };
  }
  const properties = decodeMessageProperties(message.propertiesString);
  properties.set(TimerProperty.TIMER_OUT_MS, String(deliverMs));
  const slot = deliverMs - nowMs <= TIMER_IMMEDIATE_MS ? null : placeTimer(deliverMs, nowMs);
  if (slot === null) {
    for (const key of REQUEST_KEYS) properties.delete(key);
    return { message: { ...message, propertiesString: encodeMessageProperties(properties) } };
  }
  properties.set(MessageConst.PROPERTY_REAL_TOPIC, message.topic);
  properties.set(MessageConst.PROPERTY_REAL_QUEUE_ID, String(message.queueId));
  return {
    message: {
      ...message,
      topic: TIMER_TOPIC,
      queueId: slot.queueId,
      propertiesString: encodeMessageProperties(properties),
    },
  };
}

/** TIMER_OUT_MS of a parked record; 0 (due long ago) when it has none. */
export function parkedDeliverMs(record: MessageRecord): number {
  return integerOf(findMessageProperty(record.propertiesString, TimerProperty.TIMER_OUT_MS)) ?? 0;
}

/** The parked record moved to another wheel queue (rolled down, or refreshed in place). */
export function reparkedMessage(record: MessageRecord, queueId: number): MessageToStore {
  return messageFromRecord(record, { topic: TIMER_TOPIC, queueId, propertiesString: record.propertiesString });
}

/** The parked record as delivered to its real topic; null when it does not say where. */
export function deliveredMessage(record: MessageRecord): MessageToStore | null {
  const properties = decodeMessageProperties(record.propertiesString);
  const topic = properties.get(MessageConst.PROPERTY_REAL_TOPIC);
  const queueId = Number(properties.get(MessageConst.PROPERTY_REAL_QUEUE_ID));
  if (topic === undefined || !Number.isInteger(queueId)) return null;
  for (const key of REQUEST_KEYS) properties.delete(key);
  properties.set(MessageConst.PROPERTY_WAIT_STORE_MSG_OK, 'false');
  return messageFromRecord(record, { topic, queueId, propertiesString: encodeMessageProperties(properties) });
}
