// The Java values a selector expression computes with, and the conversions and
// comparison rules of RocketMQ 4.7.1's ComparisonExpression.__compare (with
// string conversion switched on, as SelectorParser.parse always does).
//
//   Java type   representation here
//   String      string
//   Boolean     boolean
//   Integer     number  (always an int32)
//   Long        bigint  (always an int64)
//   Double      JDouble
//   null        null
// Message properties are Strings; literals are String, Integer/Long (decimal
// literals that fit an int become Integer), Double, Boolean or null.

import { FilterEvaluationError } from './errors';

export class JDouble {
  constructor(readonly value: number) {}
}

export type JValue = null | string | boolean | number | bigint | JDouble;

type JClass = 'String' | 'Boolean' | 'Integer' | 'Long' | 'Double';

export function javaClassOf(v: Exclude<JValue, null>): JClass {
  switch (typeof v) {
    case 'string':
      return 'String';
    case 'boolean':
      return 'Boolean';
    case 'number':
      return 'Integer';
    case 'bigint':
      return 'Long';
    default:
      return 'Double';
  }
}

const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

function numberFormatError(s: string): FilterEvaluationError {
  return new FilterEvaluationError(`java.lang.NumberFormatException: For input string: "${s}"`);
}

/** Value of a BMP character as a decimal digit, like Character.digit(ch, 10); -1 if none. */
function decimalDigit(ch: string): number {
  if (ch >= '0' && ch <= '9') return ch.charCodeAt(0) - 48;
  if (!/^\p{Nd}$/u.test(ch)) return -1;
  // Unicode decimal digits come in runs of ten, each starting with its zero.
  let code = ch.charCodeAt(0);
  let steps = 0;
  while (/^\p{Nd}$/u.test(String.fromCharCode(code - 1))) {
    code--;
    steps++;
  }
  return steps % 10;
}

/** True for an optional sign followed by 1..maxDigits ASCII digits. */
function isShortAsciiInteger(s: string, maxDigits: number): boolean {
  const first = s.charCodeAt(0);
  let i = first === 43 || first === 45 ? 1 : 0; // '+' or '-'
  if (s.length - i < 1 || s.length - i > maxDigits) return false;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Long.parseLong / Integer.parseInt in radix 10 with the given range. */
function parseJavaIntegral(s: string, min: bigint, max: bigint): bigint {
  if (isShortAsciiInteger(s, 18)) {
    const quick = BigInt(s);
    if (quick < min || quick > max) throw numberFormatError(s);
    return quick;
  }
  let i = 0;
  let negative = false;
  if (s[0] === '-' || s[0] === '+') {
    negative = s[0] === '-';
    i = 1;
  }
  if (i >= s.length) throw numberFormatError(s);
  let result = 0n;
  for (; i < s.length; i++) {
    const d = decimalDigit(s[i]);
    if (d < 0) throw numberFormatError(s);
    result = result * 10n + BigInt(d);
    if (result > max + 1n) throw numberFormatError(s);
  }
  if (negative) result = -result;
  if (result < min || result > max) throw numberFormatError(s);
  return result;
}

/** Integer.valueOf(String). */
export function parseJavaInt(s: string): number {
  if (isShortAsciiInteger(s, 9)) return Number(s) | 0;
  return Number(parseJavaIntegral(s, INT_MIN, INT_MAX));
}

/** Long.valueOf(String). */
export function parseJavaLong(s: string): bigint {
  return parseJavaIntegral(s, LONG_MIN, LONG_MAX);
}

const JAVA_DECIMAL_FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?$/;
const JAVA_HEX_FLOAT = /^([+-]?)0[xX](?:([0-9a-fA-F]+)\.?([0-9a-fA-F]*)|\.([0-9a-fA-F]+))[pP]([+-]?\d+)[fFdD]?$/;

/** Double.valueOf(String): trims characters <= ' ', accepts NaN, Infinity, hex floats and an f/F/d/D suffix. */
export function parseJavaDouble(s: string): number {
  // String.trim() removes every char <= U+0020 at both ends.
  const t = s.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  if (/^[+-]?NaN$/.test(t)) return NaN;
  if (/^[+-]?Infinity$/.test(t)) return t[0] === '-' ? -Infinity : Infinity;
  if (JAVA_DECIMAL_FLOAT.test(t)) return Number(t.replace(/[fFdD]$/, ''));
  const hex = JAVA_HEX_FLOAT.exec(t);
  if (hex) {
    const intPart = hex[2] ?? '';
    const fracPart = hex[3] ?? hex[4] ?? '';
    const mantissa = BigInt(`0x${intPart + fracPart || '0'}`);
    const exponent = Number(hex[5]) - 4 * fracPart.length;
    const magnitude = Number(mantissa) * 2 ** exponent;
    return hex[1] === '-' ? -magnitude : magnitude;
  }
  throw numberFormatError(s);
}

/** Boolean.valueOf(String). */
export function parseJavaBoolean(s: string): boolean {
  return s.toLowerCase() === 'true';
}

/** Double.compare (what Double.compareTo does): -0.0 < 0.0, NaN above everything and equal to itself. */
export function compareDoubles(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  const aNaN = Number.isNaN(a);
  const bNaN = Number.isNaN(b);
  if (aNaN || bNaN) return aNaN === bNaN ? 0 : aNaN ? 1 : -1;
  if (a === 0 && b === 0) {
    const aNeg = Object.is(a, -0);
    const bNeg = Object.is(b, -0);
    return aNeg === bNeg ? 0 : aNeg ? -1 : 1;
  }
  return 0;
}

const sign = (n: number | bigint): number => (n > 0 ? 1 : n < 0 ? -1 : 0);

/**
 * ComparisonExpression.__compare(lv, rv, true): converts the right-hand or
 * left-hand value so both have the same class, then compareTo. Unrelated
 * classes compare as -1 (so `=` is false). Throws FilterEvaluationError where
 * Java throws (a String that does not parse as the other side's number type,
 * and Boolean on the left of a String, which is a ClassCastException in Java).
 */
export function javaCompare(lv: Exclude<JValue, null>, rv: Exclude<JValue, null>): number {
  const lc = javaClassOf(lv);
  const rc = javaClassOf(rv);
  if (lc !== rc) {
    switch (lc) {
      case 'Boolean':
        if (rc === 'String') {
          throw new FilterEvaluationError('java.lang.ClassCastException: Boolean cannot be cast to String');
        }
        return -1;
      case 'Integer':
        if (rc === 'Long') lv = BigInt(lv as number);
        else if (rc === 'Double') lv = new JDouble(lv as number);
        else if (rc === 'String') rv = parseJavaInt(rv as string);
        else return -1;
        break;
      case 'Long':
        if (rc === 'Integer') rv = BigInt(rv as number);
        else if (rc === 'Double') lv = new JDouble(Number(lv as bigint));
        else if (rc === 'String') rv = parseJavaLong(rv as string);
        else return -1;
        break;
      case 'Double':
        if (rc === 'Integer') rv = new JDouble(rv as number);
        else if (rc === 'Long') rv = new JDouble(Number(rv as bigint));
        else if (rc === 'String') rv = new JDouble(parseJavaDouble(rv as string));
        else return -1;
        break;
      case 'String':
        if (rc === 'Boolean') lv = parseJavaBoolean(lv as string);
        else if (rc === 'Integer') lv = parseJavaInt(lv as string);
        else if (rc === 'Long') lv = parseJavaLong(lv as string);
        else if (rc === 'Double') lv = new JDouble(parseJavaDouble(lv as string));
        break;
    }
  }
  return compareSameClass(lv, rv);
}

function compareSameClass(lv: Exclude<JValue, null>, rv: Exclude<JValue, null>): number {
  if (lv instanceof JDouble) return compareDoubles(lv.value, (rv as JDouble).value);
  if (typeof lv === 'boolean') return lv === rv ? 0 : lv ? 1 : -1;
  if (typeof lv === 'bigint') return sign(lv - (rv as bigint));
  if (typeof lv === 'number') return sign(lv - (rv as number));
  const r = rv as string;
  return lv < r ? -1 : lv > r ? 1 : 0; // UTF-16 code unit order, as String.compareTo
}

/** UnaryExpression.negate: numbers change sign (with Java overflow), anything else is null. */
export function javaNegate(v: JValue): JValue {
  if (typeof v === 'number') return -v | 0;
  if (typeof v === 'bigint') return BigInt.asIntN(64, -v);
  if (v instanceof JDouble) return new JDouble(-v.value);
  return null;
}
