// Property tests of parseFastjson (every JSON body the servers read) and of the RegisterBrokerBody
// decoder on hostile input: random text, JSON of any shape, deep nesting, the golden bodies
// mutated. The answer is a value or CodecError, quickly, and never larger than the text allows.
import { expect } from 'chai';
import fc from 'fast-check';
import zlib from 'node:zlib';
import { decodeRegisterBrokerBody } from './body/register-broker-body';
import { CodecError } from './codec-error';
import { parseFastjson } from './fastjson-parse';
import { assertValueOrTypedError, bodyFixtures, fcParams, mutatedFrom, mutatedTextFrom } from './property-support';

const bodies = bodyFixtures();
const FASTJSON_PIECES = [
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '"',
  "'",
  '\\',
  '\\u',
  '\\x4',
  'null',
  'true',
  '1',
  '-1.5e3',
  '12L',
  '{1:2}',
  '{{"a":1}:2}',
  '$ref',
  ' ',
  '\ufeff',
  'a',
];

describe('fastjson body properties (hostile input)', () => {
  it('parseFastjson on random, mutated and fastjson-flavoured text: a value or CodecError', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.json({ maxDepth: 6 }),
      mutatedTextFrom(bodies),
      fc.array(fc.constantFrom(...FASTJSON_PIECES), { maxLength: 120 }).map((pieces) => pieces.join('')),
    );
    fc.assert(
      fc.property(text, (body) => {
        assertValueOrTypedError(body.length, () => parseFastjson(body), [CodecError]);
      }),
      fcParams(),
    );
  });

  it('parseFastjson agrees with JSON.parse on standard JSON it accepts', () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 5 }), (body) => {
        const value = parseFastjson(body);
        // Structured keys never occur in standard JSON, so the result is plain data.
        expect(JSON.parse(JSON.stringify(value))).to.deep.equal(JSON.parse(body));
      }),
      fcParams(),
    );
  });

  it('parseFastjson on deep nesting and huge flat bodies: CodecError or a value, in time', () => {
    const deep = fc
      .tuple(fc.integer({ min: 1, max: 100_000 }), fc.constantFrom('[', '{"a":', '{{', "{'k':["))
      .map(([depth, open]) => open.repeat(depth));
    const wide = fc.integer({ min: 1, max: 200_000 }).map((count) => `[${'0,'.repeat(count)}0]`);
    const longString = fc.integer({ min: 1, max: 200_000 }).map((length) => `"${'\\u0041'.repeat(length / 6)}"`);
    fc.assert(
      fc.property(fc.oneof(deep, wide, longString), (body) => {
        assertValueOrTypedError(body.length, () => parseFastjson(body), [CodecError], { maxMs: 2000 });
      }),
      fcParams(30),
    );
  });

  it('decodeRegisterBrokerBody, JSON and compressed, on random and mutated bodies: a body or CodecError', () => {
    const jsonBody = bodies.find((body) => body.includes('topicConfigSerializeWrapper')) ?? bodies[0];
    const compressedSeed = zlib.deflateSync(Buffer.from(jsonBody));
    const source = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
      mutatedFrom([Buffer.from(jsonBody), compressedSeed]),
      fc.uint8Array({ maxLength: 300 }).map((bytes) => zlib.deflateSync(bytes)),
    );
    fc.assert(
      fc.property(source, fc.boolean(), (body, compressed) => {
        assertValueOrTypedError(body.length * 1024, () => decodeRegisterBrokerBody(body, compressed, 0), [CodecError]);
      }),
      fcParams(),
    );
  });
});
