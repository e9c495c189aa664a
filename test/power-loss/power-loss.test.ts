// Simulated power loss (PowerLossFs): the store loses every write not yet fdatasynced, reopens,
// and must be consistent. Short form; `npm run powerloss-test -- --rounds N` is the long one.
import { expect } from 'chai';
import { formatFigures, runPowerLoss } from './power-loss-run';

describe('store after a simulated power loss', function () {
  this.timeout(60000);

  it('SYNC_FLUSH loses no acknowledged message (3 rounds)', async () => {
    const figures = await runPowerLoss({
      flushDiskType: 'SYNC_FLUSH',
      rounds: 3,
      minAcks: 100,
      maxAcks: 300,
      concurrency: 16,
      pauseMs: 0,
    });
    console.log(formatFigures(figures));
    for (const round of figures) {
      expect(round.acknowledged).to.be.greaterThan(0);
      expect(round.acknowledgedLost, `round ${round.round}`).to.equal(0);
    }
  });

  it('ASYNC_FLUSH loses at most the unflushed window and recovers consistent (3 rounds)', async () => {
    const figures = await runPowerLoss({
      flushDiskType: 'ASYNC_FLUSH',
      rounds: 3,
      minAcks: 1000,
      maxAcks: 3000,
      concurrency: 8,
      pauseMs: 2,
    });
    console.log(formatFigures(figures));
    for (const round of figures) {
      expect(round.acknowledgedLost, `round ${round.round}`).to.be.at.most(round.unflushedWindow);
    }
    // The layer did discard something: otherwise the test proves nothing.
    expect(figures.some((round) => round.restore.bytesDiscarded > 0)).to.equal(true);
  });
});
