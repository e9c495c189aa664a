import { expect } from 'chai';
import { CodecError } from './codec-error';
import { FRAME_MAX_BYTES, FrameDecoder } from './frame-decoder';
import { createRequestCommand, decodeRemotingCommand, encodeRemotingCommand, SerializeType } from './remoting-command';

function sampleFrames(): Buffer[] {
  return [
    encodeRemotingCommand(createRequestCommand(105, 1, { extFields: { topic: 'T' } })),
    encodeRemotingCommand(createRequestCommand(34, 2, { body: Buffer.from('{"clientID":"x"}') })),
    encodeRemotingCommand(
      createRequestCommand(11, 3, {
        serializeType: SerializeType.ROCKETMQ,
        extFields: { a: '1' },
        body: Buffer.alloc(300, 7),
      }),
    ),
  ];
}

describe('FrameDecoder', () => {
  it('returns several frames pushed in one chunk', () => {
    const frames = new FrameDecoder().push(Buffer.concat(sampleFrames()));
    expect(frames.map((frame) => decodeRemotingCommand(frame).opaque)).to.deep.equal([1, 2, 3]);
  });

  it('accepts every split of the stream into two chunks', () => {
    const stream = Buffer.concat(sampleFrames());
    for (let split = 0; split <= stream.length; split++) {
      const decoder = new FrameDecoder();
      const frames = [...decoder.push(stream.subarray(0, split)), ...decoder.push(stream.subarray(split))];
      expect(
        frames.map((frame) => decodeRemotingCommand(frame).opaque),
        `split ${split}`,
      ).to.deep.equal([1, 2, 3]);
      expect(decoder.pendingBytes).to.equal(0);
    }
  });

  it('accepts the stream one byte at a time', () => {
    const stream = Buffer.concat(sampleFrames());
    const decoder = new FrameDecoder();
    const frames: Buffer[] = [];
    for (let i = 0; i < stream.length; i++) frames.push(...decoder.push(stream.subarray(i, i + 1)));
    expect(frames.map((frame) => decodeRemotingCommand(frame).code)).to.deep.equal([105, 34, 11]);
  });

  it('refuses a frame over 16 MiB including its length prefix, before the bytes arrive', () => {
    const prefix = Buffer.alloc(4);
    prefix.writeInt32BE(FRAME_MAX_BYTES - 3, 0);
    expect(() => new FrameDecoder().push(prefix)).to.throw(CodecError, /exceeds/);
  });

  it('accepts a frame of exactly 16 MiB', () => {
    const frame = Buffer.alloc(FRAME_MAX_BYTES);
    frame.writeInt32BE(FRAME_MAX_BYTES - 4, 0);
    expect(new FrameDecoder().push(frame)).to.have.length(1);
  });

  it('refuses negative and too-short lengths', () => {
    expect(() => new FrameDecoder().push(Buffer.from('ffffffff', 'hex'))).to.throw(CodecError);
    expect(() => new FrameDecoder().push(Buffer.from('00000003', 'hex'))).to.throw(CodecError);
  });

  it('never throws anything but CodecError on random bytes', () => {
    let seed = 12345;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) & 0xff;
    for (let round = 0; round < 2000; round++) {
      const bytes = Buffer.alloc(4 + (random() % 64), 0);
      for (let i = 0; i < bytes.length; i++) bytes[i] = random();
      if (round % 2 === 0) bytes.writeInt32BE(bytes.length - 4, 0);
      try {
        for (const frame of new FrameDecoder().push(bytes)) decodeRemotingCommand(frame);
      } catch (error) {
        expect(error).to.be.instanceOf(CodecError);
      }
    }
  });
});
