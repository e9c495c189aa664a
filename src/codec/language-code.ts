// org.apache.rocketmq.remoting.protocol.LanguageCode: the name travels in JSON headers, the
// byte in ROCKETMQ binary headers (the ordinal). JSON decoding also accepts the ordinal.
import { CodecError } from './codec-error';

export const LANGUAGE_CODES = [
  'JAVA',
  'CPP',
  'DOTNET',
  'PYTHON',
  'DELPHI',
  'ERLANG',
  'RUBY',
  'OTHER',
  'HTTP',
  'GO',
  'PHP',
  'OMS',
] as const;

export type LanguageCode = (typeof LANGUAGE_CODES)[number];

const byteByName = new Map<string, number>(LANGUAGE_CODES.map((name, index) => [name, index]));

export function languageToByte(language: string): number {
  const code = byteByName.get(language);
  return code === undefined ? byteByName.get('OTHER')! : code;
}

export function languageFromByte(code: number, position: number): LanguageCode {
  const name = LANGUAGE_CODES[code];
  if (name === undefined) throw new CodecError(`unknown language code ${code}`, position);
  return name;
}

/** JSON `language`: a name, or an ordinal (fastjson accepts both). */
export function languageFromJson(value: unknown): LanguageCode {
  if (typeof value === 'number') return languageFromByte(value, -1);
  if (typeof value === 'string' && byteByName.has(value)) return value as LanguageCode;
  throw new CodecError(`unknown language ${JSON.stringify(value)}`);
}
