#!/usr/bin/env node
// `npm run netem-test [-- --cut-seconds 30] [--phase-seconds 20]`: the long form of compat-tests'
// NetFaultsTest. Our NameServer and broker in one network namespace, the official 4.7.1 producer and
// push consumer in another, joined by a veth pair; the link goes clean, delay 100 ms ± 20 ms, 5 % loss,
// reordering, cut for --cut-seconds (default 30), healed. Every acknowledged message must be delivered
// and nothing delivered that was not sent. Needs root (ip netns, iptables or tc netem); fails otherwise.
// Bounded: phases are timed, the drain after the heal waits at most 120 s.
import { finish, runCompatTest, summaryPath } from './long-test-lib.mjs';

function option(name, fallback) {
  const at = process.argv.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1 || value > 600) {
    console.error(
      `usage: npm run netem-test -- [--cut-seconds N] [--phase-seconds N]   (1..600, got ${name} ${process.argv[at + 1]})`,
    );
    process.exit(2);
  }
  return value;
}
const cutSeconds = option('--cut-seconds', 30);
const phaseSeconds = option('--phase-seconds', 20);
const summaryFile = summaryPath('netfaults');

const { run } = runCompatTest(summaryFile, [
  '-Dtest=NetFaultsTest',
  `-Dnetfaults.cutSeconds=${cutSeconds}`,
  `-Dnetfaults.phaseSeconds=${phaseSeconds}`,
  '-Dnetfaults.drainSeconds=120',
]);

finish('netem test', run, summaryFile, 'compat-tests/target/surefire-reports/NetFaultsTest*');
