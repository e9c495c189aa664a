// A writer for the JSON dialect Java RocketMQ (fastjson 1.2.69) emits, so the 4.7.1 client and the
// Java broker read our bodies and config files exactly as they read their own:
//
// - plain objects are Java beans: keys in alphabetical order, null/undefined properties left out;
// - Map values are Java maps: string keys in java.util.HashMap order, number keys unquoted
//   ({0:"127.0.0.1:10911"}), object keys written as objects ({{"brokerName":…}:10}), null values
//   left out;
// - JavaDouble values keep a decimal point (1.0), as Java doubles do;
// - `pretty` is fastjson's PrettyFormat (tab indentation), used for config/*.json.
import { javaHashMapOrder } from './java-hash';

/** A number that Java holds as a double: written as `1.0`, not `1`. */
export class JavaDouble {
  constructor(readonly value: number) {}
  toJSON(): string {
    return Number.isInteger(this.value) ? this.value.toFixed(1) : String(this.value);
  }
}

export type WritableValue = unknown;

const SHORT_ESCAPES: Record<number, string> = {
  8: '\\b',
  9: '\\t',
  10: '\\n',
  12: '\\f',
  13: '\\r',
  34: '\\"',
  92: '\\\\',
};

/** Quotes a string as fastjson does: short escapes, \\u00XX for other control characters. */
export function quoteString(text: string): string {
  let out = '"';
  let runStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c !== 34 && c !== 92) continue;
    out += text.slice(runStart, i);
    out += SHORT_ESCAPES[c] ?? `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
    runStart = i + 1;
  }
  return `${out + text.slice(runStart)}"`;
}

class Writer {
  out = '';
  constructor(readonly pretty: boolean) {}

  newline(depth: number): void {
    if (this.pretty) this.out += `\n${'\t'.repeat(depth)}`;
  }

  value(value: unknown, depth: number): void {
    if (value === null || value === undefined) this.out += 'null';
    else if (typeof value === 'string') this.out += quoteString(value);
    else if (typeof value === 'number') this.out += Number.isFinite(value) ? String(value) : 'null';
    else if (typeof value === 'boolean') this.out += String(value);
    else if (typeof value === 'bigint') this.out += value.toString();
    else if (value instanceof JavaDouble) this.out += value.toJSON();
    else if (Array.isArray(value) || value instanceof Set) this.array([...value], depth);
    else if (value instanceof Map) this.map(value, depth);
    else this.bean(value as Record<string, unknown>, depth);
  }

  array(items: unknown[], depth: number): void {
    this.out += '[';
    items.forEach((item, index) => {
      if (index > 0) this.out += ',';
      this.newline(depth + 1);
      this.value(item, depth + 1);
    });
    if (items.length > 0) this.newline(depth);
    this.out += ']';
  }

  /**
   * PrettyFormat quirk (fastjson 1.2.69 MapSerializer): entries of a map with non-string keys are
   * not put on lines of their own, but the closing brace still is: {0:3,1:4\n\t}.
   */
  members(entries: [unknown, unknown][], depth: number, inlineEntries = false): void {
    this.out += '{';
    let first = true;
    for (const [key, value] of entries) {
      if (value === null || value === undefined) continue;
      if (!first) this.out += ',';
      first = false;
      if (!inlineEntries) this.newline(depth + 1);
      if (typeof key === 'number') this.out += String(key);
      else if (typeof key === 'string') this.out += quoteString(key);
      else this.value(key, depth + 1);
      this.out += ':';
      this.value(value, depth + 1);
    }
    if (!first) this.newline(depth);
    this.out += '}';
  }

  bean(bean: Record<string, unknown>, depth: number): void {
    const keys = Object.keys(bean).sort();
    this.members(
      keys.map((key) => [key, bean[key]]),
      depth,
    );
  }

  map(map: Map<unknown, unknown>, depth: number): void {
    const keys = [...map.keys()];
    let ordered = keys;
    if (keys.every((key) => typeof key === 'string')) ordered = javaHashMapOrder(keys as string[]);
    else if (keys.every((key) => typeof key === 'number'))
      ordered = [...keys].sort((a, b) => (a as number) - (b as number));
    const inlineEntries = keys.length > 0 && typeof keys[0] !== 'string';
    this.members(
      ordered.map((key) => [key, map.get(key)]),
      depth,
      inlineEntries,
    );
  }
}

/** Serializes `value` as fastjson would (see the file comment for the mapping of JS types). */
export function stringifyFastjson(value: unknown, options: { pretty?: boolean } = {}): string {
  const writer = new Writer(options.pretty === true);
  writer.value(value, 0);
  return writer.out;
}

/** The same, as UTF-8 bytes for a RemotingCommand body. */
export function encodeFastjsonBody(value: unknown): Buffer {
  return Buffer.from(stringifyFastjson(value), 'utf8');
}
