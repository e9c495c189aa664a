#!/usr/bin/env node
// `npm run ha-test -- N`: the long form of compat-tests' HaKillTest. A SYNC_MASTER/SLAVE pair of ours;
// the official 4.7.1 producer sends synchronously from 4 threads while the master is SIGKILLed N
// times (default 5) at random moments and restarted on its store. After each kill every acknowledged
// send must be readable from the slave; at the end the commit logs must be byte-identical.
// Bounded: at most 40 s per kill (HA_MAX_SECONDS overrides the whole budget).
//
//   npm run ha-test            (5 kills; builds first)
//   npm run ha-test -- 10      (10 kills)
import { finish, runCompatTest, summaryPath } from './long-test-lib.mjs';

const kills = Number(process.argv[2] ?? process.env.HA_KILLS ?? 5);
if (!Number.isInteger(kills) || kills < 1 || kills > 100) {
  console.error(`usage: npm run ha-test -- N   (1 <= N <= 100, got ${process.argv[2]})`);
  process.exit(2);
}
const maxSeconds = Number(process.env.HA_MAX_SECONDS ?? 40 * kills);
const summaryFile = summaryPath('ha-test');

const { run, seconds } = runCompatTest(summaryFile, [
  '-Dtest=HaKillTest#acknowledgedSendsSurviveMasterKills',
  `-Dha.kills=${kills}`,
  `-Dha.maxSeconds=${maxSeconds}`,
]);

console.log(`\nha test (${kills} master SIGKILLs, ${seconds} s):`);
finish('ha test', run, summaryFile);
