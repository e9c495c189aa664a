// Property tests of the frame decoder and both header serializations on hostile input: random
// bytes, golden frames mutated, any split of the stream, bad lengths and serialize types.
import { expect } from 'chai';
import fc from 'fast-check';
import { CodecError } from './codec-error';
import { FrameDecoder } from './frame-decoder';
import { decodeJsonHeader } from './json-header-codec';
import { assertValueOrTypedError, fcParams, hexFixtures, mutatedFrom, mutatedTextFrom } from './property-support';
import { decodeRemotingCommand, encodeRemotingCommand, type RemotingCommand, SerializeType } from './remoting-command';
import { decodeRocketmqHeader } from './rocketmq-header-codec';

const goldenFrames = hexFixtures('frames');
/** Frames without their 4-byte length prefix, as FrameDecoder hands them to decodeRemotingCommand. */
const goldenBodies = goldenFrames.map((frame) => frame.subarray(4));
const jsonHeaders = goldenFrames
  .filter((frame) => frame[4] === SerializeType.JSON)
  .map((frame) => frame.subarray(8, 8 + frame.readUIntBE(5, 3)).toString('utf8'));
const rocketmqHeaders = goldenFrames
  .filter((frame) => frame[4] === SerializeType.ROCKETMQ)
  .map((frame) => frame.subarray(8, 8 + frame.readUIntBE(5, 3)));

/** Cuts `bytes` at the given points (any order, duplicates allowed) into consecutive chunks. */
function split(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const point of points) {
    chunks.push(bytes.subarray(start, point));
    start = point;
  }
  chunks.push(bytes.subarray(start));
  return chunks;
}

/** Feeds chunks until the decoder throws; returns the frames and whether it stopped on an error. */
function feed(decoder: FrameDecoder, chunks: Buffer[]): { frames: Buffer[]; failed: boolean } {
  const frames: Buffer[] = [];
  for (const chunk of chunks) {
    try {
      frames.push(...decoder.push(chunk));
    } catch (error) {
      if (!(error instanceof CodecError)) throw error;
      return { frames, failed: true };
    }
  }
  return { frames, failed: false };
}

describe('remoting codec properties (hostile input)', () => {
  it('FrameDecoder gives the same frames for any split of a stream of golden frames', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...goldenFrames), { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (frames, cuts) => {
          const stream = Buffer.concat(frames);
          const { frames: decoded, failed } = feed(new FrameDecoder(), split(stream, cuts));
          expect(failed).to.equal(false);
          expect(decoded.map((frame) => frame.toString('hex'))).to.deep.equal(
            frames.map((frame) => frame.subarray(4).toString('hex')),
          );
        },
      ),
      fcParams(),
    );
  });

  it('FrameDecoder on random and mutated streams: frames or CodecError, never more bytes held than a frame', () => {
    const stream = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
      mutatedFrom(goldenFrames),
    );
    fc.assert(
      fc.property(
        stream,
        fc.array(fc.nat(), { maxLength: 20 }),
        fc.integer({ min: 8, max: 4096 }),
        (bytes, cuts, frameMaxBytes) => {
          const decoder = new FrameDecoder(frameMaxBytes);
          const result = assertValueOrTypedError(bytes.length, () => feed(decoder, split(bytes, cuts)), [
            CodecError,
          ]) as { frames: Buffer[] };
          for (const frame of result.frames) expect(frame.length + 4).to.be.at.most(frameMaxBytes);
          expect(decoder.pendingBytes).to.be.at.most(bytes.length);
        },
      ),
      fcParams(),
    );
  });

  it('FrameDecoder refuses a length prefix below 4 or beyond the limit at once, before the bytes arrive', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: -0x80000000, max: 3 }), fc.integer({ min: 4093, max: 0x7fffffff })),
        (length) => {
          const prefix = Buffer.alloc(4);
          prefix.writeInt32BE(length);
          expect(() => new FrameDecoder(4096).push(prefix)).to.throw(CodecError);
        },
      ),
      fcParams(),
    );
  });

  it('decodeRemotingCommand on random, mutated and wrongly typed frames: a command or CodecError', () => {
    const retyped = fc
      .tuple(fc.constantFrom(...goldenBodies), fc.integer({ min: 0, max: 255 }))
      .map(([frame, type]) => Buffer.concat([Buffer.from([type]), frame.subarray(1)]));
    const frames = fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
      mutatedFrom(goldenBodies),
      retyped,
    );
    fc.assert(
      fc.property(frames, (frame) => {
        const command = assertValueOrTypedError(frame.length, () => decodeRemotingCommand(frame), [CodecError]) as
          | RemotingCommand
          | undefined;
        if (command === undefined) return;
        // A decoded command re-encodes without throwing (what the server does with a response).
        expect(() => encodeRemotingCommand({ ...command, serializeType: command.serializeType })).not.to.throw();
      }),
      fcParams(),
    );
  });

  it('decodeJsonHeader on random and mutated JSON text: a command or CodecError', () => {
    const text = fc.oneof(fc.string({ maxLength: 200 }), fc.json({ maxDepth: 4 }), mutatedTextFrom(jsonHeaders));
    fc.assert(
      fc.property(text, (header) => {
        assertValueOrTypedError(header.length, () => decodeJsonHeader(Buffer.from(header, 'utf8')), [CodecError]);
      }),
      fcParams(),
    );
  });

  it('decodeJsonHeader with junk of any JSON type in every field: a command or CodecError', () => {
    const fields = fc.dictionary(
      fc.constantFrom(
        'code',
        'language',
        'version',
        'opaque',
        'flag',
        'remark',
        'extFields',
        'serializeTypeCurrentRPC',
        '__proto__',
        'constructor',
      ),
      fc.jsonValue({ maxDepth: 3 }),
    );
    fc.assert(
      fc.property(fields, (header) => {
        const text = JSON.stringify(header);
        assertValueOrTypedError(text.length, () => decodeJsonHeader(Buffer.from(text)), [CodecError]);
      }),
      fcParams(),
    );
  });

  it('decodeRocketmqHeader on random and mutated binary headers: a command or CodecError', () => {
    const header = fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
      mutatedFrom(rocketmqHeaders),
    );
    fc.assert(
      fc.property(header, (bytes) => {
        assertValueOrTypedError(bytes.length, () => decodeRocketmqHeader(bytes), [CodecError]);
      }),
      fcParams(),
    );
  });
});
