// Checks of what the browser sends: every API input goes through these, and a bad one answers
// 400 with the field named (nothing is changed).

export class BadRequest extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** Longest string field accepted (a message body has its own limit). */
const MAX_FIELD_CHARS = 4096;

export function stringField(
  input: Record<string, unknown>,
  name: string,
  options: { optional?: boolean; maxChars?: number } = {},
): string {
  const value = input[name];
  if (value === undefined || value === null || value === '') {
    if (options.optional === true) return '';
    throw new BadRequest(`${name} is required`);
  }
  if (typeof value !== 'string') throw new BadRequest(`${name} must be a string`);
  const maxChars = options.maxChars ?? MAX_FIELD_CHARS;
  if (value.length > maxChars) throw new BadRequest(`${name} is longer than ${maxChars} characters`);
  return value.trim();
}

export function intField(
  input: Record<string, unknown>,
  name: string,
  min: number,
  max: number,
  fallback?: number,
): number {
  const raw = input[name];
  if ((raw === undefined || raw === null || raw === '') && fallback !== undefined) return fallback;
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new BadRequest(`${name} must be an integer`);
  if (value < min || value > max) throw new BadRequest(`${name} must be between ${min} and ${max}`);
  return value;
}

/** A time as epoch milliseconds or an ISO-8601 text; -1 allowed where `allowLatest`. */
export function timeField(input: Record<string, unknown>, name: string, fallback?: number): number {
  const raw = input[name];
  if ((raw === undefined || raw === null || raw === '') && fallback !== undefined) return fallback;
  const value =
    typeof raw === 'number'
      ? raw
      : typeof raw === 'string' && /^-?\d+$/.test(raw.trim())
        ? Number(raw)
        : Date.parse(String(raw));
  if (!Number.isFinite(value) || value < -1 || value > 8.64e15)
    throw new BadRequest(`${name} is not a time (epoch ms or ISO-8601)`);
  return value;
}
