// The load generator's frames, built by hand so that a request costs a string concatenation and a
// copy: SEND_MESSAGE_V2 (310) and PULL_MESSAGE (11) with JSON headers as the 4.7.1 client sends
// them, and GET_BROKER_RUNTIME_INFO (28) for the replication-lag sampler. Responses are read only as
// far as needed: code and opaque for sends, and the offsets of pull answers, by a scan of the
// header bytes (no string, no JSON.parse); admin answers with the project's codec.
import { decodeRemotingCommand } from '../../src/codec/remoting-command';

export const SEND_MESSAGE_V2 = 310;
export const PULL_MESSAGE = 11;
export const GET_BROKER_RUNTIME_INFO = 28;
export const CODE_SUCCESS = 0;
export const CODE_PULL_NOT_FOUND = 19;
export const CODE_PULL_RETRY_IMMEDIATELY = 20;
export const CODE_PULL_OFFSET_MOVED = 21;

const JAVA_VERSION_471 = 373;
/** MessageConst NAME_VALUE_SEPARATOR (char 1) and PROPERTY_SEPARATOR (char 2), JSON-escaped. */
const NV = '\\u0001';
const PS = '\\u0002';
/** PullSysFlag: FLAG_SUSPEND 2, FLAG_SUBSCRIPTION 4 */
export const PULL_FLAG_SUSPEND = 2;
export const PULL_FLAG_SUBSCRIPTION = 4;

function frame(header: string, body?: Buffer): Buffer {
  const headerBytes = Buffer.byteLength(header, 'latin1');
  const bodyBytes = body?.length ?? 0;
  const out = Buffer.allocUnsafe(8 + headerBytes + bodyBytes);
  out.writeInt32BE(4 + headerBytes + bodyBytes, 0);
  out.writeInt32BE(headerBytes, 4); // serializeType 0 (JSON) in the high byte
  out.write(header, 8, 'latin1');
  if (body) body.copy(out, 8 + headerBytes);
  return out;
}

/** fastjson's key order, as the 4.7.1 client writes a command: code, extFields, flag, language, opaque, … */
function head(code: number): string {
  return `{"code":${code},"extFields":{`;
}

function tail(opaque: number): string {
  return `},"flag":0,"language":"JAVA","opaque":${opaque},"serializeTypeCurrentRPC":"JSON","version":${JAVA_VERSION_471}}`;
}

export interface SendTemplate {
  topic: string;
  producerGroup: string;
  body: Buffer;
  /** a prefix unique to this process; the message's UNIQ_KEY is prefix + counter (as the client sets one) */
  uniqPrefix: string;
}

/** The JSON header of one SEND_MESSAGE_V2 request (properties UNIQ_KEY and WAIT=true, as the client sends). */
export function sendHeader(
  t: SendTemplate,
  opaque: number,
  queueId: number,
  uniqCounter: number,
  bornMs: number,
): string {
  const uniq = t.uniqPrefix + uniqCounter.toString(16).toUpperCase().padStart(UNIQ_COUNTER_HEX, '0');
  return (
    `${head(SEND_MESSAGE_V2)}"a":"${t.producerGroup}","b":"${t.topic}","c":"TBW102","d":"4","e":"${queueId}",` +
    `"f":"0","g":"${bornMs}","h":"0","i":"UNIQ_KEY${NV}${uniq}${PS}WAIT${NV}true${PS}",` +
    `"j":"0","k":"false","l":"16","m":"false"` +
    tail(opaque)
  );
}

/** First opaque of a connection: every opaque then has 10 digits, so it can be patched in place. */
export const FIRST_OPAQUE = 1_000_000_000;
const OPAQUE_DIGITS = 10;
const BORN_DIGITS = 13;
const UNIQ_COUNTER_HEX = 8;

/**
 * Whole SEND_MESSAGE_V2 frames per queue id, built once; a message is a copy of its queue's frame
 * with the opaque, the born timestamp and the UNIQ_KEY counter written over fixed-width fields.
 */
export class SendFrames {
  private readonly frames = new Map<number, { frame: Buffer; opaqueAt: number; bornAt: number; uniqAt: number }>();

  constructor(t: SendTemplate, queueIds: number[]) {
    for (const q of queueIds) {
      const header = sendHeader(t, FIRST_OPAQUE, q, 0, Date.now());
      const out = Buffer.allocUnsafe(8 + header.length + t.body.length);
      out.writeInt32BE(4 + header.length + t.body.length, 0);
      out.writeInt32BE(header.length, 4); // serializeType 0 (JSON) in the high byte
      out.write(header, 8, 'latin1');
      t.body.copy(out, 8 + header.length);
      const find = (key: string): number => 8 + header.indexOf(key) + key.length;
      this.frames.set(q, {
        frame: out,
        opaqueAt: find('"opaque":'),
        bornAt: find('"g":"'),
        uniqAt: find(`UNIQ_KEY${NV}${t.uniqPrefix}`),
      });
    }
  }

  /** Bytes of the frame for this queue (a longer queue id makes a longer header). */
  frameBytes(queueId: number): number {
    return this.frames.get(queueId)!.frame.length;
  }

  /** Copies the queue's frame to out[at] with these fields; returns the end. */
  write(out: Buffer, at: number, queueId: number, opaque: number, bornMs: number, uniqCounter: number): number {
    const f = this.frames.get(queueId)!;
    f.frame.copy(out, at);
    writeDigits(out, at + f.opaqueAt, opaque, OPAQUE_DIGITS, 10);
    writeDigits(out, at + f.bornAt, bornMs, BORN_DIGITS, 10);
    writeDigits(out, at + f.uniqAt, uniqCounter, UNIQ_COUNTER_HEX, 16);
    return at + f.frame.length;
  }
}

const DIGITS = Buffer.from('0123456789ABCDEF', 'latin1');

function writeDigits(out: Buffer, at: number, value: number, width: number, radix: number): void {
  let v = value;
  for (let i = width - 1; i >= 0; i--) {
    out[at + i] = DIGITS[v % radix];
    v = Math.floor(v / radix);
  }
}

export interface PullTemplate {
  topic: string;
  consumerGroup: string;
  maxMsgNums: number;
  /** long-polling hold, ms (0: no suspend flag) */
  suspendMs: number;
}

/** One PULL_MESSAGE request frame with the subscription in the header (no heartbeat needed). */
export function pullFrame(t: PullTemplate, opaque: number, queueId: number, queueOffset: number): Buffer {
  const sysFlag = PULL_FLAG_SUBSCRIPTION | (t.suspendMs > 0 ? PULL_FLAG_SUSPEND : 0);
  const header =
    `${head(PULL_MESSAGE)}"consumerGroup":"${t.consumerGroup}","topic":"${t.topic}","queueId":"${queueId}",` +
    `"queueOffset":"${queueOffset}","maxMsgNums":"${t.maxMsgNums}","sysFlag":"${sysFlag}","commitOffset":"0",` +
    `"suspendTimeoutMillis":"${t.suspendMs}","subscription":"*","subVersion":"0","expressionType":"TAG"` +
    tail(opaque);
  return frame(header);
}

export function runtimeInfoFrame(opaque: number): Buffer {
  return frame(`${head(GET_BROKER_RUNTIME_INFO)}${tail(opaque)}`);
}

export interface ResponseHead {
  code: number;
  opaque: number;
}

const CODE_KEY = Buffer.from('"code":', 'latin1');
const OPAQUE_KEY = Buffer.from('"opaque":', 'latin1');

/** The integer after `key` inside f[start, end), read from the bytes (no string made). */
function intAfter(f: Buffer, key: Buffer, start: number, end: number): number {
  const at = f.indexOf(key, start);
  if (at < 0 || at >= end) return NaN;
  let i = at + key.length;
  while (f[i] === 32) i++;
  let sign = 1;
  if (f[i] === 45) {
    sign = -1;
    i++;
  }
  let value = 0;
  for (let c = f[i]; c >= 48 && c <= 57 && i < end; c = f[++i]) value = value * 10 + (c - 48);
  return sign * value;
}

/** Code and opaque of a response frame (without its length prefix), JSON or ROCKETMQ header. */
export function responseHead(f: Buffer, start = 0): ResponseHead {
  if (f[start] === 1) return { code: f.readInt16BE(start + 4), opaque: f.readInt32BE(start + 4 + 5) };
  const end = start + 4 + f.readUIntBE(start + 1, 3);
  // "code" is the first key Java writes; "opaque" is unique in a response header
  return { code: intAfter(f, CODE_KEY, start + 4, end), opaque: intAfter(f, OPAQUE_KEY, start + 4, end) };
}

const NEXT_BEGIN_KEY = Buffer.from('"nextBeginOffset":"', 'latin1');
const MIN_OFFSET_KEY = Buffer.from('"minOffset":"', 'latin1');
const MAX_OFFSET_KEY = Buffer.from('"maxOffset":"', 'latin1');

/** What a pull's answer says, read from the header bytes (a JSON header: no string, no JSON.parse). */
export interface PullAnswerHead extends ResponseHead {
  nextBeginOffset: number;
  minOffset: number;
  maxOffset: number;
  /** where the body (the records) starts in the frame */
  bodyAt: number;
}

export function pullAnswerHead(f: Buffer): PullAnswerHead {
  const headerEnd = 4 + f.readUIntBE(1, 3);
  if (f[0] !== 0) {
    const r = decodeResponse(f);
    const ext = (key: string) => (r.extFields[key] === undefined ? NaN : Number(r.extFields[key]));
    return {
      code: r.code,
      opaque: r.opaque,
      nextBeginOffset: ext('nextBeginOffset'),
      minOffset: ext('minOffset'),
      maxOffset: ext('maxOffset'),
      bodyAt: headerEnd,
    };
  }
  return {
    ...responseHead(f),
    nextBeginOffset: intAfter(f, NEXT_BEGIN_KEY, 4, headerEnd),
    minOffset: intAfter(f, MIN_OFFSET_KEY, 4, headerEnd),
    maxOffset: intAfter(f, MAX_OFFSET_KEY, 4, headerEnd),
    bodyAt: headerEnd,
  };
}

export interface FullResponse {
  code: number;
  opaque: number;
  extFields: Record<string, string>;
  body?: Buffer;
  remark?: string;
}

export function decodeResponse(f: Buffer): FullResponse {
  const c = decodeRemotingCommand(f);
  const ext: Record<string, string> = {};
  for (const [k, v] of Object.entries(c.extFields ?? {})) if (v !== undefined && v !== null) ext[k] = String(v);
  return { code: c.code, opaque: c.opaque, extFields: ext, body: c.body, remark: c.remark ?? undefined };
}

/** Messages in a pull body (f from `start` on): the records' TOTALSIZE fields walked end to end. */
export function countRecords(f: Buffer | undefined, start = 0): number {
  if (!f) return 0;
  let n = 0;
  for (let at = start; at + 4 <= f.length; n++) {
    const size = f.readInt32BE(at);
    if (size <= 0) break;
    at += size;
  }
  return n;
}
