import { expect } from 'chai';
import { decodeLogWrite, encodeLogWrite } from './log-write-format';

describe('WRITE_LOG event bytes (log-write-format)', () => {
  const head = Buffer.from('frame head');
  const ref = { runs: [0, 100, 4096, 1024, 2 ** 40, 7], totalBytes: 1131, writtenPhysicalOffset: 2 ** 40 + 7 };

  it('round-trips a head and its runs, offsets past 2^32 included', () => {
    const decoded = decodeLogWrite(encodeLogWrite(head, ref));
    expect(decoded.head.toString()).to.equal('frame head');
    expect(decoded.ref).to.deep.equal(ref);
  });

  it('round-trips an empty head and no runs', () => {
    const empty = { runs: [], totalBytes: 0, writtenPhysicalOffset: 0 };
    const decoded = decodeLogWrite(encodeLogWrite(Buffer.alloc(0), empty));
    expect(decoded.head.length).to.equal(0);
    expect(decoded.ref).to.deep.equal(empty);
  });

  const good = encodeLogWrite(head, ref);
  const pastWritten = encodeLogWrite(head, { ...ref, writtenPhysicalOffset: 2 ** 40 });
  const fractional = Buffer.from(good);
  fractional.writeDoubleBE(0.5, 4 + head.length + 12);
  const failing: [string, Buffer, RegExp][] = [
    ['nothing', Buffer.alloc(0), /shorter than its head length/],
    ['a head longer than the event', Buffer.from([0, 0, 1, 0, 1, 2]), /cut in its head/],
    ['a run count past the bytes', good.subarray(0, good.length - 1), /announces 3 runs/],
    ['trailing bytes', Buffer.concat([good, Buffer.alloc(1)]), /announces 3 runs/],
    ['a run past the written end', pastWritten, /run 2 .* past the written end/],
    ['an offset that is not a whole number', fractional, /run 0 at 0.5/],
  ];
  for (const [what, bytes, message] of failing) {
    it(`refuses ${what}`, () => {
      expect(() => decodeLogWrite(bytes)).to.throw(message);
    });
  }
});
