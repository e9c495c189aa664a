// A worker's answer per entry, in fixed-size slots of one transferred buffer (a structured clone
// of an object per send cost the main thread more than the work it saved):
//
//   slot (ENTRY_BYTES) = encoded:u8 language:u8 serializeType:u8 unitMode:u8 code:i16 version:i16
//        opaque:i32 flag:i32 queueId:i32 headerSysFlag:i32 defaultTopicQueueNums:i32 tagsCode:i32
//        sysFlag:i32 recordOffset:i32 recordSize:i32 topicPosition:i32 propertiesPosition:i32
//        defaultTopicOffset:i32 defaultTopicLength:i32 receivedPropertiesLength:i32
//
// The record, and after it the defaultTopic's bytes, are in the records buffer; topic and
// properties are read back from the record (positions relative to its start).
import type { SendMessageRequestHeader } from '../../codec/headers/send-message-request-header';
import { languageFromByte, languageToByte } from '../../codec/language-code';
import { recordLayout } from '../../codec/message/message-record-layout';
import type { RemotingCommand } from '../../codec/remoting-command';
import type { EncodedSend } from './send-encoding';

export const ENTRY_BYTES = 72;

/** Writes slot `index`; `defaultTopicOffset` is where the defaultTopic's bytes were put. */
export function writeAnswerEntry(
  slots: Buffer,
  index: number,
  encoded: EncodedSend,
  recordOffset: number,
  defaultTopicOffset: number,
  defaultTopicLength: number,
): void {
  const at = index * ENTRY_BYTES;
  const { command, header } = encoded;
  slots.writeUInt8(1, at);
  slots.writeUInt8(languageToByte(command.language), at + 1);
  slots.writeUInt8(command.serializeType, at + 2);
  slots.writeUInt8(header.unitMode ? 1 : 0, at + 3);
  slots.writeInt16BE(command.code, at + 4);
  slots.writeInt16BE(command.version, at + 6);
  const ints = [
    command.opaque,
    command.flag,
    header.queueId,
    header.sysFlag,
    header.defaultTopicQueueNums,
    encoded.tagsCode,
    encoded.sysFlag,
    recordOffset,
    encoded.recordSizeBytes,
    encoded.topicPosition,
    encoded.propertiesPosition,
    defaultTopicOffset,
    defaultTopicLength,
    encoded.header.properties?.length ?? 0,
  ];
  ints.forEach((value, i) => slots.writeInt32BE(value, at + 8 + 4 * i));
}

export interface AnswerEntry {
  request: RemotingCommand;
  header: SendMessageRequestHeader;
  record: Buffer;
  sysFlag: number;
  tagsCode: number;
  propertiesString: string;
  /** the properties' length as sent (before CLUSTER was added), for maxPropertiesLength */
  receivedPropertiesLength: number;
}

/** Reads slot `index`, or null when the worker left that entry to the in-line path. */
export function readAnswerEntry(slots: Buffer, index: number, records: Buffer): AnswerEntry | null {
  const at = index * ENTRY_BYTES;
  if (at + ENTRY_BYTES > slots.length || slots[at] !== 1) return null;
  const int = (i: number) => slots.readInt32BE(at + 8 + 4 * i);
  const recordOffset = int(7);
  const record = records.subarray(recordOffset, recordOffset + int(8));
  const topicPosition = int(9);
  const propertiesPosition = int(10);
  const topic = record.toString('utf8', topicPosition + 1, topicPosition + 1 + record[topicPosition]);
  const propertiesString = record.toString(
    'utf8',
    propertiesPosition + 2,
    propertiesPosition + 2 + record.readInt16BE(propertiesPosition),
  );
  const request: RemotingCommand = {
    code: slots.readInt16BE(at + 4),
    language: languageFromByte(slots[at + 1], at + 1),
    version: slots.readInt16BE(at + 6),
    opaque: int(0),
    flag: int(1),
    serializeType: slots[at + 2],
  };
  const header: SendMessageRequestHeader = {
    producerGroup: '',
    topic,
    defaultTopic: records.toString('utf8', int(11), int(11) + int(12)),
    defaultTopicQueueNums: int(4),
    queueId: int(2),
    sysFlag: int(3),
    bornTimestamp: 0,
    flag: 0,
    properties: undefined,
    reconsumeTimes: 0,
    unitMode: slots[at + 3] === 1,
    maxReconsumeTimes: undefined,
    batch: false,
  };
  return {
    request,
    header,
    record,
    sysFlag: int(6),
    tagsCode: int(5),
    propertiesString,
    receivedPropertiesLength: int(13),
  };
}

/** Where TOPICLENGTH and PROPERTIESLENGTH are in a record (relative to its start). */
export function recordStringPositions(
  sysFlag: number,
  bodyLength: number,
  topicSizeBytes: number,
): { topicPosition: number; propertiesPosition: number } {
  const topicPosition = recordLayout(sysFlag).bodyLengthPosition + 4 + bodyLength;
  return { topicPosition, propertiesPosition: topicPosition + 1 + topicSizeBytes };
}
