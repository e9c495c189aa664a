// `npm run powerloss-test [-- --rounds N]`: the long form of power-loss.test.ts. N rounds of
// SYNC_FLUSH and N of ASYNC_FLUSH (default 20 each), each cut after a different number of
// acknowledgements; prints the figures of every round and exits non-zero on the first failure.
import { formatFigures, runPowerLoss } from './power-loss-run';

function parseRounds(argv: string[]): number {
  const at = argv.indexOf('--rounds');
  const rounds = at < 0 ? 20 : Number(argv[at + 1]);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 1000) {
    console.error(`usage: npm run powerloss-test -- --rounds N   (1 <= N <= 1000, got ${argv[at + 1]})`);
    process.exit(2);
  }
  return rounds;
}

async function main(): Promise<void> {
  const rounds = parseRounds(process.argv.slice(2));
  const startedAtMs = Date.now();
  const sync = await runPowerLoss({
    flushDiskType: 'SYNC_FLUSH',
    rounds,
    minAcks: 100,
    maxAcks: 2000,
    concurrency: 32,
    pauseMs: 0,
  });
  console.log(formatFigures(sync));
  const lostSync = sync.reduce((sum, round) => sum + round.acknowledgedLost, 0);
  const async = await runPowerLoss({
    flushDiskType: 'ASYNC_FLUSH',
    rounds,
    minAcks: 500,
    maxAcks: 5000,
    concurrency: 8,
    pauseMs: 2,
  });
  console.log(formatFigures(async));
  const overWindow = async.filter((round) => round.acknowledgedLost > round.unflushedWindow);
  const total = (all: typeof sync, pick: (r: (typeof sync)[0]) => number): number =>
    all.reduce((s, r) => s + pick(r), 0);
  console.log(
    `\npower-loss test (${rounds} rounds each, ${((Date.now() - startedAtMs) / 1000).toFixed(0)} s):\n` +
      `  SYNC_FLUSH:  acknowledged ${total(sync, (r) => r.acknowledged)}, ` +
      `present ${total(sync, (r) => r.acknowledgedPresent)}, lost ${lostSync}\n` +
      `  ASYNC_FLUSH: acknowledged ${total(async, (r) => r.acknowledged)}, present ${total(async, (r) => r.acknowledgedPresent)}, ` +
      `lost ${total(async, (r) => r.acknowledgedLost)} (all within the unflushed window: ${overWindow.length === 0})`,
  );
  if (lostSync > 0 || overWindow.length > 0)
    throw new Error('acknowledged messages lost beyond what the flush mode allows');
  console.log('power-loss test passed');
}

main().catch((error) => {
  console.error(error);
  console.log('power-loss test FAILED');
  process.exit(1);
});
