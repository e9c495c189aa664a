// `npm run fuzz -- --count N [--seconds S] [--seed X] [--namesrv 127.0.0.1:P --broker 127.0.0.1:P]`
// Sends N hostile inputs (at most S seconds, default 1500) to a NameServer and a broker it starts
// on free 127.0.0.1 ports (or the ones given), then checks them (see fuzz-runner.ts). Inputs that
// broke something are saved under test/fuzz/fixtures/ (then replayed by every run and by
// `npm test`). Prints one JSON report; exits 1 when anything failed.
import { parseArgs } from 'node:util';
import { FIXTURES_DIR } from './fuzz-fixtures';
import { runFuzz } from './fuzz-runner';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '20000' },
      seconds: { type: 'string', default: '1500' },
      seed: { type: 'string' },
      namesrv: { type: 'string' },
      broker: { type: 'string' },
      idle: { type: 'string', default: '500' },
      'rss-slack-mib': { type: 'string', default: '150' },
      'no-save': { type: 'boolean', default: false },
    },
  });
  if ((values.namesrv === undefined) !== (values.broker === undefined))
    throw new Error('--namesrv and --broker go together');
  const seed = values.seed === undefined ? Date.now() % 0x7fffffff : Number(values.seed);
  const startedMs = Date.now();
  const report = await runFuzz({
    count: Number(values.count),
    seconds: Number(values.seconds),
    seed,
    namesrvAddr: values.namesrv,
    brokerAddr: values.broker,
    idleConnections: Number(values.idle),
    rssSlackMiB: Number(values['rss-slack-mib']),
    saveDir: values['no-save'] ? undefined : FIXTURES_DIR,
    log: (line) => process.stderr.write(`[fuzz ${((Date.now() - startedMs) / 1000).toFixed(0)}s] ${line}\n`),
  });
  const oneDecimal = (_key: string, value: unknown) =>
    typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 10) / 10 : value;
  process.stdout.write(`${JSON.stringify(report, oneDecimal, 2)}\n`);
  process.exit(report.ok ? 0 : 1);
}

main().catch((error) => {
  process.stderr.write(`fuzz failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
