// Encode / decode of one stored message record (Java CommitLog.DefaultAppendMessageCallback and
// MessageDecoder.decode). The same bytes are the commit-log record, an element of a PULL response
// body, the VIEW/QUERY_MESSAGE body and the CHECK_TRANSACTION_STATE body.
//
//   record = TOTALSIZE:int32 MAGICCODE:int32 BODYCRC:int32 QUEUEID:int32 FLAG:int32
//            QUEUEOFFSET:int64 PHYSICALOFFSET:int64 SYSFLAG:int32 BORNTIMESTAMP:int64
//            BORNHOST:(4|16 bytes + int32 port) STORETIMESTAMP:int64
//            STOREHOST:(4|16 bytes + int32 port) RECONSUMETIMES:int32
//            PREPAREDTRANSACTIONOFFSET:int64
//            BODYLENGTH:int32 BODY:bytes TOPICLENGTH:int8 TOPIC:utf8 PROPERTIESLENGTH:int16 PROPERTIES:utf8
//
//   TOTALSIZE counts the whole record including itself. BODYCRC = crc32(BODY) & 0x7FFFFFFF.
//   BORNHOST is 16+4 bytes when SYSFLAG has 0x10, STOREHOST when it has 0x20 (see
//   message-record-layout.ts for positions). TOPICLENGTH is signed (topic <= 127 bytes) and
//   PROPERTIESLENGTH is signed (properties <= 32767 bytes).
import assert from 'node:assert';
import { messageBodyCrc } from './body-crc';
import { readInt64BE, writeInt64BE } from './buffer-int64';
import type { HostAddress } from './host-address';
import { MessageCodecError } from './message-codec-error';
import {
  BODYCRC_POSITION,
  BORNHOST_POSITION,
  BORNTIMESTAMP_POSITION,
  FLAG_POSITION,
  MAGICCODE_POSITION,
  MAX_PROPERTIES_BYTES,
  MAX_TOPIC_BYTES,
  MESSAGE_MAGIC_CODE,
  MIN_RECORD_SIZE_BYTES,
  PHYSICALOFFSET_POSITION,
  QUEUEID_POSITION,
  QUEUEOFFSET_POSITION,
  SYSFLAG_POSITION,
  TOTALSIZE_POSITION,
  messageRecordSize,
  recordLayout,
} from './message-record-layout';

/** One stored message, with the field names of the record. */
export interface MessageRecord {
  queueId: number;
  flag: number;
  queueOffset: number;
  physicalOffset: number;
  sysFlag: number;
  bornTimestampMs: number;
  bornHost: HostAddress;
  storeTimestampMs: number;
  storeHost: HostAddress;
  reconsumeTimes: number;
  preparedTransactionOffset: number;
  body: Buffer;
  topic: string;
  propertiesString: string;
}

/** The fields the append path knows before offsets and store time are assigned. */
export type MessageRecordContent = Omit<MessageRecord, 'queueOffset' | 'physicalOffset' | 'storeTimestampMs'>;

/** A decoded record plus the two fields the writer computes. */
export interface DecodedMessageRecord extends MessageRecord {
  magicCode: number;
  bodyCrc: number;
}

function writeHost(target: Buffer, host: HostAddress, position: number, sizeBytes: number): void {
  assert.strictEqual(host.address.length + 4, sizeBytes, 'host address length must match SYSFLAG');
  host.address.copy(target, position);
  target.writeInt32BE(host.port, position + host.address.length);
}

/**
 * Writes a complete record at `position` of `target` and returns its size. The caller passes the
 * UTF-8 byte lengths of topic and properties (it needs them anyway to size the record) and the
 * offsets and store time assigned by the store. `target` must have room for the whole record.
 */
export function writeMessageRecord(
  target: Buffer,
  position: number,
  content: MessageRecordContent,
  topicSizeBytes: number,
  propertiesSizeBytes: number,
  queueOffset: number,
  physicalOffset: number,
  storeTimestampMs: number,
): number {
  const { sysFlag, body } = content;
  const sizeBytes = messageRecordSize(sysFlag, body.length, topicSizeBytes, propertiesSizeBytes);
  assert.ok(topicSizeBytes <= MAX_TOPIC_BYTES && propertiesSizeBytes <= MAX_PROPERTIES_BYTES);
  assert.ok(position + sizeBytes <= target.length, 'record does not fit the target buffer');
  const layout = recordLayout(sysFlag);
  target.writeInt32BE(sizeBytes, position + TOTALSIZE_POSITION);
  target.writeInt32BE(MESSAGE_MAGIC_CODE, position + MAGICCODE_POSITION);
  target.writeInt32BE(messageBodyCrc(body), position + BODYCRC_POSITION);
  target.writeInt32BE(content.queueId, position + QUEUEID_POSITION);
  target.writeInt32BE(content.flag, position + FLAG_POSITION);
  writeInt64BE(target, queueOffset, position + QUEUEOFFSET_POSITION);
  writeInt64BE(target, physicalOffset, position + PHYSICALOFFSET_POSITION);
  target.writeInt32BE(sysFlag, position + SYSFLAG_POSITION);
  writeInt64BE(target, content.bornTimestampMs, position + BORNTIMESTAMP_POSITION);
  writeHost(target, content.bornHost, position + BORNHOST_POSITION, layout.bornHostSizeBytes);
  writeInt64BE(target, storeTimestampMs, position + layout.storeTimestampPosition);
  writeHost(target, content.storeHost, position + layout.storeHostPosition, layout.storeHostSizeBytes);
  target.writeInt32BE(content.reconsumeTimes, position + layout.reconsumeTimesPosition);
  writeInt64BE(target, content.preparedTransactionOffset, position + layout.preparedTransactionOffsetPosition);
  let cursor = position + layout.bodyLengthPosition;
  target.writeInt32BE(body.length, cursor);
  cursor += 4 + body.copy(target, cursor + 4);
  target.writeInt8(topicSizeBytes, cursor);
  cursor += 1 + target.write(content.topic, cursor + 1, topicSizeBytes, 'utf8');
  target.writeInt16BE(propertiesSizeBytes, cursor);
  cursor += 2 + target.write(content.propertiesString, cursor + 2, propertiesSizeBytes, 'utf8');
  assert.strictEqual(cursor - position, sizeBytes, 'record size mismatch after write');
  return sizeBytes;
}

/** Encodes a record into a new Buffer. Throws RangeError for an over-long topic or properties. */
export function encodeMessageRecord(record: MessageRecord): Buffer {
  const topicSizeBytes = Buffer.byteLength(record.topic, 'utf8');
  const propertiesSizeBytes = Buffer.byteLength(record.propertiesString, 'utf8');
  if (topicSizeBytes > MAX_TOPIC_BYTES) throw new RangeError(`topic is ${topicSizeBytes} bytes`);
  if (propertiesSizeBytes > MAX_PROPERTIES_BYTES) {
    throw new RangeError(`properties are ${propertiesSizeBytes} bytes`);
  }
  const size = messageRecordSize(record.sysFlag, record.body.length, topicSizeBytes, propertiesSizeBytes);
  const target = Buffer.allocUnsafe(size);
  writeMessageRecord(
    target,
    0,
    record,
    topicSizeBytes,
    propertiesSizeBytes,
    record.queueOffset,
    record.physicalOffset,
    record.storeTimestampMs,
  );
  return target;
}

/** Rewrites QUEUEOFFSET and PHYSICALOFFSET of the record at `position` in place. */
export function patchRecordOffsets(target: Buffer, queueOffset: number, physicalOffset: number, position = 0): void {
  writeInt64BE(target, queueOffset, position + QUEUEOFFSET_POSITION);
  writeInt64BE(target, physicalOffset, position + PHYSICALOFFSET_POSITION);
}

/** Rewrites STORETIMESTAMP of the record at `position` in place. */
export function patchRecordStoreTimestamp(target: Buffer, storeTimestampMs: number, position = 0): void {
  const sysFlag = target.readInt32BE(position + SYSFLAG_POSITION);
  writeInt64BE(target, storeTimestampMs, position + recordLayout(sysFlag).storeTimestampPosition);
}

function readHost(source: Buffer, position: number, sizeBytes: number): HostAddress {
  const addressBytes = sizeBytes - 4;
  const address = Buffer.from(source.subarray(position, position + addressBytes));
  return { address, port: source.readInt32BE(position + addressBytes) };
}

function need(condition: boolean, reason: string, position: number, detail: string): void {
  if (!condition) throw new MessageCodecError(reason, position, detail);
}

/** The variable-length tail: BODYLENGTH BODY TOPICLENGTH TOPIC PROPERTIESLENGTH PROPERTIES. */
function decodeRecordTail(
  source: Buffer,
  bodyLengthAt: number,
  end: number,
): { body: Buffer; topic: string; propertiesString: string } {
  let cursor = bodyLengthAt;
  need(cursor + 4 <= end, 'bad-length', cursor, 'hosts overrun TOTALSIZE');
  const bodySizeBytes = source.readInt32BE(cursor);
  const bodyFits = bodySizeBytes >= 0 && cursor + 4 + bodySizeBytes + 3 <= end;
  need(bodyFits, 'bad-length', cursor, `BODYLENGTH ${bodySizeBytes}`);
  const body = Buffer.from(source.subarray(cursor + 4, cursor + 4 + bodySizeBytes));
  cursor += 4 + bodySizeBytes;
  const topicSizeBytes = source.readInt8(cursor);
  const topicFits = topicSizeBytes >= 0 && cursor + 1 + topicSizeBytes + 2 <= end;
  need(topicFits, 'bad-length', cursor, `TOPICLENGTH ${topicSizeBytes}`);
  const topic = source.toString('utf8', cursor + 1, cursor + 1 + topicSizeBytes);
  cursor += 1 + topicSizeBytes;
  const propertiesSizeBytes = source.readInt16BE(cursor);
  const propertiesFit = cursor + 2 + propertiesSizeBytes === end;
  need(propertiesFit, 'bad-length', cursor, `PROPERTIESLENGTH ${propertiesSizeBytes} vs TOTALSIZE`);
  return { body, topic, propertiesString: source.toString('utf8', cursor + 2, end) };
}

/** Checks TOTALSIZE and MAGICCODE; returns TOTALSIZE. */
function decodeRecordHead(source: Buffer, position: number): number {
  const available = source.length - position;
  need(available >= MIN_RECORD_SIZE_BYTES, 'truncated', position, `${available} bytes left`);
  const sizeBytes = source.readInt32BE(position + TOTALSIZE_POSITION);
  const magicCode = source.readInt32BE(position + MAGICCODE_POSITION);
  const magicHex = (magicCode >>> 0).toString(16);
  need(magicCode === MESSAGE_MAGIC_CODE, 'bad-magic', position + MAGICCODE_POSITION, `0x${magicHex}`);
  need(sizeBytes >= MIN_RECORD_SIZE_BYTES, 'bad-length', position, `TOTALSIZE ${sizeBytes}`);
  const detail = `TOTALSIZE ${sizeBytes} > ${available} bytes left`;
  need(sizeBytes <= available, 'truncated', position, detail);
  return sizeBytes;
}

/**
 * Decodes the record at `position`. Throws MessageCodecError when the bytes are not one whole,
 * self-consistent message record (bad magic, truncated, or field lengths that disagree with
 * TOTALSIZE). Does not verify BODYCRC; checkMessageRecord does. The body is copied.
 */
export function decodeMessageRecord(
  source: Buffer,
  position: number,
): { record: DecodedMessageRecord; sizeBytes: number } {
  const sizeBytes = decodeRecordHead(source, position);
  const sysFlag = source.readInt32BE(position + SYSFLAG_POSITION);
  const layout = recordLayout(sysFlag);
  const tail = decodeRecordTail(source, position + layout.bodyLengthPosition, position + sizeBytes);
  const record: DecodedMessageRecord = {
    magicCode: source.readInt32BE(position + MAGICCODE_POSITION),
    bodyCrc: source.readInt32BE(position + BODYCRC_POSITION),
    queueId: source.readInt32BE(position + QUEUEID_POSITION),
    flag: source.readInt32BE(position + FLAG_POSITION),
    queueOffset: readInt64BE(source, position + QUEUEOFFSET_POSITION),
    physicalOffset: readInt64BE(source, position + PHYSICALOFFSET_POSITION),
    sysFlag,
    bornTimestampMs: readInt64BE(source, position + BORNTIMESTAMP_POSITION),
    bornHost: readHost(source, position + BORNHOST_POSITION, layout.bornHostSizeBytes),
    storeTimestampMs: readInt64BE(source, position + layout.storeTimestampPosition),
    storeHost: readHost(source, position + layout.storeHostPosition, layout.storeHostSizeBytes),
    reconsumeTimes: source.readInt32BE(position + layout.reconsumeTimesPosition),
    preparedTransactionOffset: readInt64BE(source, position + layout.preparedTransactionOffsetPosition),
    ...tail,
  };
  return { record, sizeBytes };
}
