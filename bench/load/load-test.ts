// `npm run load-test [-- --connections 2000 --groups 50 --seconds 60 --baseline-seconds 20 --settle-seconds 0 --rate 0]`
// (--rate N paces the producers at N sends/s in all; 0, the default, is full speed; sends begun in a
// phase's first --settle-seconds are left out of its p50, p99 and sends/s, not of its max and gap;
// --broker java runs the same load against the Java 4.7.1 NameServer and broker of bench/java)
// Runs bench/load/load-run.ts once and prints its figures (a table, then the JSON report). The npm
// script raises the open-file limit first (`ulimit -n`); this checks it is enough: the client side
// holds one socket per connection, the broker one more per connection, in separate processes.
// Exits 1 when a consumer group missed an acknowledged message or the send path stalled (no send
// answered for STALL_MS); the p99 target (loaded within 2× of unloaded) is reported, not enforced.
import fs from 'node:fs';
import os from 'node:os';
import { DEFAULT_LOAD_OPTIONS, type LoadOptions, type LoadReport, runLoad } from './load-run';

const STALL_MS = 5000;
const FLAGS: Record<string, keyof LoadOptions> = {
  '--connections': 'connections',
  '--groups': 'groups',
  '--seconds': 'seconds',
  '--baseline-seconds': 'baselineSeconds',
  '--settle-seconds': 'settleSeconds',
  '--producers': 'producers',
  '--inflight': 'inflight',
  '--body-bytes': 'bodyBytes',
  '--rate': 'rate',
  '--heartbeat-interval-ms': 'heartbeatIntervalMs',
};
const LIMITS: Partial<Record<keyof LoadOptions, [number, number]>> = {
  connections: [0, 20_000],
  groups: [1, 1000],
  seconds: [1, 3600],
  baselineSeconds: [1, 3600],
  settleSeconds: [0, 600],
  producers: [1, 64],
  inflight: [1, 256],
  bodyBytes: [1, 4 * 1024 * 1024],
  rate: [0, 1_000_000],
  heartbeatIntervalMs: [100, 600_000],
};

function parseArgs(argv: string[]): LoadOptions {
  const options: LoadOptions = {
    ...DEFAULT_LOAD_OPTIONS,
    log: (line) => console.log(`[${new Date().toISOString()}] ${line}`),
  };
  for (let i = 0; i < argv.length; i += 2) {
    if (argv[i] === '--broker' && (argv[i + 1] === 'java' || argv[i + 1] === 'ours')) {
      options.broker = argv[i + 1] as LoadOptions['broker'];
      continue;
    }
    const key = FLAGS[argv[i]];
    const value = Number(argv[i + 1]);
    const [min, max] = key === undefined ? [0, 0] : LIMITS[key]!;
    if (key === undefined || !Number.isInteger(value) || value < min || value > max) {
      throw new Error(
        `usage: load-test [--broker ours|java] [${Object.keys(FLAGS)
          .map((flag) => `${flag} N`)
          .join('] [')}]; bad ${argv[i]} ${argv[i + 1] ?? ''}`,
      );
    }
    (options as unknown as Record<string, number>)[key] = value;
  }
  options.drainTimeoutMs = Math.max(30_000, options.seconds * 1000);
  return options;
}

function openFileLimit(): number {
  const limits = fs.readFileSync('/proc/self/limits', 'utf8');
  return Number(/Max open files\s+(\d+)/.exec(limits)?.[1] ?? 1024);
}

function summary(report: LoadReport): string {
  const row = (name: string, phase: LoadReport['baseline']) =>
    `| ${name} | ${phase.seconds} | ${phase.sent} | ${phase.failed} | ${phase.perSecond} ` +
    `| ${phase.p50Ms} | ${phase.p99Ms} | ${phase.maxMs} | ${phase.longestGapMs} | ${phase.brokerPeakRssMb} |`;
  return [
    `broker: ${report.options.broker === 'java' ? 'Java 4.7.1' : 'ours'}; ` +
      `producers: ${report.options.producers} × ${report.options.inflight} in flight, ` +
      `${report.options.rate > 0 ? `paced at ${report.options.rate}/s` : 'full speed'}`,
    '',
    ...(report.options.settleSeconds > 0
      ? [
          `p50, p99 and sends/s after each phase's first ${report.baseline.settleSeconds} / ` +
            `${report.loaded.settleSeconds} s; max and longest gap over all of it`,
          '',
        ]
      : []),
    '| phase | s | sent | failed | sends/s | p50 ms | p99 ms | max ms | longest gap ms | broker peak RSS MB |',
    '|---|---|---|---|---|---|---|---|---|---|',
    row('unloaded', report.baseline),
    row(`${report.options.connections} conns + ${report.options.groups} groups`, report.loaded),
    '',
    `p99 loaded/unloaded: ${report.p99Ratio}× (target ≤ 2×: ${report.p99Ratio <= 2 ? 'met' : 'NOT met'})`,
    `broker RSS: ${report.brokerRssMb.start} MB at start, ${report.loaded.brokerPeakRssMb} MB peak under load, ` +
      `${report.brokerRssMb.end} MB at the end`,
    `clients ready in ${report.clientsReadyMs} ms; heartbeats ${report.clients.heartbeatsOk} ok, ` +
      `${report.clients.heartbeatsFailed} failed, slowest ${report.clients.heartbeatMaxMs} ms; ` +
      `connections closed by the broker: ${report.clients.connectionsClosedByBroker}`,
    `acknowledged in the loaded phase: ${report.acknowledgedInLoadedPhase}; ` +
      `consumed per group: min ${Math.min(...report.clients.consumedPerGroup)}, ` +
      `max ${Math.max(...report.clients.consumedPerGroup)}; groups behind: ${report.clients.groupsBehind.length}; ` +
      `offset gaps: ${report.clients.offsetGaps}; pull errors: ${report.clients.pullErrors}`,
    `pull answers: ${report.clients.pullsWithMessages} with messages ` +
      `(${(report.clients.pulledMessages / Math.max(1, report.clients.pullsWithMessages)).toFixed(2)} messages each), ` +
      `${report.clients.pullsEmpty} empty; every group had every message ${report.clients.drainMs} ms after the last send`,
  ].join('\n');
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const neededFiles = options.connections + options.groups + options.producers + 256;
  const limit = openFileLimit();
  if (limit < neededFiles) {
    console.error(
      `load-test: the open-file limit is ${limit}, ${options.connections} connections need about ${neededFiles}. ` +
        `Raise it (ulimit -n ${neededFiles}; the hard limit is in /proc/self/limits) or pass fewer --connections.`,
    );
    process.exit(2);
  }
  console.log(
    `load-test on ${os.cpus().length} cores, load average ${os
      .loadavg()
      .map((load) => load.toFixed(2))
      .join(' ')}, open-file limit ${limit}`,
  );
  const report = await runLoad(options);
  console.log(summary(report));
  console.log(JSON.stringify(report));
  const stalled = report.loaded.longestGapMs > STALL_MS || report.baseline.longestGapMs > STALL_MS;
  const missed = report.clients.groupsBehind.length > 0 || report.clients.offsetGaps > 0;
  if (stalled || missed) {
    console.error(
      `load-test FAILED:${stalled ? ` no send answered for more than ${STALL_MS} ms;` : ''}` +
        `${missed ? ' a group missed acknowledged messages;' : ''}`,
    );
    process.exit(1);
  }
}

main().catch((error) => {
  console.error(`load-test: ${(error as Error).stack}`);
  process.exit(1);
});
