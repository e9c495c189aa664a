#!/usr/bin/env node
// `npm run crash-test`: the long form of compat-tests' CrashRecoveryTest. The official 4.7.1
// producer sends synchronously to our broker (a child process) while the broker is SIGKILLed at
// random moments — 15 times per flush mode (SYNC_FLUSH, then ASYNC_FLUSH), some of them while it
// is still recovering — and restarted on the same store. Then every acknowledged send must be
// readable where its SendResult said. Bounded: at most 120 s of kills per mode.
//
//   npm run crash-test                 (builds first)
//   CRASH_KILLS=25 npm run crash-test  (more kills per mode)
import { finish, runCompatTest, summaryPath } from './long-test-lib.mjs';

const kills = Number(process.env.CRASH_KILLS ?? 15);
const maxSeconds = Number(process.env.CRASH_MAX_SECONDS ?? 120);
const summaryFile = summaryPath('crash-test');

const { run, seconds } = runCompatTest(summaryFile, [
  '-Dtest=CrashRecoveryTest',
  `-Dcrash.kills=${kills}`,
  `-Dcrash.maxSeconds=${maxSeconds}`,
  `-Dcrash.minKills=${Math.min(kills, 10)}`,
  '-Dcrash.viewChecks=20000',
]);

console.log(`\ncrash test (${kills} SIGKILLs per flush mode, ${seconds} s):`);
finish('crash test', run, summaryFile);
