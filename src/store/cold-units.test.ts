import { expect } from 'chai';
import { ColdUnits } from './cold-units';

const UNIT = 20;

/** Units whose first byte is their queue offset's low byte. */
function units(fromQueueOffset: number, count: number): Buffer {
  const bytes = Buffer.alloc(count * UNIT);
  for (let i = 0; i < count; i++) bytes[i * UNIT] = (fromQueueOffset + i) & 0xff;
  return bytes;
}

describe('ColdUnits (consume-queue units a cold pull read ahead)', () => {
  it('gives the units of a range it holds whole, and nothing for a range it holds in part', () => {
    const kept = new ColdUnits(UNIT);
    expect(kept.take(0, 32)).to.equal(undefined);
    kept.keep(kept.readToken, 100, units(100, 1024));
    const got = kept.take(132, 196)!;
    expect(got.length).to.equal(64 * UNIT);
    expect([got[0], got[63 * UNIT]]).to.deep.equal([132, 195]);
    expect(kept.take(1100, 1125), 'past the kept end').to.equal(undefined);
    expect(kept.take(99, 110), 'before the kept start').to.equal(undefined);
    expect(kept.take(1123, 1124)?.length).to.equal(UNIT);
    expect(kept.take(150, 150), 'an empty range').to.equal(undefined);
  });

  it('keeps nothing read across a truncation, and forgets what it held', () => {
    const kept = new ColdUnits(UNIT);
    const token = kept.readToken;
    kept.forget(); // the queue was truncated while the read was on the thread pool
    kept.keep(token, 0, units(0, 64));
    expect(kept.take(0, 32)).to.equal(undefined);
    kept.keep(kept.readToken, 0, units(0, 64));
    expect(kept.take(0, 32)).to.not.equal(undefined);
    kept.forget();
    expect(kept.take(0, 32)).to.equal(undefined);
  });
});
