// Writes of the messages page: a test message sent to a topic, and a stored message (from any
// topic, the DLQ included) resent to a consumer group. A resend stores a copy in %RETRY%<group>
// (created as CONSUMER_SEND_MSG_BACK creates it), which every member of the group pulls, with
// RETRY_TOPIC naming the original topic so the client hands it to its listener under that topic,
// ORIGIN_MESSAGE_ID naming the stored original and reconsumeTimes back at 0.
import crypto from 'node:crypto';
import { encodeMessageProperties, decodeMessageProperties, MessageConst, bytesToHexUpper } from '../codec/message';
import type { BrokerContext } from '../broker/broker-context';
import { messageFromRecord } from '../broker/message-from-record';
import { groupNameProblem } from '../broker/name-validator';
import { isWriteable, PermName } from '../broker/perm-name';
import { tagsCodeOf } from '../broker/tags-code';
import { retryTopic } from '../broker/topic-validator';
import { createMessageId } from '../codec/message/message-id';
import type { MessageToStore } from '../store/dispatch-request';
import { PutMessageStatus } from '../store/put-message-status';
import { BadRequest, stringField } from './console-input';
import type { MessagesView } from './console-messages';

/** Largest test message body (the broker's own maxMessageSize still applies). */
export const MAX_TEST_BODY_CHARS = 64 * 1024;

let uniqCounter = 0;
const uniqPrefix = crypto.randomBytes(6);

/** A UNIQ_KEY in Java's MessageClientIDSetter layout: ip(4) pid-ish(2)+random(4), ms since month start(4), counter(2). */
export function newUniqKey(ipv4: Buffer, nowMs = Date.now()): string {
  const now = new Date(nowMs);
  const bytes = Buffer.alloc(16);
  ipv4.copy(bytes, 0, 0, 4);
  uniqPrefix.copy(bytes, 4);
  bytes.writeUInt32BE(nowMs - new Date(now.getFullYear(), now.getMonth(), 1).getTime(), 10);
  bytes.writeUInt16BE(uniqCounter++ & 0xffff, 14);
  return bytesToHexUpper(bytes);
}

export interface SentMessage {
  msgId: string;
  uniqKey?: string;
  topic: string;
  queueId: number;
  queueOffset: number;
}

export class MessageWriter {
  private nextQueue = 0;

  constructor(
    private readonly broker: BrokerContext,
    private readonly messages: MessagesView,
  ) {}

  private async put(message: MessageToStore, internal: boolean): Promise<SentMessage> {
    if (!isWriteable(this.broker.brokerConfig.brokerPermission))
      throw new BadRequest('the broker is not writeable (brokerPermission)', 403);
    if (this.broker.messageStoreConfig.brokerRole === 'SLAVE')
      throw new BadRequest('a slave does not take messages', 403);
    const result = await this.broker.messageStore.putMessage({ ...message, brokerInternal: internal });
    const append = result.appendResult;
    if (result.status !== PutMessageStatus.PUT_OK || append === undefined)
      throw new BadRequest(`store answered ${result.status}`, 503);
    this.broker.brokerStatsManager.recordPut(message.topic, append);
    return { msgId: append.msgId, topic: message.topic, queueId: message.queueId, queueOffset: append.queueOffset };
  }

  async sendTest(input: Record<string, unknown>): Promise<SentMessage> {
    const topic = stringField(input, 'topic');
    const config = this.broker.topicConfigManager.selectTopicConfig(topic);
    if (config === undefined) throw new BadRequest(`topic ${topic} does not exist on this broker`, 404);
    if (!isWriteable(config.perm) || config.writeQueueNums <= 0)
      throw new BadRequest(`topic ${topic} is not writeable`, 403);
    const tags = stringField(input, 'tags', { optional: true, maxChars: 255 });
    const keys = stringField(input, 'keys', { optional: true, maxChars: 255 });
    const body = typeof input.body === 'string' ? input.body : '';
    if (body.length > MAX_TEST_BODY_CHARS)
      throw new BadRequest(`body is longer than ${MAX_TEST_BODY_CHARS} characters`);
    const uniqKey = newUniqKey(
      this.broker.storeHost.address.length === 4 ? this.broker.storeHost.address : Buffer.from([127, 0, 0, 1]),
    );
    const propertiesString = encodeMessageProperties({
      [MessageConst.PROPERTY_TAGS]: tags === '' ? undefined : tags,
      [MessageConst.PROPERTY_KEYS]: keys === '' ? undefined : keys,
      [MessageConst.PROPERTY_WAIT_STORE_MSG_OK]: 'true',
      [MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX]: uniqKey,
    });
    const queueId = this.nextQueue++ % config.writeQueueNums;
    const nowMs = Date.now();
    const message: MessageToStore = {
      topic,
      queueId,
      flag: 0,
      body: Buffer.from(body, 'utf8'),
      propertiesString,
      tagsCode: tagsCodeOf(propertiesString),
      sysFlag: 0,
      bornTimestampMs: nowMs,
      bornHost: this.broker.storeHost,
      storeHost: this.broker.storeHost,
      reconsumeTimes: 0,
      preparedTransactionOffset: 0,
    };
    return { ...(await this.put(message, false)), uniqKey };
  }

  async resend(input: Record<string, unknown>): Promise<SentMessage> {
    const msgId = stringField(input, 'msgId');
    const group = stringField(input, 'group');
    const problem = groupNameProblem('group', group);
    if (problem !== undefined) throw new BadRequest(problem);
    // not findSubscriptionGroupConfig: that would create any group named here (autoCreateSubscriptionGroup)
    const groupConfig = this.broker.subscriptionGroupManager.subscriptionGroupTable.get(group);
    if (groupConfig === undefined) throw new BadRequest(`subscription group ${group} does not exist`, 404);
    const record = this.messages.recordByOffsetMsgId(msgId);
    if (record === null) throw new BadRequest(`no message ${msgId} on this broker (give its offsetMsgId)`, 404);
    const properties = decodeMessageProperties(record.propertiesString);
    if (!properties.has(MessageConst.PROPERTY_RETRY_TOPIC))
      properties.set(MessageConst.PROPERTY_RETRY_TOPIC, record.topic);
    properties.delete(MessageConst.PROPERTY_DELAY_TIME_LEVEL);
    properties.set(
      MessageConst.PROPERTY_ORIGIN_MESSAGE_ID,
      properties.get(MessageConst.PROPERTY_ORIGIN_MESSAGE_ID) ??
        createMessageId(record.storeHost, record.physicalOffset),
    );
    const knownTopics = this.broker.topicConfigManager.topicConfigTable.size;
    const retryQueueNums = Math.max(1, groupConfig.retryQueueNums);
    const topic = retryTopic(group);
    this.broker.topicConfigManager.createTopicIfAbsent(topic, retryQueueNums, PermName.PERM_READ | PermName.PERM_WRITE);
    if (this.broker.topicConfigManager.topicConfigTable.size !== knownTopics) await this.broker.registerBrokerAll();
    const message = messageFromRecord(record, {
      topic,
      queueId: Math.floor(Math.random() * retryQueueNums),
      propertiesString: encodeMessageProperties(properties),
      storeHost: this.broker.storeHost,
      reconsumeTimes: 0,
    });
    return this.put(message, true);
  }
}
