// java.util.Properties text, as broker.conf / namesrv.properties and the bodies of
// GET_BROKER_CONFIG / UPDATE_BROKER_CONFIG use it.
//
//   line      = blank | comment | entry          comment = ("#" | "!") text
//   entry     = key separator value              separator = [ \t\f]* ("=" | ":")? [ \t\f]*
//   a trailing "\" joins the next line; \uXXXX, \t, \n, \r, \f escapes are decoded.
// Leading whitespace of a value is dropped, trailing whitespace is kept (Java does the same,
// which is why "listenPort=10911 " is silently ignored by Java; see bindProperties below).
import { unsafeTextProblem } from './unsafe-text';

function unescapeJavaProperty(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_match, escaped: string) => {
    if (escaped.length === 5) return String.fromCharCode(parseInt(escaped.slice(1), 16));
    return ({ t: '\t', n: '\n', r: '\r', f: '\f' } as Record<string, string>)[escaped] ?? escaped;
  });
}

function logicalLines(text: string): string[] {
  const lines: string[] = [];
  let pending = '';
  for (const physical of text.split(/\r\n|\r|\n/)) {
    const line = pending === '' ? physical.replace(/^[ \t\f]+/, '') : physical.replace(/^[ \t\f]+/, '');
    const trailingBackslashes = /\\*$/.exec(line)![0].length;
    if (trailingBackslashes % 2 === 1) {
      pending += line.slice(0, -1);
      continue;
    }
    lines.push(pending + line);
    pending = '';
  }
  if (pending !== '') lines.push(pending);
  return lines;
}

export function parseJavaProperties(text: string): Map<string, string> {
  const properties = new Map<string, string>();
  for (const line of logicalLines(text)) {
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const match = /^((?:\\.|[^=: \t\f\\])*)[ \t\f]*[=:]?[ \t\f]*(.*)$/s.exec(line);
    if (match === null) continue;
    properties.set(unescapeJavaProperty(match[1]), unescapeJavaProperty(match[2]));
  }
  return properties;
}

/**
 * Why a key or value received from a client could not be written by formatJavaProperties and read
 * back by parseJavaProperties as itself: a line break would add lines (keys!) to the file, a
 * backslash starts an escape or joins the next line, and the rest of unsafeTextProblem. One line
 * per refused entry, naming the key and the rule; empty when every entry is safe to persist.
 */
export function persistedPropertyProblems(properties: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  const rule =
    'a setting is written to a properties file unescaped, so it may not hold control characters, unpaired surrogates or backslashes';
  for (const [key, value] of properties) {
    for (const [what, text] of [
      ['key', key],
      ['value', value],
    ] as const) {
      const problem =
        unsafeTextProblem(text) ??
        (text.includes('\\') ? `contains a backslash at index ${text.indexOf('\\')}` : undefined);
      if (problem !== undefined) {
        problems.push(`the ${what} of ${JSON.stringify(key.slice(0, 100))} ${problem}; ${rule}`);
        break;
      }
    }
  }
  return problems;
}

/** MixAll.properties2String: `key=value\n` for each entry, no escaping. */
export function formatJavaProperties(properties: Iterable<[string, unknown]>): string {
  let text = '';
  for (const [key, value] of properties) {
    if (value !== undefined && value !== null) text += `${key}=${String(value)}\n`;
  }
  return text;
}

/**
 * Applies properties to a config object whose fields have the Java key names, converting by the
 * field's current type like Java's setter reflection: numbers must parse whole (trailing spaces
 * make Java drop the key; we trim and accept), booleans follow Boolean.parseBoolean. Only the
 * object's own fields are keys (never `toString`, `__proto__` and the like). Returns the
 * keys that matched no field or did not parse, so the caller can warn about them.
 */
export function bindProperties<T extends object>(target: T, properties: Map<string, string>): string[] {
  const rejected: string[] = [];
  const fields = target as Record<string, unknown>;
  for (const [key, text] of properties) {
    if (!Object.hasOwn(fields, key)) {
      // never `toString`, `__proto__`, …
      rejected.push(key);
      continue;
    }
    const current = fields[key];
    const value = text.trim();
    if (typeof current === 'number') {
      const number = Number(value);
      if (value === '' || !Number.isFinite(number)) rejected.push(key);
      else fields[key] = number;
    } else if (typeof current === 'boolean') fields[key] = value.toLowerCase() === 'true';
    else fields[key] = value;
  }
  return rejected;
}
