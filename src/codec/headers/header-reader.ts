// Reads a typed custom header out of a command's extFields, as Java's
// RemotingCommand.decodeCommandCustomHeader does, but strictly: a required (@CFNotNull) field
// that is missing or does not parse raises HeaderFieldError naming the field, which the server
// answers with SYSTEM_ERROR and that remark. Java types map as String → string,
// Integer/Long → number (integer range checked), Boolean → Boolean.parseBoolean.
import type { ExtFields } from '../remoting-command';

export class HeaderFieldError extends Error {
  constructor(
    readonly header: string,
    readonly field: string,
    reason: string,
  ) {
    super(`${header}: the custom field <${field}> ${reason}`);
    this.name = 'HeaderFieldError';
  }
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INTEGER_TEXT = /^[+-]?\d+$/;

export class HeaderReader {
  constructor(
    private readonly extFields: ExtFields | undefined,
    private readonly header: string,
  ) {}

  private raw(field: string): string | undefined {
    const value = this.extFields?.[field];
    return value === undefined || value === null ? undefined : value;
  }

  private missing(field: string): never {
    throw new HeaderFieldError(this.header, field, 'is null');
  }

  string(field: string): string {
    return this.raw(field) ?? this.missing(field);
  }

  optionalString(field: string): string | undefined {
    return this.raw(field);
  }

  private integer(field: string, text: string, min: number, max: number): number {
    const trimmed = text.trim();
    const value = Number(trimmed);
    if (!INTEGER_TEXT.test(trimmed) || !Number.isSafeInteger(value) || value < min || value > max) {
      throw new HeaderFieldError(this.header, field, `is not a valid number: ${JSON.stringify(text)}`);
    }
    return value;
  }

  int(field: string): number {
    return this.integer(field, this.string(field), INT32_MIN, INT32_MAX);
  }

  optionalInt(field: string): number | undefined {
    const text = this.raw(field);
    return text === undefined ? undefined : this.integer(field, text, INT32_MIN, INT32_MAX);
  }

  long(field: string): number {
    return this.integer(field, this.string(field), Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  }

  /**
   * A Long that may be anything up to Java's Long.MAX_VALUE (e.g. an open-ended end time),
   * clamped to the safe-integer range this side computes with.
   */
  longClamped(field: string): number {
    const text = this.string(field).trim();
    if (!INTEGER_TEXT.test(text) || text.replace(/^[+-]/, '').length > 19) {
      throw new HeaderFieldError(this.header, field, `is not a valid number: ${JSON.stringify(text)}`);
    }
    const value = Number(text);
    return Math.max(Number.MIN_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, value));
  }

  optionalLong(field: string): number | undefined {
    const text = this.raw(field);
    return text === undefined ? undefined : this.integer(field, text, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  }

  /** Boolean.parseBoolean: only a case-insensitive "true" is true; absent gives `fallback`. */
  bool(field: string, fallback = false): boolean {
    const text = this.raw(field);
    return text === undefined ? fallback : text.toLowerCase() === 'true';
  }
}

/** Builds extFields from a header object: every defined, non-null field as its string form. */
export function toExtFields(header: object): ExtFields {
  const extFields: ExtFields = {};
  for (const [key, value] of Object.entries(header)) {
    if (value !== undefined && value !== null) extFields[key] = String(value);
  }
  return extFields;
}
