import { expect } from 'chai';
import { messageQueue } from './message-queue';
import { RebalanceLockManager } from './rebalance-lock-manager';

describe('RebalanceLockManager', () => {
  const q0 = messageQueue('T', 'broker-a', 0);
  const q1 = messageQueue('T', 'broker-a', 1);

  it('locks free queues for one client and refuses them to another while the lease lives', () => {
    const locks = new RebalanceLockManager(60_000);
    expect(locks.tryLockBatch('g', [q0, q1], 'c1', 1000)).to.deep.equal([q0, q1]);
    expect(locks.tryLockBatch('g', [q0, q1], 'c2', 2000)).to.deep.equal([]);
    expect(locks.lockHolder('g', q1, 2000)).to.equal('c1');
  });

  it('keeps locks per group', () => {
    const locks = new RebalanceLockManager(60_000);
    locks.tryLockBatch('g1', [q0], 'c1', 0);
    expect(locks.tryLockBatch('g2', [q0], 'c2', 0)).to.deep.equal([q0]);
  });

  it('renews the lease on every lock by the holder and hands an expired lock to another client', () => {
    const locks = new RebalanceLockManager(60_000);
    locks.tryLockBatch('g', [q0], 'c1', 0);
    expect(locks.tryLockBatch('g', [q0], 'c1', 50_000)).to.deep.equal([q0]);
    expect(locks.tryLockBatch('g', [q0], 'c2', 100_000), 'renewed at 50 s, still held at 100 s').to.deep.equal([]);
    expect(locks.tryLockBatch('g', [q0], 'c2', 110_001)).to.deep.equal([q0]);
    expect(locks.lockHolder('g', q0, 110_001)).to.equal('c2');
    expect(locks.tryLockBatch('g', [q0], 'c1', 110_002)).to.deep.equal([]);
  });

  it('unlocks only what the client holds', () => {
    const locks = new RebalanceLockManager(60_000);
    locks.tryLockBatch('g', [q0], 'c1', 0);
    locks.tryLockBatch('g', [q1], 'c2', 0);
    locks.unlockBatch('g', [q0, q1], 'c1');
    expect(locks.lockHolder('g', q0, 1)).to.equal(undefined);
    expect(locks.lockHolder('g', q1, 1)).to.equal('c2');
    expect(locks.tryLockBatch('g', [q0], 'c2', 2)).to.deep.equal([q0]);
  });
});
