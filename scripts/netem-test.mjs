#!/usr/bin/env node
// `npm run netem-test [-- --cut-seconds 30] [--phase-seconds 20]`: the long form of compat-tests'
// NetFaultsTest. Our NameServer and broker in one network namespace, the official 4.7.1 producer and
// push consumer in another, joined by a veth pair; the link goes clean, delay 100 ms ± 20 ms, 5 % loss,
// reordering, cut for --cut-seconds (default 30), healed. Every acknowledged message must be delivered
// and nothing delivered that was not sent. Needs root (ip netns, iptables or tc netem); fails otherwise.
// Bounded: phases are timed, the drain after the heal waits at most 120 s.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

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
const summaryFile = path.join(root, 'compat-tests', 'target', 'netfaults', 'summary.txt');

const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

fs.rmSync(summaryFile, { force: true });
const maven = [
  'mvn',
  '-B',
  '-q',
  '-f',
  path.join(root, 'compat-tests', 'pom.xml'),
  'test',
  '-Dtest=NetFaultsTest',
  `-Dnetfaults.cutSeconds=${cutSeconds}`,
  `-Dnetfaults.phaseSeconds=${phaseSeconds}`,
  '-Dnetfaults.drainSeconds=120',
  '-Dsurefire.failIfNoSpecifiedTests=false',
];
// One Maven run at a time in this checkout (compat-tests/target is shared).
const hasFlock = spawnSync('flock', ['--version']).status === 0;
const [command, ...args] = hasFlock ? ['flock', '/tmp/compat.lock', ...maven] : maven;
const run = spawnSync(command, args, { cwd: root, stdio: 'inherit' });

if (fs.existsSync(summaryFile)) process.stdout.write(fs.readFileSync(summaryFile, 'utf8'));
else console.log('no summary written (see compat-tests/target/surefire-reports/NetFaultsTest*)');
console.log(run.status === 0 ? 'netem test passed' : 'netem test FAILED');
process.exit(run.status ?? 1);
