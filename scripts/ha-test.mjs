#!/usr/bin/env node
// `npm run ha-test -- N`: the long form of compat-tests' HaKillTest. A SYNC_MASTER/SLAVE pair of ours;
// the official 4.7.1 producer sends synchronously from 4 threads while the master is SIGKILLed N
// times (default 5) at random moments and restarted on its store. After each kill every acknowledged
// send must be readable from the slave; at the end the commit logs must be byte-identical.
// Bounded: at most 40 s per kill (HA_MAX_SECONDS overrides the whole budget).
//
//   npm run ha-test            (5 kills; builds first)
//   npm run ha-test -- 10      (10 kills)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const kills = Number(process.argv[2] ?? process.env.HA_KILLS ?? 5);
if (!Number.isInteger(kills) || kills < 1 || kills > 100) {
  console.error(`usage: npm run ha-test -- N   (1 <= N <= 100, got ${process.argv[2]})`);
  process.exit(2);
}
const maxSeconds = Number(process.env.HA_MAX_SECONDS ?? 40 * kills);
const summaryFile = path.join(root, 'compat-tests', 'target', 'ha-test', 'summary.txt');

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
  '-Dtest=HaKillTest#acknowledgedSendsSurviveMasterKills',
  `-Dha.kills=${kills}`,
  `-Dha.maxSeconds=${maxSeconds}`,
  '-Dsurefire.failIfNoSpecifiedTests=false',
];
// One Maven run at a time in this checkout (compat-tests/target is shared).
const hasFlock = spawnSync('flock', ['--version']).status === 0;
const [command, ...args] = hasFlock ? ['flock', '/tmp/compat.lock', ...maven] : maven;
const startedAt = Date.now();
const run = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
const seconds = ((Date.now() - startedAt) / 1000).toFixed(0);

console.log(`\nha test (${kills} master SIGKILLs, ${seconds} s):`);
if (fs.existsSync(summaryFile)) process.stdout.write(fs.readFileSync(summaryFile, 'utf8'));
else console.log('no summary written (see compat-tests/target/surefire-reports/)');
console.log(run.status === 0 ? 'ha test passed' : 'ha test FAILED');
process.exit(run.status ?? 1);
