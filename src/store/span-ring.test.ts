import { expect } from 'chai';
import { SpanRing } from './span-ring';

describe('SpanRing (reused scratch memory for cold span reads)', () => {
  it('leases back to back, wraps to the start, and refuses what would not fit a quarter of the ring', () => {
    const ring = new SpanRing(1000);
    const a = ring.lease(200)!;
    const b = ring.lease(250)!;
    expect([a.start, a.lap, b.start, b.lap]).to.deep.equal([0, 0, 200, 0]);
    expect(b.bytes.buffer, 'one ring').to.equal(a.bytes.buffer);
    expect(ring.lease(251), 'over a quarter').to.equal(undefined);
    expect(ring.lease(0)).to.equal(undefined);
    ring.release(a);
    ring.release(b);
    ring.lease(250);
    const d = ring.lease(250)!; // 700..950
    const e = ring.lease(100)!; // does not fit before the end: wraps
    expect([d.start, e.start, e.lap]).to.deep.equal([700, 0, 1]);
    expect(ring.refused).to.equal(2);
  });

  it('never leases bytes still being read into', () => {
    const ring = new SpanRing(1000);
    const slow = ring.lease(250)!; // 0..250, its read still running
    for (const lease of [ring.lease(250)!, ring.lease(250)!, ring.lease(200)!]) ring.release(lease);
    expect(ring.lease(100), 'the wrap would overlap the slow read').to.equal(undefined);
    ring.release(slow);
    expect(ring.lease(100)!.start).to.equal(0);
  });

  it('holds a lease until a later lap covers any of its bytes', () => {
    const ring = new SpanRing(1000);
    const first = ring.lease(200)!; // 0..200, lap 0
    const second = ring.lease(200)!; // 200..400
    for (const lease of [first, second, ring.lease(250)!, ring.lease(250)!]) ring.release(lease);
    expect([ring.holds(first), ring.holds(second)]).to.deep.equal([true, true]);
    ring.release(ring.lease(150)!); // lap 1: 0..150 covers part of `first`
    expect([ring.holds(first), ring.holds(second)]).to.deep.equal([false, true]);
    ring.release(ring.lease(100)!); // 150..250 reaches `second`
    expect(ring.holds(second)).to.equal(false);
    expect(() => ring.release(first), 'released twice').to.throw(/not being read into/);
  });
});
