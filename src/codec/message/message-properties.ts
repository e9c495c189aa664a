// The PROPERTIES string of a message (Java MessageDecoder.messageProperties2String /
// string2messageProperties):
//
//   properties = *( name %x01 value %x02 )
//
// Encoding writes every entry with its trailing %x02. Decoding splits on %x02, then each item on
// %x01, and keeps only items with exactly two parts (so empty items, empty values and values
// containing %x01 are dropped, as in Java). Clients from 4.9 on write the last entry without its
// %x02, so nothing may assume a client's string ends with one: extend it with `putMessageProperty`
// (put-message-property.ts).

export const NAME_VALUE_SEPARATOR = '\u0001';
export const PROPERTY_SEPARATOR = '\u0002';

/** Property keys (Java org.apache.rocketmq.common.message.MessageConst). */
export const MessageConst = {
  PROPERTY_KEYS: 'KEYS',
  PROPERTY_TAGS: 'TAGS',
  PROPERTY_WAIT_STORE_MSG_OK: 'WAIT',
  PROPERTY_DELAY_TIME_LEVEL: 'DELAY',
  PROPERTY_RETRY_TOPIC: 'RETRY_TOPIC',
  PROPERTY_REAL_TOPIC: 'REAL_TOPIC',
  PROPERTY_REAL_QUEUE_ID: 'REAL_QID',
  PROPERTY_TRANSACTION_PREPARED: 'TRAN_MSG',
  PROPERTY_PRODUCER_GROUP: 'PGROUP',
  PROPERTY_MIN_OFFSET: 'MIN_OFFSET',
  PROPERTY_MAX_OFFSET: 'MAX_OFFSET',
  PROPERTY_BUYER_ID: 'BUYER_ID',
  PROPERTY_ORIGIN_MESSAGE_ID: 'ORIGIN_MESSAGE_ID',
  PROPERTY_TRANSFER_FLAG: 'TRANSFER_FLAG',
  PROPERTY_CORRECTION_FLAG: 'CORRECTION_FLAG',
  PROPERTY_MQ2_FLAG: 'MQ2_FLAG',
  PROPERTY_RECONSUME_TIME: 'RECONSUME_TIME',
  PROPERTY_MSG_REGION: 'MSG_REGION',
  PROPERTY_TRACE_SWITCH: 'TRACE_ON',
  PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX: 'UNIQ_KEY',
  PROPERTY_MAX_RECONSUME_TIMES: 'MAX_RECONSUME_TIMES',
  PROPERTY_CONSUME_START_TIMESTAMP: 'CONSUME_START_TIME',
  PROPERTY_TRANSACTION_PREPARED_QUEUE_OFFSET: 'TRAN_PREPARED_QUEUE_OFFSET',
  PROPERTY_TRANSACTION_CHECK_TIMES: 'TRANSACTION_CHECK_TIMES',
  PROPERTY_CHECK_IMMUNITY_TIME_IN_SECONDS: 'CHECK_IMMUNITY_TIME_IN_SECONDS',
  PROPERTY_INSTANCE_ID: 'INSTANCE_ID',
  PROPERTY_CORRELATION_ID: 'CORRELATION_ID',
  PROPERTY_MESSAGE_REPLY_TO_CLIENT: 'REPLY_TO_CLIENT',
  PROPERTY_MESSAGE_TTL: 'TTL',
  PROPERTY_REPLY_MESSAGE_ARRIVE_TIME: 'ARRIVE_TIME',
  PROPERTY_PUSH_REPLY_TIME: 'PUSH_REPLY_TIME',
  PROPERTY_CLUSTER: 'CLUSTER',
  PROPERTY_MESSAGE_TYPE: 'MSG_TYPE',
  /** Separator of the KEYS property value. */
  KEY_SEPARATOR: ' ',
} as const;

export type MessageProperties = Map<string, string>;

/**
 * Java String.split(separator): like JavaScript's split, but trailing empty strings are removed
 * (only matters for the item split; a name or value is never allowed to be empty).
 */
function javaSplit(text: string, separator: string): string[] {
  const parts = text.split(separator);
  let length = parts.length;
  while (length > 1 && parts[length - 1] === '') length--;
  parts.length = length;
  return parts;
}

/** Java string2messageProperties. */
export function decodeMessageProperties(text: string): MessageProperties {
  const properties: MessageProperties = new Map();
  if (text.length === 0) return properties;
  for (const item of text.split(PROPERTY_SEPARATOR)) {
    const parts = javaSplit(item, NAME_VALUE_SEPARATOR);
    if (parts.length === 2) properties.set(parts[0], parts[1]);
  }
  return properties;
}

/** Java messageProperties2String; entries with an undefined value are skipped. */
export function encodeMessageProperties(
  properties: ReadonlyMap<string, string | undefined> | Readonly<Record<string, string | undefined>>,
): string {
  const entries = properties instanceof Map ? properties.entries() : Object.entries(properties as object);
  let text = '';
  for (const [name, value] of entries as Iterable<[string, string | undefined]>) {
    if (value === undefined) continue;
    text += name + NAME_VALUE_SEPARATOR + value + PROPERTY_SEPARATOR;
  }
  return text;
}

/** A plain object view of the properties (handy for JSON and deep-equal tests). */
export function messagePropertiesToObject(properties: MessageProperties): Record<string, string> {
  return Object.fromEntries(properties);
}

/**
 * The value of one property read straight from the encoded string, without building a Map
 * (used on the store's hot path, e.g. WAIT and TAGS). Gives the same answer as
 * `decodeMessageProperties(text).get(name)`.
 */
export function findMessageProperty(text: string, name: string): string | undefined {
  let found: string | undefined;
  let itemStart = 0;
  while (itemStart < text.length) {
    let itemEnd = text.indexOf(PROPERTY_SEPARATOR, itemStart);
    if (itemEnd < 0) itemEnd = text.length;
    const nameEnd = itemStart + name.length;
    if (nameEnd < itemEnd && text.charCodeAt(nameEnd) === 1 && text.startsWith(name, itemStart)) {
      let valueEnd = itemEnd;
      while (valueEnd > nameEnd + 1 && text.charCodeAt(valueEnd - 1) === 1) valueEnd--;
      const value = text.slice(nameEnd + 1, valueEnd);
      if (value.length > 0 && !value.includes(NAME_VALUE_SEPARATOR)) found = value;
    }
    itemStart = itemEnd + 1;
  }
  return found;
}
