import { expect } from 'chai';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { BodyRing } from './body-ring';

describe('body ring (reused memory for pull answers)', () => {
  it("ends the reader's reference at the next turn; a retained lease lives until released", async () => {
    const ring = new BodyRing(1024);
    const a = ring.take(100)!;
    const b = ring.take(100)!;
    const leaseB = ring.leaseOf(b)!;
    leaseB.retain(); // a socket write of b
    expect(ring.liveCount).to.equal(2);
    expect(ring.leaseOf(a.subarray(10, 20))).to.not.equal(undefined);
    await nextTurn();
    expect(ring.liveCount).to.equal(1);
    expect(ring.leaseOf(a)).to.equal(undefined);
    expect(ring.holdsMemoryOf(a)).to.equal(true);
    expect(ring.leaseOf(b)).to.equal(leaseB);
    leaseB.release();
    expect(ring.liveCount).to.equal(0);
    expect(() => leaseB.release()).to.throw(/after its end/);
  });

  it('never hands out bytes of a live lease: it skips over it, or refuses', async () => {
    const ring = new BodyRing(1000);
    const held = ring.take(100)!;
    held.fill(7);
    ring.leaseOf(held)!.retain();
    await nextTurn();
    // laps of the ring around the held lease
    for (let lap = 0; lap < 30; lap++) {
      const bytes = ring.take(120);
      if (bytes !== undefined) bytes.fill(1);
      await nextTurn();
    }
    expect([...held].every((byte) => byte === 7)).to.equal(true);
    // a request that fits nowhere beside live leases is refused, not overlapped
    const keep = [ring.take(125)!, ring.take(125)!, ring.take(125)!, ring.take(125)!, ring.take(125)!];
    for (const bytes of keep) ring.leaseOf(bytes)!.retain();
    const refusedBefore = ring.refused;
    const more: Buffer[] = [];
    for (let i = 0; i < 4; i++) {
      const bytes = ring.take(125);
      if (bytes !== undefined) more.push(bytes);
    }
    const all = [held, ...keep, ...more].map((b) => [b.byteOffset, b.byteOffset + b.length]);
    for (const [i, [start, end]] of all.entries()) {
      for (const [j, [otherStart, otherEnd]] of all.entries()) {
        if (i !== j && start < otherEnd && otherStart < end) expect.fail(`leases ${i} and ${j} overlap`);
      }
    }
    expect(ring.refused).to.be.greaterThan(refusedBefore);
  });

  it('retains every lease of a body joined from reads taken back to back; null for ended bytes', async () => {
    const ring = new BodyRing(1000);
    const a = ring.take(100)!;
    const b = ring.take(50)!;
    expect(b.byteOffset).to.equal(a.byteOffset + 100);
    const joined = Buffer.from(a.buffer, a.byteOffset, 150);
    const leases = ring.retainView(joined)!;
    expect(leases).to.have.length(2);
    expect(ring.retainView(Buffer.alloc(10))).to.deep.equal([]);
    await nextTurn();
    expect(ring.liveCount).to.equal(2);
    for (const lease of leases) lease.release();
    expect(ring.liveCount).to.equal(0);
    expect(ring.retainView(joined)).to.equal(null);
  });

  it('refuses a body larger than an eighth of the ring, and memory outside it is no lease', () => {
    const ring = new BodyRing(8000);
    expect(ring.take(1001)).to.equal(undefined);
    expect(ring.take(1000)).to.not.equal(undefined);
    expect(ring.leaseOf(Buffer.alloc(10))).to.equal(undefined);
    expect(ring.holdsMemoryOf(Buffer.alloc(10))).to.equal(false);
  });
});
