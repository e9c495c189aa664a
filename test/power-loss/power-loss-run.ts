// Rounds of power loss on one store (power-loss-round.ts), for the mocha test and the long form
// `npm run powerloss-test [-- --rounds N]` (test/power-loss/main.ts).
import * as fs from 'node:fs';
import type { FlushDiskType } from '../../src/store/message-store-config';
import { openStore, tempStoreHome, testConfig } from '../../src/store/store-test-helpers';
import type { Sent } from './power-loss-checks';
import { type RoundFigures, runRound } from './power-loss-round';

export interface RunOptions {
  flushDiskType: FlushDiskType;
  rounds: number;
  /** Acknowledgements before each cut: between `minAcks` and `maxAcks` (seeded by round). */
  minAcks: number;
  maxAcks: number;
  concurrency: number;
  /** Pause of each worker after each acknowledgement. */
  pauseMs: number;
}

export async function runPowerLoss(options: RunOptions): Promise<RoundFigures[]> {
  const home = tempStoreHome();
  const config = testConfig(home, {
    flushDiskType: options.flushDiskType,
    // ASYNC_FLUSH: a wide unflushed window, so that a cut finds acknowledged messages in it.
    flushIntervalCommitLog: 200,
    flushIntervalConsumeQueue: 300,
  });
  const sent = new Map<string, Sent>();
  const figures: RoundFigures[] = [];
  let store = openStore(config);
  try {
    for (let round = 1; round <= options.rounds; round++) {
      const span = options.maxAcks - options.minAcks + 1;
      const cutAfterAcks = options.minAcks + ((round * 7919) % span);
      const done = await runRound(store, config, sent, {
        round,
        concurrency: options.concurrency,
        cutAfterAcks,
        maxPuts: cutAfterAcks * 4 + 1000,
        pauseMs: options.pauseMs,
      });
      store = done.store;
      figures.push(done.figures);
    }
  } finally {
    try {
      store.shutdown();
    } catch {
      // a round failed after the power cut: the store is already halted
    }
    fs.rmSync(home, { recursive: true, force: true });
  }
  return figures;
}

export function formatFigures(all: RoundFigures[]): string {
  const lines = all.map(
    (f) =>
      `${f.flushDiskType} round ${f.round}: sent ${f.sent}, acknowledged ${f.acknowledged}, ` +
      `acknowledged present ${f.acknowledgedPresent}, lost ${f.acknowledgedLost} ` +
      `(unflushed window ${f.unflushedWindow}), unacknowledged present ${f.unacknowledgedPresent}; ` +
      `${f.restore.bytesDiscarded} unsynced bytes discarded in ${f.restore.filesRestored} files, ` +
      `${f.restore.filesDeleted} files never synced`,
  );
  return lines.join('\n');
}
