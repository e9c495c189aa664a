// RegisterBrokerBody, the body of REGISTER_BROKER (103)
// (org.apache.rocketmq.common.protocol.body.RegisterBrokerBody).
//
// Uncompressed (header compressed=false) = fastjson JSON:
//   {"filterServerList":[String...],
//    "topicConfigSerializeWrapper":{"dataVersion":{DataVersion},
//                                   "topicConfigTable":{topic:{TopicConfig},...}}}
//   TopicConfig = {"order":bool,"perm":int,"readQueueNums":int,"topicFilterType":"SINGLE_TAG"|"MULTI_TAG",
//                  "topicName":String,"topicSysFlag":int,"writeQueueNums":int}
//
// Compressed (compressed=true) = zlib stream (Deflater BEST_COMPRESSION) of
//   dataVersionLength:int32 dataVersion:JSON
//   topicCount:int32 (topicConfigLength:int32 topicConfig:"<name> <read> <write> <perm> <filterType>")*
//   filterServerListLength:int32 filterServerList:JSON array
// The compressed form drops topicSysFlag and order (they decode as 0 and false).
import zlib from 'node:zlib';
import { CodecError } from '../codec-error';
import { type FastjsonValue, parseFastjson } from '../fastjson-parse';
import { encodeFastjsonBody } from '../fastjson-write';
import { asBean, boolField, intField, optionalStringField, stringList } from './bean-fields';
import { type DataVersion, dataVersionBean, readDataVersion } from './data-version';

export type TopicFilterType = 'SINGLE_TAG' | 'MULTI_TAG';

export interface TopicConfig {
  topicName: string;
  readQueueNums: number;
  writeQueueNums: number;
  perm: number;
  topicFilterType: TopicFilterType;
  topicSysFlag: number;
  order: boolean;
}

export interface TopicConfigSerializeWrapper {
  dataVersion: DataVersion;
  topicConfigTable: Map<string, TopicConfig>;
}

export interface RegisterBrokerBody {
  topicConfigSerializeWrapper: TopicConfigSerializeWrapper;
  filterServerList: string[];
}

/** Upper bound of an inflated body: far above any real broker's topic table, far below memory trouble. */
export const REGISTER_BODY_INFLATED_MAX_BYTES = 64 * 1024 * 1024;
/** TopicConfig's Java defaults (defaultReadQueueNums / defaultWriteQueueNums = 16, perm RW = 6). */
const TOPIC_CONFIG_DEFAULTS = { readQueueNums: 16, writeQueueNums: 16, perm: 6, topicSysFlag: 0 };

function topicFilterType(text: string | undefined, what: string): TopicFilterType {
  if (text === undefined) return 'SINGLE_TAG';
  if (text === 'SINGLE_TAG' || text === 'MULTI_TAG') return text;
  throw new CodecError(`${what}.topicFilterType is not SINGLE_TAG or MULTI_TAG: ${JSON.stringify(text)}`);
}

function readTopicConfig(key: string, value: FastjsonValue): TopicConfig {
  const what = `TopicConfig[${key}]`;
  const bean = asBean(value, what);
  return {
    // Java keys the route by the value's topicName; the table key is the same name in practice.
    topicName: optionalStringField(bean, 'topicName', what) ?? key,
    readQueueNums: intField(bean, 'readQueueNums', TOPIC_CONFIG_DEFAULTS.readQueueNums, what),
    writeQueueNums: intField(bean, 'writeQueueNums', TOPIC_CONFIG_DEFAULTS.writeQueueNums, what),
    perm: intField(bean, 'perm', TOPIC_CONFIG_DEFAULTS.perm, what),
    topicFilterType: topicFilterType(optionalStringField(bean, 'topicFilterType', what), what),
    topicSysFlag: intField(bean, 'topicSysFlag', TOPIC_CONFIG_DEFAULTS.topicSysFlag, what),
    order: boolField(bean, 'order', false, what),
  };
}

/** TopicConfigSerializeWrapper from its parsed JSON (absent = Java's defaults: version now, no topics). */
export function readTopicConfigSerializeWrapper(
  value: FastjsonValue | undefined,
  nowMs: number,
): TopicConfigSerializeWrapper {
  const wrapper = value === undefined || value === null ? {} : asBean(value, 'topicConfigSerializeWrapper');
  const topicConfigTable = new Map<string, TopicConfig>();
  const tableValue = wrapper.topicConfigTable;
  if (tableValue !== undefined && tableValue !== null) {
    for (const [key, topicValue] of Object.entries(asBean(tableValue, 'topicConfigTable'))) {
      const topicConfig = readTopicConfig(key, topicValue);
      topicConfigTable.set(topicConfig.topicName, topicConfig);
    }
  }
  return { dataVersion: readDataVersion(wrapper.dataVersion, nowMs), topicConfigTable };
}

function decodeJsonBody(body: Buffer, nowMs: number): RegisterBrokerBody {
  const bean = asBean(parseFastjson(body), 'RegisterBrokerBody');
  return {
    topicConfigSerializeWrapper: readTopicConfigSerializeWrapper(bean.topicConfigSerializeWrapper, nowMs),
    filterServerList: stringList(bean.filterServerList, 'RegisterBrokerBody.filterServerList'),
  };
}

/** Sequential reader over the inflated compressed body; every read is bounds-checked. */
class InflatedReader {
  position = 0;
  constructor(private readonly bytes: Buffer) {}

  int32(what: string): number {
    if (this.position + 4 > this.bytes.length)
      throw new CodecError(`compressed RegisterBrokerBody ends inside ${what}`, this.position);
    const value = this.bytes.readInt32BE(this.position);
    this.position += 4;
    return value;
  }

  text(what: string): string {
    const length = this.int32(`${what} length`);
    if (length < 0 || this.position + length > this.bytes.length) {
      throw new CodecError(`compressed RegisterBrokerBody: ${what} length ${length} exceeds the body`, this.position);
    }
    const text = this.bytes.toString('utf8', this.position, this.position + length);
    this.position += length;
    return text;
  }
}

/** TopicConfig.decode: exactly five space-separated fields. */
function decodeTopicConfigLine(line: string): TopicConfig {
  const fields = line.split(' ');
  const numbers = fields.slice(1, 4).map(Number);
  if (fields.length !== 5 || numbers.some((n) => !Number.isInteger(n)) || fields[0] === '') {
    throw new CodecError(`compressed RegisterBrokerBody: bad topic config ${JSON.stringify(line)}`);
  }
  const [readQueueNums, writeQueueNums, perm] = numbers;
  const filterType = topicFilterType(fields[4], `TopicConfig[${fields[0]}]`);
  return {
    topicName: fields[0],
    readQueueNums,
    writeQueueNums,
    perm,
    topicFilterType: filterType,
    topicSysFlag: 0,
    order: false,
  };
}

function decodeCompressedBody(body: Buffer, nowMs: number): RegisterBrokerBody {
  let inflated: Buffer;
  try {
    inflated = zlib.inflateSync(body, { maxOutputLength: REGISTER_BODY_INFLATED_MAX_BYTES });
  } catch (error) {
    throw new CodecError(`compressed RegisterBrokerBody does not inflate: ${(error as Error).message}`);
  }
  const reader = new InflatedReader(inflated);
  const dataVersion = readDataVersion(parseFastjson(reader.text('dataVersion')), nowMs);
  const topicCount = reader.int32('topic count');
  // Each topic needs at least its 4-byte length, which bounds the loop by the body size.
  if (topicCount < 0 || topicCount * 4 > inflated.length - reader.position) {
    throw new CodecError(`compressed RegisterBrokerBody: topic count ${topicCount} exceeds the body`);
  }
  const topicConfigTable = new Map<string, TopicConfig>();
  for (let i = 0; i < topicCount; i++) {
    const topicConfig = decodeTopicConfigLine(reader.text('topic config'));
    topicConfigTable.set(topicConfig.topicName, topicConfig);
  }
  let filterServerList: string[] = [];
  try {
    filterServerList = stringList(parseFastjson(reader.text('filter server list')), 'filterServerList');
  } catch {
    // Java logs an unreadable filter server list and registers with an empty one.
  }
  return { topicConfigSerializeWrapper: { dataVersion, topicConfigTable }, filterServerList };
}

/** RegisterBrokerBody.decode(data, compressed). `nowMs` fills a missing DataVersion timestamp. */
export function decodeRegisterBrokerBody(
  body: Buffer,
  compressed: boolean,
  nowMs: number = Date.now(),
): RegisterBrokerBody {
  return compressed ? decodeCompressedBody(body, nowMs) : decodeJsonBody(body, nowMs);
}

function int32Bytes(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(value);
  return bytes;
}

function lengthPrefixed(text: string): Buffer[] {
  const bytes = Buffer.from(text, 'utf8');
  return [int32Bytes(bytes.length), bytes];
}

/** RegisterBrokerBody.encode(compress), as the Java broker sends it. */
export function encodeRegisterBrokerBody(body: RegisterBrokerBody, compressed: boolean): Buffer {
  const wrapper = body.topicConfigSerializeWrapper;
  if (!compressed) {
    const topicConfigTable = new Map([...wrapper.topicConfigTable].map(([topic, config]) => [topic, { ...config }]));
    return encodeFastjsonBody({
      filterServerList: body.filterServerList,
      topicConfigSerializeWrapper: { dataVersion: dataVersionBean(wrapper.dataVersion), topicConfigTable },
    });
  }
  const parts: Buffer[] = [
    ...lengthPrefixed(encodeFastjsonBody(dataVersionBean(wrapper.dataVersion)).toString('utf8')),
  ];
  parts.push(int32Bytes(wrapper.topicConfigTable.size));
  for (const config of wrapper.topicConfigTable.values()) {
    const line = [
      config.topicName,
      config.readQueueNums,
      config.writeQueueNums,
      config.perm,
      config.topicFilterType,
    ].join(' ');
    parts.push(...lengthPrefixed(line));
  }
  parts.push(...lengthPrefixed(JSON.stringify(body.filterServerList)));
  return zlib.deflateSync(Buffer.concat(parts), { level: zlib.constants.Z_BEST_COMPRESSION });
}
