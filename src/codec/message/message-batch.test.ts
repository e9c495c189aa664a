import { expect } from 'chai';
import { type BatchElement, decodeMessageBatch, encodeMessageBatch } from './message-batch';
import { MessageCodecError } from './message-codec-error';

// Appendix A of protocol-4.7.1.md: MessageDecoder.encodeMessages, body "x", properties {TAGS=a}.
const APPENDIX_BATCH_HEX = '0000001e 00000000 00000000 00000000 00000001 78 0007 54414753016102'.replace(/ /g, '');

const elements: BatchElement[] = [
  { flag: 0, body: Buffer.from('x'), propertiesString: 'TAGS\u0001a\u0002' },
  { flag: 7, body: Buffer.alloc(0), propertiesString: '' },
  { flag: -1, body: Buffer.alloc(1000, 3), propertiesString: 'KEYS\u0001k\u0002' },
];

describe('message batch codec', () => {
  it('encodes the Appendix A element byte for byte', () => {
    expect(encodeMessageBatch([elements[0]]).toString('hex')).to.equal(APPENDIX_BATCH_HEX);
  });

  it('decodes the Appendix A element', () => {
    expect(decodeMessageBatch(Buffer.from(APPENDIX_BATCH_HEX, 'hex'))).to.deep.equal([elements[0]]);
  });

  it('round-trips several elements', () => {
    expect(decodeMessageBatch(encodeMessageBatch(elements))).to.deep.equal(elements);
  });

  it('ignores MAGICCODE and BODYCRC as the broker does', () => {
    const bytes = encodeMessageBatch([elements[0]]);
    bytes.writeInt32BE(0x12345678, 4);
    bytes.writeInt32BE(42, 8);
    expect(decodeMessageBatch(bytes)).to.deep.equal([elements[0]]);
  });

  it('throws MessageCodecError for every truncation and for inconsistent lengths', () => {
    const bytes = encodeMessageBatch(elements);
    for (let length = 0; length < bytes.length; length++) {
      if (length === 30 || length === 52) continue; // element boundaries: a valid shorter batch
      expect(() => decodeMessageBatch(bytes.subarray(0, length)), `length ${length}`).to.throw(MessageCodecError);
    }
    const badBody = encodeMessageBatch([elements[0]]);
    badBody.writeInt32BE(100, 16);
    expect(() => decodeMessageBatch(badBody)).to.throw(MessageCodecError, /bad-length/);
    const badTotal = encodeMessageBatch([elements[0]]);
    badTotal.writeInt32BE(3, 0);
    expect(() => decodeMessageBatch(badTotal)).to.throw(MessageCodecError, /bad-length/);
  });

  it('never throws anything but MessageCodecError on random bytes', () => {
    let seed = 7;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
    const template = encodeMessageBatch(elements);
    for (let round = 0; round < 2000; round++) {
      const bytes = Buffer.from(template);
      for (let flips = 0; flips < 1 + (round % 4); flips++) bytes[random() % bytes.length] = random();
      try {
        decodeMessageBatch(bytes);
      } catch (error) {
        expect(error).to.be.instanceOf(MessageCodecError);
      }
    }
  });
});
