// SendMessageRequestHeader (SEND_MESSAGE 10, SEND_BATCH_MESSAGE 320 V1 form) and its V2 twin
// SendMessageRequestHeaderV2 (SEND_MESSAGE_V2 310, and every batch from the 4.7.1 client), which
// carries the same fields under one-letter keys. This file is the one place the letters are mapped.
//
//   V2 key  V1 key                 Java type  required
//   a       producerGroup          String     yes
//   b       topic                  String     yes
//   c       defaultTopic           String     yes
//   d       defaultTopicQueueNums  Integer    yes
//   e       queueId                Integer    yes
//   f       sysFlag                Integer    yes
//   g       bornTimestamp          Long       yes
//   h       flag                   Integer    yes
//   i       properties             String     no
//   j       reconsumeTimes         Integer    no
//   k       unitMode               boolean    no
//   l       maxReconsumeTimes      Integer    no
//   m       batch                  boolean    no
import { RequestCode } from '../request-code';
import type { RemotingCommand } from '../remoting-command';
import { HeaderReader } from './header-reader';

export interface SendMessageRequestHeader {
  producerGroup: string;
  topic: string;
  defaultTopic: string;
  defaultTopicQueueNums: number;
  queueId: number;
  sysFlag: number;
  bornTimestamp: number;
  flag: number;
  properties: string | undefined;
  reconsumeTimes: number | undefined;
  unitMode: boolean;
  maxReconsumeTimes: number | undefined;
  batch: boolean;
}

const V2_KEYS: Record<keyof SendMessageRequestHeader, string> = {
  producerGroup: 'a',
  topic: 'b',
  defaultTopic: 'c',
  defaultTopicQueueNums: 'd',
  queueId: 'e',
  sysFlag: 'f',
  bornTimestamp: 'g',
  flag: 'h',
  properties: 'i',
  reconsumeTimes: 'j',
  unitMode: 'k',
  maxReconsumeTimes: 'l',
  batch: 'm',
};

/** Decodes either form; V2 is recognised by its request code, as the Java broker does. */
export function decodeSendMessageRequestHeader(request: RemotingCommand): SendMessageRequestHeader {
  const v2 = request.code === RequestCode.SEND_MESSAGE_V2 || request.code === RequestCode.SEND_BATCH_MESSAGE;
  const key = (name: keyof SendMessageRequestHeader) => (v2 ? V2_KEYS[name] : name);
  const reader = new HeaderReader(request.extFields, v2 ? 'SendMessageRequestHeaderV2' : 'SendMessageRequestHeader');
  return {
    producerGroup: reader.string(key('producerGroup')),
    topic: reader.string(key('topic')),
    defaultTopic: reader.string(key('defaultTopic')),
    defaultTopicQueueNums: reader.int(key('defaultTopicQueueNums')),
    queueId: reader.int(key('queueId')),
    sysFlag: reader.int(key('sysFlag')),
    bornTimestamp: reader.long(key('bornTimestamp')),
    flag: reader.int(key('flag')),
    properties: reader.optionalString(key('properties')),
    reconsumeTimes: reader.optionalInt(key('reconsumeTimes')),
    unitMode: reader.bool(key('unitMode')),
    maxReconsumeTimes: reader.optionalInt(key('maxReconsumeTimes')),
    batch: reader.bool(key('batch')),
  };
}

/** Encodes the V2 form (for tests and tools). */
export function encodeSendMessageRequestHeaderV2(header: SendMessageRequestHeader): Record<string, string> {
  const extFields: Record<string, string> = {};
  for (const [name, letter] of Object.entries(V2_KEYS)) {
    const value = header[name as keyof SendMessageRequestHeader];
    if (value !== undefined) extFields[letter] = String(value);
  }
  return extFields;
}
