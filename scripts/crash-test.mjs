#!/usr/bin/env node
// `npm run crash-test`: the long form of compat-tests' CrashRecoveryTest. The official 4.7.1
// producer sends synchronously to our broker (a child process) while the broker is SIGKILLed at
// random moments — 15 times per flush mode (SYNC_FLUSH, then ASYNC_FLUSH), some of them while it
// is still recovering — and restarted on the same store. Then every acknowledged send must be
// readable where its SendResult said. Bounded: at most 120 s of kills per mode.
//
//   npm run crash-test                 (builds first)
//   CRASH_KILLS=25 npm run crash-test  (more kills per mode)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const kills = Number(process.env.CRASH_KILLS ?? 15);
const maxSeconds = Number(process.env.CRASH_MAX_SECONDS ?? 120);
const summaryFile = path.join(root, 'compat-tests', 'target', 'crash-test', 'summary.txt');

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
  '-Dtest=CrashRecoveryTest',
  `-Dcrash.kills=${kills}`,
  `-Dcrash.maxSeconds=${maxSeconds}`,
  `-Dcrash.minKills=${Math.min(kills, 10)}`,
  '-Dcrash.viewChecks=20000',
  '-Dsurefire.failIfNoSpecifiedTests=false',
];
// One Maven run at a time in this checkout (compat-tests/target is shared).
const hasFlock = spawnSync('flock', ['--version']).status === 0;
const [command, ...args] = hasFlock ? ['flock', '/tmp/compat.lock', ...maven] : maven;
const startedAt = Date.now();
const run = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
const seconds = ((Date.now() - startedAt) / 1000).toFixed(0);

console.log(`\ncrash test (${kills} SIGKILLs per flush mode, ${seconds} s):`);
if (fs.existsSync(summaryFile)) process.stdout.write(fs.readFileSync(summaryFile, 'utf8'));
else console.log('no summary written (see compat-tests/target/surefire-reports/)');
console.log(run.status === 0 ? 'crash test passed' : 'crash test FAILED');
process.exit(run.status ?? 1);
