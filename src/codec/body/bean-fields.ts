// Reading Java beans out of parsed fastjson values, with fastjson's leniency: numbers may arrive as
// strings ("perm":"6"), booleans as strings, and a missing property keeps the Java default.
// Anything else that does not fit the Java type raises CodecError naming the bean and property.
import { CodecError } from '../codec-error';
import type { FastjsonObject, FastjsonValue } from '../fastjson-parse';

export function asBean(value: FastjsonValue | undefined, what: string): FastjsonObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Map) {
    throw new CodecError(`${what} is not a JSON object`);
  }
  return value;
}

function numberField(
  bean: FastjsonObject,
  key: string,
  fallback: number,
  what: string,
  min: number,
  max: number,
): number {
  const raw = bean[key];
  if (raw === undefined || raw === null) return fallback;
  const value = typeof raw === 'string' ? Number(raw.trim()) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new CodecError(`${what}.${key} is not a valid number: ${JSON.stringify(raw)}`);
  }
  return value;
}

export function intField(bean: FastjsonObject, key: string, fallback: number, what: string): number {
  return numberField(bean, key, fallback, what, -2147483648, 2147483647);
}

export function longField(bean: FastjsonObject, key: string, fallback: number, what: string): number {
  return numberField(bean, key, fallback, what, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
}

export function boolField(bean: FastjsonObject, key: string, fallback: boolean, what: string): boolean {
  const raw = bean[key];
  if (raw === undefined || raw === null) return fallback;
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'string' && /^(true|false)$/i.test(raw)) return raw.toLowerCase() === 'true';
  if (typeof raw === 'number') return raw !== 0;
  throw new CodecError(`${what}.${key} is not a boolean: ${JSON.stringify(raw)}`);
}

export function optionalStringField(bean: FastjsonObject, key: string, what: string): string | undefined {
  const raw = bean[key];
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  throw new CodecError(`${what}.${key} is not a string`);
}

/** A JSON array of strings (null elements dropped, as Java lists of String would keep them unused). */
export function stringList(value: FastjsonValue | undefined, what: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new CodecError(`${what} is not a JSON array`);
  return value
    .filter((item) => item !== null)
    .map((item) => {
      if (typeof item !== 'string') throw new CodecError(`${what} holds a non-string element`);
      return item;
    });
}
