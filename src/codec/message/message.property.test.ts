// Property tests of the message codec on hostile input: the commit-log record decoder, the batch
// decoder, the properties string, message ids and host addresses. Random bytes and the golden
// records/batches mutated give a value or MessageCodecError (a CodecError), never another
// exception, a slow answer or an output larger than the input allows.
import { expect } from 'chai';
import fc from 'fast-check';
import { CodecError } from '../codec-error';
import { assertValueOrTypedError, fcParams, hexFixtures, mutatedFrom } from '../property-support';
import { decodeMessageBatch, encodeMessageBatch } from './message-batch';
import { decodeMessageId, uniqKeyTimestampMs } from './message-id';
import { decodeMessageProperties, encodeMessageProperties, findMessageProperty } from './message-properties';
import { decodeMessageRecord } from './message-record';
import { checkMessageRecord } from './message-record-check';
import { parseHostAddress } from './host-address';

const records = hexFixtures('records');
const batches = hexFixtures('batches');
const randomBytes = (maxLength: number) => fc.uint8Array({ maxLength }).map((bytes) => Buffer.from(bytes));

describe('message codec properties (hostile input)', () => {
  it('decodeMessageRecord on random and mutated records at any position: a record or CodecError', () => {
    const source = fc.oneof(randomBytes(400), mutatedFrom(records), mutatedFrom([Buffer.concat(records)]));
    fc.assert(
      fc.property(source, fc.nat(), (bytes, at) => {
        const position = at % (bytes.length + 1);
        const decoded = assertValueOrTypedError(bytes.length, () => decodeMessageRecord(bytes, position), [
          CodecError,
        ]) as { sizeBytes: number } | undefined;
        if (decoded !== undefined) expect(position + decoded.sizeBytes).to.be.at.most(bytes.length);
      }),
      fcParams(),
    );
  });

  it('checkMessageRecord never throws, and says ok only where decodeMessageRecord decodes', () => {
    const source = fc.oneof(randomBytes(400), mutatedFrom(records));
    fc.assert(
      fc.property(source, fc.nat(), (bytes, at) => {
        const position = at % (bytes.length + 1);
        const check = assertValueOrTypedError(bytes.length, () => checkMessageRecord(bytes, position), []) as {
          status: string;
        };
        if (check.status === 'ok') expect(() => decodeMessageRecord(bytes, position)).not.to.throw();
      }),
      fcParams(),
    );
  });

  // Round-trips: a decoded batch re-encodes to the same elements.
  it('decodeMessageBatch on random and mutated batches: elements or CodecError; a decoded batch round-trips', () => {
    const source = fc.oneof(randomBytes(300), mutatedFrom(batches));
    fc.assert(
      fc.property(source, (bytes) => {
        const elements = assertValueOrTypedError(bytes.length, () => decodeMessageBatch(bytes), [CodecError]) as
          | ReturnType<typeof decodeMessageBatch>
          | undefined;
        if (elements === undefined) return;
        const reencoded = assertValueOrTypedError(bytes.length, () => encodeMessageBatch(elements), [RangeError]) as
          | Buffer
          | undefined;
        if (reencoded !== undefined) expect(decodeMessageBatch(reencoded)).to.deep.equal(elements);
      }),
      fcParams(),
    );
  });

  it('decodeMessageProperties on any text: a map no larger than the text, agreeing with findMessageProperty', () => {
    const separators = fc.constantFrom(
      '\u0001',
      '\u0002',
      'a',
      'TAGS',
      'KEYS',
      '\u0001\u0001',
      '\u0002\u0002',
      '=',
      ' ',
    );
    const text = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.array(separators, { maxLength: 60 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(text, fc.constantFrom('TAGS', 'KEYS', 'a', 'UNIQ_KEY'), (properties, name) => {
        const map = assertValueOrTypedError(properties.length, () => decodeMessageProperties(properties), [], {
          factor: 2,
          constant: 8,
        }) as Map<string, string>;
        expect(findMessageProperty(properties, name)).to.equal(map.get(name));
        expect(decodeMessageProperties(encodeMessageProperties(map))).to.deep.equal(map);
      }),
      fcParams(),
    );
  });

  it('decodeMessageId, uniqKeyTimestampMs and parseHostAddress on any text: a value or null, never a throw', () => {
    const hex = fc.string({
      unit: fc.constantFrom(...'0123456789abcdefABCDEFxg '.split('')),
      minLength: 30,
      maxLength: 58,
    });
    const host = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.constantFrom(
        '127.0.0.1:10911',
        '[::1]:10911',
        '/1.2.3.4:5',
        '::ffff:1.2.3.4:80',
        ':1',
        '1.2.3.4:99999',
        '1:2:3:4:5:6:7:8:9:10',
      ),
    );
    fc.assert(
      fc.property(hex, host, (id, address) => {
        assertValueOrTypedError(id.length, () => decodeMessageId(id), []);
        assertValueOrTypedError(id.length, () => uniqKeyTimestampMs(id, 1_700_000_000_000), []);
        assertValueOrTypedError(address.length, () => parseHostAddress(address), []);
      }),
      fcParams(),
    );
  });
});
