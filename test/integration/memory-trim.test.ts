import { expect } from 'chai';
import { memoryTrimHolders } from '../../src/common/free-memory';
import { Cluster } from './harness';

// `npm start` runs a NameServer and a broker in one process: they share one C-heap trim timer.
describe('C-heap trim timer shared by the servers of a process', () => {
  it('is held by the NameServer and the broker while they run, and released by their shutdown', async () => {
    const before = memoryTrimHolders();
    const cluster = new Cluster();
    try {
      await cluster.start();
      expect(memoryTrimHolders()).to.equal(before + 2);
      await cluster.broker.shutdown();
      expect(memoryTrimHolders()).to.equal(before + 1);
    } finally {
      await cluster.stop(); // a second broker shutdown releases nothing more
    }
    expect(memoryTrimHolders()).to.equal(before);
  });
});
