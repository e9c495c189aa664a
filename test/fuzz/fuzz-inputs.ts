// What the socket fuzzer sends. Each input is the bytes of one thing a hostile peer can do, and
// how it is delivered:
//   stream  a well-formed frame (it decodes), sent on a shared connection that stays open
//   alone   bytes that may make the server close the connection (random bytes, bad lengths or
//           serialize types, headers that do not decode): one connection each, closed after
//   hold    a frame announced and never finished: the connection is kept open, silent
// Kinds: random-bytes, bad-length, bad-serialize-type, bad-header, every-code (each request code
// in turn with junk fields, JSON and ROCKETMQ), mutated-request (send, batch, pull, offsets,
// heartbeat, admin and NameServer requests with junk in their fields and bodies), mutated-frame
// (a request's bytes flipped), deep-json, huge-json, unfinished.
import { encodeMessageBatch } from '../../src/codec/message/message-batch';
import {
  createRequestCommand,
  encodeRemotingCommand,
  type RemotingCommand,
  SerializeType,
} from '../../src/codec/remoting-command';
import { RequestCode } from '../../src/codec/request-code';
import { deepJson, junkField, junkJsonValue, junkString, type Random } from './fuzz-random';
import { TEMPLATES, type Template } from './fuzz-templates';

export type Target = 'namesrv' | 'broker';
export type Delivery = 'stream' | 'alone' | 'hold';

export interface FuzzInput {
  kind: string;
  target: Target;
  delivery: Delivery;
  bytes: Buffer;
}

export const FRAME_MAX_BYTES = 16 * 1024 * 1024;
const REQUEST_CODES = [...new Set(Object.values(RequestCode))].sort((a, b) => a - b);

/** A frame for `command`; the code is cut to int16 for the binary header, as Java would send it. */
export function frameOf(command: RemotingCommand): Buffer {
  if (command.serializeType === SerializeType.ROCKETMQ) command.code = (command.code << 16) >> 16;
  return encodeRemotingCommand(command);
}

function junkFlag(random: Random): number {
  return random.pick([0, 0, 0, 2, 2, 1, 3, random.int(-0x80000000, 0x7fffffff)]);
}

function command(random: Random, code: number, extFields: Record<string, string>, body?: Buffer): RemotingCommand {
  const request = createRequestCommand(code, random.int(-0x80000000, 0x7fffffff), {
    extFields: random.chance(0.05) ? undefined : extFields,
    body,
    serializeType: random.chance(0.5) ? SerializeType.JSON : SerializeType.ROCKETMQ,
    remark: random.chance(0.1) ? junkString(random) : undefined,
  });
  request.flag = junkFlag(random);
  request.version = random.pick([0, 373, 359, -1, 32767]);
  request.language = random.pick(['JAVA', 'CPP', 'GO', 'PYTHON', 'OTHER']);
  return request;
}

function junkBody(random: Random): Buffer | undefined {
  switch (random.int(0, 4)) {
    case 0:
      return undefined;
    case 1:
      return random.bytes(random.length(512));
    case 2:
      return Buffer.from(JSON.stringify(junkJsonValue(random, 4)));
    case 3:
      return Buffer.from(`${junkString(random)}=${junkString(random)}\n${junkString(random)}`);
    default:
      return Buffer.from(junkString(random));
  }
}

const FIELD_NAMES = [
  'topic',
  'consumerGroup',
  'producerGroup',
  'group',
  'queueId',
  'queueOffset',
  'offset',
  'commitOffset',
  'maxMsgNums',
  'sysFlag',
  'brokerName',
  'brokerAddr',
  'clusterName',
  'key',
  'namespace',
  'value',
  'clientId',
  'timestamp',
  'msgId',
  'offsetMsgId',
  'a',
  'b',
  'c',
  'd',
  'e',
  'f',
  'g',
  'h',
  'i',
  'j',
  'k',
  'l',
  'm',
  'accessKey',
  'Signature',
  'compressed',
  'readQueueNums',
  'perm',
];

function junkExtFields(random: Random): Record<string, string> {
  const fields: Record<string, string> = {};
  for (let i = random.length(12); i > 0; i--)
    fields[random.chance(0.8) ? random.pick(FIELD_NAMES) : junkString(random)] = junkString(random);
  return fields;
}

function everyCode(random: Random, index: number): FuzzInput {
  const code = REQUEST_CODES[index % REQUEST_CODES.length];
  const target: Target = random.chance(0.5) ? 'broker' : 'namesrv';
  return {
    kind: 'every-code',
    target,
    delivery: 'stream',
    bytes: frameOf(command(random, code, junkExtFields(random), junkBody(random))),
  };
}

function mutatedRequest(random: Random, template: Template): FuzzInput {
  const fields: Record<string, string> = {};
  for (const [name, plausible] of Object.entries(template.fields(random))) {
    if (random.chance(0.03)) continue;
    fields[name] = junkField(random, plausible);
  }
  let body = template.body?.(random);
  if (body !== undefined && template.mutableBody !== false && random.chance(0.3)) body = mutateBytes(random, body);
  return {
    kind: `mutated-${template.name}`,
    target: template.target,
    delivery: 'stream',
    bytes: frameOf(command(random, template.code, fields, body)),
  };
}

/** A few byte-level mutations: set, cut, insert, repeat. */
export function mutateBytes(random: Random, bytes: Buffer): Buffer {
  let result = Buffer.from(bytes);
  for (let i = random.int(1, 4); i > 0; i--) {
    const at = random.int(0, result.length);
    switch (random.int(0, 3)) {
      case 0:
        if (at < result.length) result[at] = random.int(0, 255);
        break;
      case 1:
        result = Buffer.concat([
          result.subarray(0, at),
          result.subarray(Math.min(result.length, at + random.int(1, 16))),
        ]);
        break;
      case 2:
        result = Buffer.concat([result.subarray(0, at), random.bytes(random.int(1, 16)), result.subarray(at)]);
        break;
      default:
        result = Buffer.concat([result.subarray(0, at), result.subarray(Math.max(0, at - random.int(1, 32)))]);
    }
  }
  return result;
}

function withLength(length: number, rest: Buffer): Buffer {
  const prefix = Buffer.alloc(4);
  prefix.writeInt32BE(length | 0);
  return Buffer.concat([prefix, rest]);
}

function badLength(random: Random, template: Template): Buffer {
  const valid = mutatedRequest(random, template).bytes;
  const length = random.pick([
    -1,
    -0x80000000,
    0,
    1,
    2,
    3,
    4,
    valid.length - 5,
    valid.length + 100,
    FRAME_MAX_BYTES - 4,
    FRAME_MAX_BYTES - 3,
    FRAME_MAX_BYTES,
    0x7fffffff,
  ]);
  return withLength(length, valid.subarray(4));
}

function badSerializeType(random: Random, template: Template): Buffer {
  const frame = Buffer.from(mutatedRequest(random, template).bytes);
  if (random.chance(0.5)) frame[4] = random.int(2, 255);
  else frame.writeUIntBE(random.pick([0, 1, 0xffffff, frame.length, frame.length - 7, frame.length - 9]), 5, 3);
  return frame;
}

/** A JSON header that is not what RemotingCommand serializes: junk types, missing keys, deep. */
function badHeader(random: Random): Buffer {
  const header = random.chance(0.2)
    ? deepJson(random, random.int(2, 50_000))
    : JSON.stringify({
        code: random.chance(0.7) ? random.pick(REQUEST_CODES) : junkJsonValue(random, 2),
        language: random.chance(0.7) ? 'JAVA' : junkJsonValue(random, 1),
        opaque: random.chance(0.7) ? random.int(0, 1000) : junkJsonValue(random, 1),
        flag: random.chance(0.7) ? 0 : junkJsonValue(random, 1),
        version: random.chance(0.7) ? 373 : junkJsonValue(random, 1),
        extFields: random.chance(0.5) ? junkExtFields(random) : junkJsonValue(random, 3),
        remark: junkJsonValue(random, 1),
        [junkString(random)]: junkJsonValue(random, 2),
      });
  const headerBytes = Buffer.from(header);
  const body = random.bytes(random.length(64));
  const frame = Buffer.alloc(8);
  frame.writeInt32BE(4 + headerBytes.length + body.length, 0);
  frame.writeUInt8(0, 4);
  frame.writeUIntBE(headerBytes.length, 5, 3);
  return Buffer.concat([frame, headerBytes, body]);
}

const JSON_BODY_CODES = [
  RequestCode.HEART_BEAT,
  RequestCode.REGISTER_BROKER,
  RequestCode.LOCK_BATCH_MQ,
  RequestCode.UNLOCK_BATCH_MQ,
  RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP,
  RequestCode.CHECK_CLIENT_CONFIG,
  RequestCode.UPDATE_BROKER_CONFIG,
  RequestCode.UPDATE_NAMESRV_CONFIG,
];

function jsonBodyInput(random: Random, kind: 'deep-json' | 'huge-json'): FuzzInput {
  const code = random.pick(JSON_BODY_CODES);
  let body: string;
  if (kind === 'deep-json') body = deepJson(random, random.int(10, 200_000));
  else {
    const targetBytes = random.int(256 * 1024, 6 * 1024 * 1024);
    const subscription =
      '{"topic":"T","subString":"*","tagsSet":[],"codeSet":[],"subVersion":0,"expressionType":"TAG"},';
    const consumer =
      `{"groupName":"G${random.int(0, 99)}","consumeType":"CONSUME_PASSIVELY","messageModel":"CLUSTERING",` +
      '"consumeFromWhere":"CONSUME_FROM_LAST_OFFSET","unitMode":false,"subscriptionDataSet":[';
    const repeat = random.pick([subscription, `"${'x'.repeat(1000)}",`, '0,', '{},']);
    const count = Math.floor(targetBytes / repeat.length);
    body = `{"clientID":"huge","consumerDataSet":[${consumer}${repeat.repeat(count)}{}]}],"producerDataSet":[]}`;
  }
  const target: Target =
    code === RequestCode.REGISTER_BROKER || code === RequestCode.UPDATE_NAMESRV_CONFIG ? 'namesrv' : 'broker';
  return { kind, target, delivery: 'stream', bytes: frameOf(command(random, code, {}, Buffer.from(body))) };
}

function unfinished(random: Random, template: Template): Buffer {
  const valid = mutatedRequest(random, template).bytes;
  const announced = random.pick([valid.length - 4 + random.int(1, 100), random.int(8, FRAME_MAX_BYTES - 4)]);
  return withLength(announced, valid.subarray(4, 4 + random.int(0, valid.length - 4)));
}

/** The `index`-th input of a run; the weights favour inputs that reach the processors. */
export function nextInput(random: Random, index: number): FuzzInput {
  const template = random.pick(TEMPLATES);
  // Byte-level damage only to requests whose damaged forms cannot be a valid new setting.
  const damageable = template.mutableBody === false ? TEMPLATES[0] : template;
  const roll = random.next();
  const target = random.chance(0.5) ? template.target : random.pick(['namesrv', 'broker'] as const);
  if (roll < 0.3) return mutatedRequest(random, template);
  if (roll < 0.55) return everyCode(random, index);
  if (roll < 0.62) return { kind: 'random-bytes', target, delivery: 'alone', bytes: random.bytes(random.length(2048)) };
  if (roll < 0.68) return { kind: 'bad-length', target, delivery: 'alone', bytes: badLength(random, damageable) };
  if (roll < 0.73)
    return { kind: 'bad-serialize-type', target, delivery: 'alone', bytes: badSerializeType(random, damageable) };
  if (roll < 0.8) return { kind: 'bad-header', target, delivery: 'alone', bytes: badHeader(random) };
  if (roll < 0.9)
    return {
      kind: 'mutated-frame',
      target,
      delivery: 'alone',
      bytes: mutateBytes(random, mutatedRequest(random, damageable).bytes),
    };
  if (roll < 0.97) return jsonBodyInput(random, 'deep-json');
  if (roll < 0.9702) return jsonBodyInput(random, 'huge-json');
  if (roll < 0.99) return { kind: 'batch', target: 'broker', delivery: 'stream', bytes: batchInput(random) };
  return { kind: 'unfinished', target, delivery: 'hold', bytes: unfinished(random, damageable) };
}

function batchInput(random: Random): Buffer {
  const elements = Array.from({ length: random.int(1, 8) }, () => ({
    flag: random.int(-1, 3),
    body: random.bytes(random.length(200)),
    propertiesString: random.chance(0.5) ? `KEYS\u0001${junkString(random)}\u0002` : junkString(random).slice(0, 1000),
  }));
  let body = encodeMessageBatch(elements);
  if (random.chance(0.4)) body = mutateBytes(random, body);
  const template = TEMPLATES.find((entry) => entry.name === 'send-v2')!;
  const fields: Record<string, string> = {};
  for (const [name, plausible] of Object.entries(template.fields(random))) fields[name] = junkField(random, plausible);
  fields.m = random.chance(0.8) ? 'true' : junkString(random);
  return frameOf(command(random, RequestCode.SEND_BATCH_MESSAGE, fields, body));
}
