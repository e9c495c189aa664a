// Message search for the console: by topic and store-time range (a scan of each queue from the
// offset for the start time, bounded), by message id (an offsetMsgId of this broker, or else a
// UNIQ_KEY looked up in the index), and by key (the index, as QUERY_MESSAGE). Each hit is shown
// with its properties and a preview of the body as text, JSON and hex.
import {
  decodeMessageId,
  decodeMessageProperties,
  decodeMessageRecord,
  formatHostAddress,
  MessageConst,
  messagePropertiesToObject,
} from '../codec/message';
import type { MessageRecord } from '../codec/message/message-record';
import { createMessageId } from '../codec/message/message-id';
import type { BrokerContext } from '../broker/broker-context';
import { BadRequest } from './console-input';
import { topicKind } from './console-topics';

/** At most this many messages in one answer, and scanned per queue by a time-range search. */
export const MAX_RESULTS = 200;
const MAX_SCANNED_PER_QUEUE = 2000;
/** Records read by one time-range search over all queues (the reads run on the broker's event loop). */
const MAX_SCANNED_TOTAL = 20_000;
const BATCH_MSG_NUMS = 32;
const TEXT_PREVIEW_BYTES = 16 * 1024;
const HEX_PREVIEW_BYTES = 1024;
/** Topics tried for a UNIQ_KEY given without its topic. */
const MAX_TOPICS_FOR_ID = 256;

export interface MessageView {
  msgId: string;
  uniqKey: string;
  topic: string;
  queueId: number;
  queueOffset: number;
  physicalOffset: number;
  storeTimestampMs: number;
  bornTimestampMs: number;
  bornHost: string;
  storeHost: string;
  reconsumeTimes: number;
  tags: string;
  keys: string;
  properties: Record<string, string>;
  bodySizeBytes: number;
  bodyText: string;
  bodyJson: unknown;
  bodyHex: string;
}

function bodyJsonOf(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}

export function messageView(record: MessageRecord): MessageView {
  const properties = decodeMessageProperties(record.propertiesString);
  const text = record.body.subarray(0, TEXT_PREVIEW_BYTES).toString('utf8');
  return {
    msgId: createMessageId(record.storeHost, record.physicalOffset),
    uniqKey: properties.get(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX) ?? '',
    topic: record.topic,
    queueId: record.queueId,
    queueOffset: record.queueOffset,
    physicalOffset: record.physicalOffset,
    storeTimestampMs: record.storeTimestampMs,
    bornTimestampMs: record.bornTimestampMs,
    bornHost: formatHostAddress(record.bornHost),
    storeHost: formatHostAddress(record.storeHost),
    reconsumeTimes: record.reconsumeTimes,
    tags: properties.get(MessageConst.PROPERTY_TAGS) ?? '',
    keys: properties.get(MessageConst.PROPERTY_KEYS) ?? '',
    properties: messagePropertiesToObject(properties),
    bodySizeBytes: record.body.length,
    bodyText: text,
    bodyJson: record.body.length <= TEXT_PREVIEW_BYTES ? bodyJsonOf(text) : undefined,
    bodyHex: record.body.subarray(0, HEX_PREVIEW_BYTES).toString('hex'),
  };
}

export class MessagesView {
  constructor(private readonly broker: BrokerContext) {}

  private requireTopic(topic: string): number {
    const config = this.broker.topicConfigManager.selectTopicConfig(topic);
    if (config === undefined) throw new BadRequest(`topic ${topic} does not exist on this broker`, 404);
    return Math.max(config.readQueueNums, config.writeQueueNums);
  }

  /** Messages stored in [beginMs, endMs], newest first. */
  byTopicTime(topic: string, beginMs: number, endMs: number): { messages: MessageView[]; truncated: boolean } {
    const queueCount = this.requireTopic(topic);
    // only store time and offset per hit while scanning; the views are built for the newest MAX_RESULTS
    const found: { storeTimestampMs: number; physicalOffset: number }[] = [];
    let truncated = false;
    let scannedTotal = 0;
    for (let queueId = 0; queueId < queueCount; queueId++) {
      if (scannedTotal >= MAX_SCANNED_TOTAL) {
        truncated = true;
        break;
      }
      const store = this.broker.messageStore;
      let queueOffset = Math.max(
        store.getMinOffsetInQueue(topic, queueId),
        store.getOffsetInQueueByTime(topic, queueId, beginMs),
      );
      const maxOffset = store.getMaxOffsetInQueue(topic, queueId);
      let scanned = 0;
      scan: while (queueOffset < maxOffset && scanned < MAX_SCANNED_PER_QUEUE) {
        const result = store.getMessage('console', topic, queueId, queueOffset, BATCH_MSG_NUMS);
        if (result.messageBuffers.length === 0) break;
        for (const buffer of result.messageBuffers) {
          const { record } = decodeMessageRecord(buffer, 0);
          scanned++;
          if (record.storeTimestampMs > endMs) break scan;
          if (record.storeTimestampMs >= beginMs)
            found.push({ storeTimestampMs: record.storeTimestampMs, physicalOffset: record.physicalOffset });
        }
        if (result.nextBeginOffset <= queueOffset) break;
        queueOffset = result.nextBeginOffset;
      }
      if (scanned >= MAX_SCANNED_PER_QUEUE) truncated = true;
      scannedTotal += scanned;
    }
    found.sort((a, b) => b.storeTimestampMs - a.storeTimestampMs || b.physicalOffset - a.physicalOffset);
    if (found.length > MAX_RESULTS) truncated = true;
    const messages: MessageView[] = [];
    for (const { physicalOffset } of found.slice(0, MAX_RESULTS)) {
      const stored = this.broker.messageStore.lookMessageByOffset(physicalOffset);
      if (stored !== null) messages.push(messageView(decodeMessageRecord(stored, 0).record));
    }
    return { messages, truncated };
  }

  byKey(topic: string, key: string): MessageView[] {
    this.requireTopic(topic);
    const result = this.broker.messageStore.queryMessage(topic, key, MAX_RESULTS, 0, Date.now() + 60_000);
    return result.messageBuffers.map((buffer) => messageView(decodeMessageRecord(buffer, 0).record));
  }

  /** The record for an offsetMsgId of this broker, or null. */
  recordByOffsetMsgId(msgId: string): MessageRecord | null {
    const id = decodeMessageId(msgId);
    const own = this.broker.storeHost;
    if (id === null || id.storeHost.port !== own.port || !id.storeHost.address.equals(own.address)) return null;
    if (
      id.physicalOffset < this.broker.messageStore.getMinPhyOffset() ||
      id.physicalOffset >= this.broker.messageStore.getMaxPhyOffset()
    )
      return null;
    try {
      const stored = this.broker.messageStore.lookMessageByOffset(id.physicalOffset);
      if (stored === null) return null;
      const { record } = decodeMessageRecord(stored, 0);
      return record.physicalOffset === id.physicalOffset ? record : null;
    } catch {
      return null;
    }
  }

  /** By offsetMsgId, else by UNIQ_KEY in `topic` (or in every topic when none is given). */
  byId(msgId: string, topic: string): MessageView[] {
    const record = this.recordByOffsetMsgId(msgId);
    if (record !== null) return [messageView(record)];
    const topics =
      topic !== ''
        ? [topic]
        : [...this.broker.topicConfigManager.topicConfigTable.keys()].filter(
            (name) => topicKind(this.broker, name) !== 'SYSTEM',
          );
    const views: MessageView[] = [];
    for (const each of topics.slice(0, MAX_TOPICS_FOR_ID)) {
      if (this.broker.topicConfigManager.selectTopicConfig(each) === undefined) continue;
      for (const view of this.byKey(each, msgId)) if (view.uniqKey === msgId) views.push(view);
    }
    return views;
  }
}
