// The socket fuzzer's source of randomness and junk: a seeded PRNG (so `--seed X` replays a run)
// and the junk strings, numbers and JSON it fills fields with.

/** mulberry32: a small, fast 32-bit PRNG; the same seed gives the same run. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  bytes(sizeBytes: number): Buffer {
    const bytes = Buffer.allocUnsafe(sizeBytes);
    for (let i = 0; i < sizeBytes; i++) bytes[i] = (this.next() * 256) | 0;
    return bytes;
  }

  /** A length skewed towards small values, at most `max`. */
  length(max: number): number {
    const scale = this.pick([4, 16, 64, 512, max]);
    return this.int(0, Math.min(scale, max));
  }
}

const JUNK_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\u0001',
  '\u0002',
  '\u0001\u0002',
  '%',
  '%RETRY%',
  'TBW102',
  'SCHEDULE_TOPIC_XXXX',
  'RMQ_SYS_TRACE_TOPIC',
  'DefaultCluster',
  '*',
  '||',
  'a||b',
  '../..',
  '../../etc/passwd',
  '/',
  '\\',
  'a/b',
  'a:b',
  '=',
  'a=b',
  '\n',
  'a\nb=c',
  '#',
  '\r\n',
  '{',
  '}',
  '[',
  ']',
  '"',
  "'",
  'null',
  'true',
  'false',
  'NaN',
  'TAGS IN (',
  "a > 'x'",
  '\ud800',
  '😀',
  'é',
  '٣',
  'x'.repeat(127),
  'x'.repeat(128),
  'x'.repeat(256),
  'x'.repeat(4000),
];
const JUNK_NUMBERS = [
  '0',
  '-0',
  '1',
  '-1',
  '2',
  '3',
  '4',
  '7',
  '8',
  '16',
  '32',
  '255',
  '256',
  '1024',
  '65535',
  '65536',
  '2147483647',
  '2147483648',
  '-2147483648',
  '-2147483649',
  '4294967296',
  '9007199254740991',
  '9007199254740993',
  '9223372036854775807',
  '9223372036854775808',
  '-9223372036854775808',
  '1e3',
  '1.5',
  '0x10',
  ' 1',
  '1 ',
  '+1',
  '1e400',
  'Infinity',
  '-Infinity',
];

export function junkString(random: Random): string {
  switch (random.int(0, 5)) {
    case 0:
      return random.pick(JUNK_NUMBERS);
    case 1:
      return random.bytes(random.length(64)).toString('latin1');
    case 2:
      return random.bytes(random.length(64)).toString('utf8');
    case 3:
      return `fuzz${random.int(0, 63)}`;
    default:
      return random.pick(JUNK_STRINGS);
  }
}

/** A value for a header field: usually junk, sometimes a plausible value so deeper code runs. */
export function junkField(random: Random, plausible: string): string {
  return random.chance(0.6) ? plausible : junkString(random);
}

/** Any JSON value, up to `depth` levels, with junk keys and strings. */
export function junkJsonValue(random: Random, depth: number): unknown {
  const kind = random.int(0, depth <= 0 ? 3 : 5);
  if (kind === 0) return junkString(random);
  if (kind === 1) return random.pick([0, -1, 1.5, 2147483648, 2 ** 53 + 1, -1e300, 1e300]);
  if (kind === 2) return random.pick([null, true, false]);
  if (kind === 3) return random.pick(JUNK_NUMBERS);
  if (kind === 4) return Array.from({ length: random.length(6) }, () => junkJsonValue(random, depth - 1));
  const object: Record<string, unknown> = {};
  for (let i = random.length(6); i > 0; i--) object[junkString(random)] = junkJsonValue(random, depth - 1);
  return object;
}

/** `{` / `[` nested `depth` deep, closed or not. */
export function deepJson(random: Random, depth: number): string {
  const open = random.pick(['[', '{"a":', '{"consumerDataSet":[', "{'k':[", '{{']);
  const close = open === '[' ? ']' : open === '{"a":' ? '}' : open === '{"consumerDataSet":[' ? ']}' : '';
  const closed = random.chance(0.5);
  return `${open.repeat(depth)}1${closed ? close.repeat(depth) : ''}`;
}
