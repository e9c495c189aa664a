// A tolerant reader for the JSON dialect fastjson (1.2.69) writes and accepts.
//
//   value  = object | array | string | number | true | false | null
//   object = "{" [ member ("," member)* [","] ] "}"
//   member = key ":" value
//   key    = string | 'single-quoted' | bare-word | number | object | array
//   string = '"' chars '"' | "'" chars "'"
//
// Beyond RFC 8259 this accepts what Java RocketMQ sends: unquoted numeric map keys
// ({0:"127.0.0.1:10911"}), objects as map keys ({{"brokerName":"b","queueId":0,"topic":"T"}:10}),
// single quotes and trailing commas. An object whose keys are all strings or numbers becomes a
// plain object (numbers as their decimal text); one with a structured key becomes a Map keyed by
// the parsed key. `$ref` objects are kept as they are.
import { CodecError } from './codec-error';

export type FastjsonValue = null | boolean | number | string | FastjsonValue[] | FastjsonObject | FastjsonMap;
export interface FastjsonObject {
  [key: string]: FastjsonValue;
}
export type FastjsonMap = Map<FastjsonValue, FastjsonValue>;

/** fastjsonMaxDepth's default: deeper bodies are refused (a typed CodecError naming the key). */
export const FASTJSON_MAX_DEPTH = 64;
const FASTJSON_MAX_DEPTH_CEILING = 1000;
let maxDepth = FASTJSON_MAX_DEPTH;

/**
 * Sets the nesting limit of every parse in this process (the fastjsonMaxDepth key of the broker and
 * the NameServer; one process running both uses the last one set). A setting, not I/O: the codec
 * stays pure. Throws RangeError outside 1..1000 (deeper recursion risks the stack).
 */
export function setFastjsonMaxDepth(depth: number): void {
  if (!Number.isInteger(depth) || depth < 1 || depth > FASTJSON_MAX_DEPTH_CEILING) {
    throw new RangeError(`fastjsonMaxDepth must be an integer in 1..${FASTJSON_MAX_DEPTH_CEILING}, got ${depth}`);
  }
  maxDepth = depth;
}

export function fastjsonMaxDepth(): number {
  return maxDepth;
}

class Reader {
  position = 0;
  constructor(readonly text: string) {}

  fail(reason: string): never {
    throw new CodecError(`fastjson: ${reason}`, this.position);
  }

  skipSpace(): void {
    const text = this.text;
    while (this.position < text.length) {
      const c = text.charCodeAt(this.position);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0xfeff) this.position++;
      else break;
    }
  }

  peek(): string {
    this.skipSpace();
    return this.text[this.position];
  }

  expect(char: string): void {
    if (this.peek() !== char) this.fail(`expected '${char}'`);
    this.position++;
  }

  value(depth: number): FastjsonValue {
    if (depth > maxDepth) this.fail(`nesting deeper than fastjsonMaxDepth=${maxDepth}`);
    const c = this.peek();
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"' || c === "'") return this.string(c);
    if (c === undefined) this.fail('unexpected end of input');
    return this.word();
  }

  array(depth: number): FastjsonValue[] {
    this.expect('[');
    const items: FastjsonValue[] = [];
    while (this.peek() !== ']') {
      items.push(this.value(depth + 1));
      if (this.peek() === ',') this.position++;
      else if (this.peek() !== ']') this.fail("expected ',' or ']'");
    }
    this.position++;
    return items;
  }

  object(depth: number): FastjsonObject | FastjsonMap {
    this.expect('{');
    const entries: [FastjsonValue, FastjsonValue][] = [];
    let structuredKey = false;
    while (this.peek() !== '}') {
      const c = this.peek();
      let key: FastjsonValue;
      if (c === '{' || c === '[') {
        key = this.value(depth + 1);
        structuredKey = true;
      } else if (c === '"' || c === "'") key = this.string(c);
      else key = String(this.word());
      this.expect(':');
      entries.push([key, this.value(depth + 1)]);
      if (this.peek() === ',') this.position++;
      else if (this.peek() !== '}') this.fail("expected ',' or '}'");
    }
    this.position++;
    if (structuredKey) return new Map(entries);
    const result: FastjsonObject = {};
    for (const [key, value] of entries) {
      Object.defineProperty(result, key as string, { value, enumerable: true, writable: true, configurable: true });
    }
    return result;
  }

  string(quote: string): string {
    const text = this.text;
    let position = this.position + 1;
    let out = '';
    let runStart = position;
    while (position < text.length) {
      const c = text[position];
      if (c === quote) {
        out += text.slice(runStart, position);
        this.position = position + 1;
        return out;
      }
      if (c === '\\') {
        out += text.slice(runStart, position);
        position = this.escape(position, (decoded) => (out += decoded));
        runStart = position;
      } else position++;
    }
    this.position = position;
    return this.fail('unterminated string');
  }

  escape(position: number, emit: (decoded: string) => void): number {
    const c = this.text[position + 1];
    const simple: Record<string, string> = {
      '"': '"',
      "'": "'",
      '\\': '\\',
      '/': '/',
      b: '\b',
      f: '\f',
      n: '\n',
      r: '\r',
      t: '\t',
    };
    if (c in simple) {
      emit(simple[c]);
      return position + 2;
    }
    if (c === 'u' || c === 'x') {
      const digits = c === 'u' ? 4 : 2;
      const hex = this.text.slice(position + 2, position + 2 + digits);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) {
        this.position = position;
        this.fail('bad escape');
      }
      emit(String.fromCharCode(parseInt(hex, 16)));
      return position + 2 + digits;
    }
    this.position = position;
    return this.fail('bad escape');
  }

  word(): FastjsonValue {
    const match = /^[A-Za-z0-9_$.+-]+/.exec(this.text.slice(this.position, this.position + 64));
    if (match === null) this.fail('unexpected character');
    const word = match[0];
    this.position += word.length;
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?[LlFfDd]?$/.test(word)) return Number(word.replace(/[LlFfDd]$/, ''));
    return word;
  }
}

/** Parses fastjson-dialect JSON text. Throws CodecError with the character position on bad input. */
export function parseFastjson(text: string | Buffer): FastjsonValue {
  const reader = new Reader(typeof text === 'string' ? text : text.toString('utf8'));
  const value = reader.value(0);
  reader.skipSpace();
  if (reader.position !== reader.text.length) reader.fail('trailing characters');
  return value;
}
