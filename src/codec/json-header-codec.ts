// JSON header (serializeType 0): fastjson's rendering of RemotingCommand's getters.
//
//   {"code":int,"extFields":{string:string,...},"flag":int,"language":NAME,"opaque":int,
//    "remark":string,"serializeTypeCurrentRPC":"JSON"|"ROCKETMQ","version":int}
//
// Keys come in alphabetical order (fastjson sorts bean properties); null properties are left out;
// extFields keys come in java.util.HashMap order (fastjson writes maps as it iterates them).
// Decoding is tolerant like fastjson: unknown keys are ignored, missing ones keep defaults, numbers
// inside extFields become strings, `language` may be a name or an ordinal.
import { CodecError } from './codec-error';
import { javaHashMapOrder } from './java-hash';
import { JSON_HEADER_SCHEMA, JSON_HEADER_SERIALIZER_FILE } from './json-header-schema';
import { templatedJsonHeader, templatedJsonHeaderText } from './json-header-template';
import { languageFromJson } from './language-code';
import type { ExtFields, RemotingCommand } from './remoting-command-model';

type HeaderSerializer = (header: Record<string, unknown>) => string;

/**
 * The serializer generated at build time when it is there (a fast start); otherwise (running
 * from sources) fast-json-stringify compiles the same schema now.
 */
function loadHeaderSerializer(): { stringify: HeaderSerializer; source: 'generated' | 'compiled' } {
  const generated = `./${JSON_HEADER_SERIALIZER_FILE}`;
  try {
    return { stringify: require(generated) as HeaderSerializer, source: 'generated' };
  } catch (error) {
    const missing =
      (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' &&
      String((error as Error).message).includes(JSON_HEADER_SERIALIZER_FILE);
    if (!missing) throw error;
  }
  const fastJson = require('fast-json-stringify') as (schema: unknown) => HeaderSerializer;
  return { stringify: fastJson(JSON_HEADER_SCHEMA), source: 'compiled' };
}

const headerSerializer = loadHeaderSerializer();
const stringifyHeader = headerSerializer.stringify;
/** Which serializer this process uses (tests check that a build ships the generated one). */
export const jsonHeaderSerializerSource = headerSerializer.source;

/** extFields re-ordered as a Java HashMap would iterate them. */
export function javaOrderedExtFields(extFields: ExtFields): ExtFields {
  const keys = Object.keys(extFields);
  if (keys.length <= 1) return extFields;
  const ordered: ExtFields = {};
  for (const key of javaHashMapOrder(keys)) ordered[key] = extFields[key];
  return ordered;
}

/** The JSON header of `command`: from its shape's template when there is one (json-header-template). */
export function encodeJsonHeader(command: RemotingCommand): Buffer {
  return templatedJsonHeader(command, encodeJsonHeaderGeneric) ?? encodeJsonHeaderGeneric(command);
}

/** The JSON header of `command` as text when its shape has a template (printable ASCII), else undefined. */
export function templatedJsonHeaderTextOf(command: RemotingCommand): string | undefined {
  return templatedJsonHeaderText(command, encodeJsonHeaderGeneric);
}

/** The JSON header of `command`, through the generated serializer. */
export function encodeJsonHeaderGeneric(command: RemotingCommand): Buffer {
  const text = stringifyHeader({
    code: command.code,
    extFields: command.extFields === undefined ? undefined : javaOrderedExtFields(command.extFields),
    flag: command.flag,
    language: command.language,
    opaque: command.opaque,
    remark: command.remark === undefined || command.remark === null ? undefined : command.remark,
    serializeTypeCurrentRPC: 'JSON',
    version: command.version,
  });
  return Buffer.from(text, 'utf8');
}

function intField(parsed: Record<string, unknown>, key: string): number {
  const value = parsed[key];
  if (value === undefined || value === null) return 0;
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number)) {
    throw new CodecError(`header field ${key} is not an integer: ${JSON.stringify(value)}`);
  }
  return number;
}

function allStrings(fields: Record<string, unknown>): boolean {
  for (const key in fields) if (typeof fields[key] !== 'string') return false;
  return true;
}

function decodeExtFields(value: unknown): ExtFields | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    throw new CodecError('header field extFields is not an object');
  if (allStrings(value as Record<string, unknown>)) return value as ExtFields; // the usual case: no copy
  const extFields: ExtFields = {};
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    if (field === null || field === undefined) continue;
    extFields[key] =
      typeof field === 'string' ? field : typeof field === 'object' ? JSON.stringify(field) : String(field);
  }
  return extFields;
}

/** A remark as text: a string as it is, any other JSON value as its JSON text (never its toString). */
function remarkText(remark: unknown): string | undefined {
  if (remark === undefined || remark === null) return undefined;
  return typeof remark === 'string' ? remark : JSON.stringify(remark);
}

export function decodeJsonHeader(header: Buffer): RemotingCommand {
  let parsed: unknown;
  try {
    parsed = JSON.parse(header.toString('utf8'));
  } catch (error) {
    throw new CodecError(`JSON header does not parse: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new CodecError('JSON header is not an object');
  }
  const fields = parsed as Record<string, unknown>;
  const remark = fields.remark;
  return {
    code: intField(fields, 'code'),
    language: fields.language === undefined ? 'JAVA' : languageFromJson(fields.language),
    version: intField(fields, 'version'),
    opaque: intField(fields, 'opaque'),
    flag: intField(fields, 'flag'),
    remark: remarkText(remark),
    extFields: decodeExtFields(fields.extFields),
    serializeType: 0,
  };
}
