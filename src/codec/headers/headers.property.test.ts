// Table-driven property test over every header decoder in src/codec/headers/ (found by walking the
// folder, so a new header file is covered without touching this test): extFields with the fields
// the decoders read, set to junk of every kind, give a header or HeaderFieldError / CodecError.
import { expect } from 'chai';
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { CodecError } from '../codec-error';
import { assertValueOrTypedError, fcParams } from '../property-support';
import type { ExtFields, RemotingCommand } from '../remoting-command';
import { RequestCode } from '../request-code';
import { HeaderFieldError } from './header-reader';

type Decoder = (...args: unknown[]) => unknown;

const SOURCE_DIR = path.resolve(__dirname, '../../../../src/codec/headers');

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return walk(full);
    return entry.name.endsWith('.js') && !entry.name.endsWith('.test.js') ? [full] : [];
  });
}

/** Every exported `decode*` function of the compiled headers folder, by "file:name". */
function headerDecoders(): Map<string, Decoder> {
  const decoders = new Map<string, Decoder>();
  for (const file of walk(__dirname)) {
    const exports = require(file) as Record<string, unknown>;
    for (const [name, value] of Object.entries(exports)) {
      if (name.startsWith('decode') && typeof value === 'function')
        decoders.set(`${path.basename(file, '.js')}:${name}`, value as Decoder);
    }
  }
  return decoders;
}

/** Every field name a header decoder reads, taken from the sources (plus V2's one-letter keys). */
function fieldNames(): string[] {
  const names = new Set<string>('abcdefghijklm'.split(''));
  const read = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((entry) =>
        entry.isDirectory()
          ? read(path.join(dir, entry.name))
          : entry.name.endsWith('.ts')
            ? [fs.readFileSync(path.join(dir, entry.name), 'utf8')]
            : [],
      );
  for (const text of read(SOURCE_DIR)) {
    for (const match of text.matchAll(
      /\b(?:string|int|long|longClamped|optionalString|optionalInt|optionalLong|bool)\(\s*'([A-Za-z0-9_]+)'/g,
    ))
      names.add(match[1]);
  }
  return [...names].sort();
}

const JUNK_NUMBERS = [
  '',
  ' ',
  '0',
  '-0',
  '+1',
  '  42  ',
  '1e3',
  '1.5',
  'NaN',
  'Infinity',
  '-Infinity',
  '0x10',
  '2147483647',
  '2147483648',
  '-2147483649',
  '9007199254740993',
  '9223372036854775807',
  '-9223372036854775808',
  '99999999999999999999999',
  'true',
  'TRUE',
  'null',
  '\u0000',
  '٣',
];

function junkValue(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...JUNK_NUMBERS),
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.integer().map(String),
    fc.bigInt().map(String),
  );
}

function extFieldsArbitrary(names: string[]): fc.Arbitrary<ExtFields | undefined> {
  const keys = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...names) },
    { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
  );
  return fc.option(fc.dictionary(keys, junkValue(), { maxKeys: 24 }), { freq: 10 });
}

/** The arguments one decoder takes: extFields, and for the shared decoders a header or field name. */
function call(name: string, decode: Decoder, extFields: ExtFields | undefined, code: number, extra: string): unknown {
  if (name.endsWith(':decodeSendMessageRequestHeader')) {
    const command: RemotingCommand = {
      code,
      language: 'JAVA',
      version: 0,
      opaque: 0,
      flag: 0,
      extFields,
      serializeType: 0,
    };
    return decode(command);
  }
  if (name.endsWith(':decodeRequiredField')) return decode(extFields, 'AnyHeader', extra);
  if (name.endsWith(':decodeQueueHeader')) return decode(extFields, 'AnyHeader');
  return decode(extFields);
}

describe('header decoders (hostile extFields)', () => {
  const decoders = headerDecoders();
  const names = fieldNames();

  it('finds every header decoder and the fields they read', () => {
    expect(decoders.size).to.be.at.least(36);
    expect(names).to.include.members(['topic', 'consumerGroup', 'queueId', 'queueOffset', 'brokerName', 'a', 'm']);
  });

  for (const [name, decode] of decoders) {
    it(`${name}: a header or a typed error`, () => {
      const code = fc.constantFrom(
        RequestCode.SEND_MESSAGE,
        RequestCode.SEND_MESSAGE_V2,
        RequestCode.SEND_BATCH_MESSAGE,
      );
      fc.assert(
        fc.property(extFieldsArbitrary(names), code, fc.constantFrom(...names), (extFields, requestCode, extra) => {
          const inputSize = JSON.stringify(extFields ?? {}).length;
          assertValueOrTypedError(inputSize, () => call(name, decode, extFields, requestCode, extra), [
            HeaderFieldError,
            CodecError,
          ]);
        }),
        fcParams(60),
      );
    });
  }
});
