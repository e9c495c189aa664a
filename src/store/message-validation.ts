// Size checks before anything is written (Java DefaultMessageStore.putMessage and
// CommitLog.DefaultAppendMessageCallback.doAppend):
//
//   topic empty, > 127 UTF-8 bytes, or not a valid directory name -> MESSAGE_ILLEGAL
//   properties > 32767 UTF-8 bytes          -> PROPERTIES_SIZE_EXCEEDED
//   whole record (or batch) > maxMessageSize -> MESSAGE_ILLEGAL (Java MESSAGE_SIZE_EXCEEDED)
//   record (or batch) + 8 > segment size    -> MESSAGE_ILLEGAL (it could never be stored)
import { MAX_PROPERTIES_BYTES, MAX_TOPIC_BYTES, messageRecordSize } from '../codec/message/message-record-layout';
import { MessageConst, findMessageProperty } from '../codec/message/message-properties';
import { withHostFlags } from '../codec/message/message-sys-flag';
import { isIpv6Host } from '../codec/message/host-address';
import type { BatchToStore, MessageToStore } from './dispatch-request';
import type { MessageStoreConfig } from './message-store-config';
import { PutMessageStatus } from './put-message-status';

export interface MessageSizes {
  topicSizeBytes: number;
  propertiesSizeBytes: number;
  recordSizeBytes: number;
}

export interface BatchSizes {
  topicSizeBytes: number;
  propertiesSizeBytes: number[];
  totalSizeBytes: number;
}

type Rejection = PutMessageStatus.MESSAGE_ILLEGAL | PutMessageStatus.PROPERTIES_SIZE_EXCEEDED;

function fitsLimits(totalSizeBytes: number, config: MessageStoreConfig): boolean {
  return totalSizeBytes <= config.maxMessageSize && totalSizeBytes + 8 <= config.mappedFileSizeCommitLog;
}

/**
 * The topic's UTF-8 length, or -1 when it is empty, too long, or could not be a directory name
 * under consumequeue/ (the broker's TopicValidator is stricter; this keeps the store safe alone).
 */
function validTopic(topic: string): number {
  const topicSizeBytes = Buffer.byteLength(topic, 'utf8');
  if (topic.length === 0 || topicSizeBytes > MAX_TOPIC_BYTES) return -1;
  if (topic === '.' || topic === '..' || /[/\\\u0000]/.test(topic)) return -1;
  return topicSizeBytes;
}

export function validateMessage(msg: MessageToStore, config: MessageStoreConfig): MessageSizes | Rejection {
  const topicSizeBytes = validTopic(msg.topic);
  if (topicSizeBytes < 0) return PutMessageStatus.MESSAGE_ILLEGAL;
  const propertiesSizeBytes = Buffer.byteLength(msg.propertiesString, 'utf8');
  if (propertiesSizeBytes > MAX_PROPERTIES_BYTES) return PutMessageStatus.PROPERTIES_SIZE_EXCEEDED;
  const sysFlag = withHostFlags(msg.sysFlag, isIpv6Host(msg.bornHost), isIpv6Host(msg.storeHost));
  const recordSizeBytes = messageRecordSize(sysFlag, msg.body.length, topicSizeBytes, propertiesSizeBytes);
  if (!fitsLimits(recordSizeBytes, config)) return PutMessageStatus.MESSAGE_ILLEGAL;
  return { topicSizeBytes, propertiesSizeBytes, recordSizeBytes };
}

export function validateBatch(batch: BatchToStore, config: MessageStoreConfig): BatchSizes | Rejection {
  const topicSizeBytes = validTopic(batch.topic);
  if (topicSizeBytes < 0 || batch.elements.length === 0) return PutMessageStatus.MESSAGE_ILLEGAL;
  const sysFlag = withHostFlags(batch.sysFlag, isIpv6Host(batch.bornHost), isIpv6Host(batch.storeHost));
  const propertiesSizeBytes: number[] = [];
  let totalSizeBytes = 0;
  for (const element of batch.elements) {
    const sizeBytes = Buffer.byteLength(element.propertiesString, 'utf8');
    if (sizeBytes > MAX_PROPERTIES_BYTES) return PutMessageStatus.PROPERTIES_SIZE_EXCEEDED;
    propertiesSizeBytes.push(sizeBytes);
    totalSizeBytes += messageRecordSize(sysFlag, element.body.length, topicSizeBytes, sizeBytes);
  }
  if (!fitsLimits(totalSizeBytes, config)) return PutMessageStatus.MESSAGE_ILLEGAL;
  return { topicSizeBytes, propertiesSizeBytes, totalSizeBytes };
}

/** Java Message.isWaitStoreMsgOK: absent or "true" (any case). */
export function isWaitStoreMsgOk(propertiesString: string): boolean {
  const value = findMessageProperty(propertiesString, MessageConst.PROPERTY_WAIT_STORE_MSG_OK);
  return value === undefined || value.toLowerCase() === 'true';
}
