import { expect } from 'chai';
import { RegistrationPasses, settledWithin } from './registration-passes';

/** A pass that ends when the test says so; records when each pass started. */
function manualPasses() {
  const ends: (() => void)[] = [];
  const starts: number[] = [];
  let clock = 0;
  const passes = new RegistrationPasses(() => {
    starts.push(clock);
    return new Promise<void>((resolve) => ends.push(resolve));
  });
  const finishPass = async (index: number) => {
    ends[index]!();
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { passes, ends, starts, tick: () => clock++, finishPass };
}

describe('RegistrationPasses', () => {
  it('starts a pass at once when none runs, and resolves when it ends', async () => {
    const { passes, starts, finishPass } = manualPasses();
    let done = false;
    const request = passes.request().then(() => (done = true));
    expect(starts).to.have.length(1);
    await Promise.resolve();
    expect(done).to.equal(false);
    await finishPass(0);
    await request;
    expect(done).to.equal(true);
  });

  it('callers during a pass share one pass queued behind it, which starts after the running one ends', async () => {
    const { passes, starts, tick, finishPass } = manualPasses();
    const first = passes.request();
    await Promise.resolve();
    tick();
    const second = passes.request();
    const third = passes.request();
    expect(second).to.equal(third);
    expect(starts).to.deep.equal([0]);
    await finishPass(0);
    await first;
    expect(starts).to.deep.equal([0, 1]);
    let resolved = false;
    void second.then(() => (resolved = true));
    await Promise.resolve();
    expect(resolved).to.equal(false);
    await finishPass(1);
    expect(resolved).to.equal(true);
  });

  it('waits for at most two passes however many callers keep coming (no starvation)', async () => {
    const { passes, starts, finishPass } = manualPasses();
    void passes.request();
    await Promise.resolve();
    let heldCallerDone = false;
    void passes.request().then(() => (heldCallerDone = true));
    // every pass, another caller comes while it runs
    for (let pass = 0; pass < 2; pass++) {
      void passes.request();
      await finishPass(pass);
    }
    expect(starts.length).to.be.greaterThanOrEqual(3);
    expect(heldCallerDone).to.equal(true);
  });

  it('a caller in the same synchronous job as the start of the running pass joins it', async () => {
    const { passes, starts, finishPass } = manualPasses();
    const first = passes.request();
    expect(passes.request()).to.equal(first);
    await Promise.resolve();
    const later = passes.request();
    expect(later).to.not.equal(first);
    expect(starts).to.have.length(1);
    await finishPass(0);
    expect(starts).to.have.length(2);
    await finishPass(1);
    await later;
  });

  it('a pass that rejects still lets the queued pass run', async () => {
    let calls = 0;
    const passes = new RegistrationPasses(() => {
      calls++;
      return calls === 1 ? Promise.reject(new Error('boom')) : Promise.resolve();
    });
    const first = passes.request().catch((error: Error) => error.message);
    await Promise.resolve();
    const second = passes.request();
    expect(await first).to.equal('boom');
    await second;
    expect(calls).to.equal(2);
    await passes.settled();
  });

  it('settledWithin tells whether the promise settled before the limit', async () => {
    expect(await settledWithin(Promise.resolve(), 50)).to.equal(true);
    expect(await settledWithin(Promise.reject(new Error('x')), 50)).to.equal(true);
    expect(await settledWithin(new Promise(() => {}), 20)).to.equal(false);
  });
});
