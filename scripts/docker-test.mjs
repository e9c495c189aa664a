#!/usr/bin/env node
// `npm run docker-test`: builds the container image of docker/Dockerfile and runs docker/docker-compose.yml
// (NameServer + broker-a + broker-b) for real with podman, then the seed Producer and Consumer (the
// official 4.7.1 Java client, from the host) against 127.0.0.1:9876.
//
// As root, with Debian's packages only (installed when missing): podman with runc, mmdebstrap building
// a minimal Debian trixie root file system (nodejs 20.19) that `podman import` makes the base image
// (cached under /var/cache/rocketmq-ts-docker, keyed by its package list), `podman build` on a build
// context prepared here (dist/src and production node_modules installed on the host: no container
// reaches the npm registry), `podman-compose up` on a copy of the compose file and broker.conf files
// in a temporary folder, ports published on 127.0.0.1 only. Checks: the three boot lines, the image's
// health check in each container, broker log lines on stdout and in ~/logs/rocketmqlogs, 100 SEND_OK
// spread over both brokers, all 100 bodies consumed, `podman stop` ends each server by SIGTERM (exit
// 0 or 143, not 137) after a clean shutdown. Containers and their network are removed at the end,
// on failure and on Ctrl-C. Everything is bounded: DOCKER_TEST_MAX_SECONDS (default 1200) in all.
//
//   npm run docker-test             (builds first)
//   node scripts/docker-test.mjs --keep   (leave the containers and folder for a look; remove with podman-compose down)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CACHE_DIR, checkPortsFree, ensureBaseImage, ensureTools, refuseNewCommands, run, start, stopAllChildren, stopChild, tail,
  writeContainersConf,
} from './docker-test-lib.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const keep = process.argv.includes('--keep');
const maxSeconds = Number(process.env.DOCKER_TEST_MAX_SECONDS ?? 1200);
const PROJECT = 'rmqts-docker-test';
const IMAGE = 'localhost/rocketmq-ts:docker-test';
const PORTS = [9876, 10909, 10911, 10912, 10929, 10931, 10932];
const SERVERS = [
  { container: 'rmqnamesrv', data: 'data/namesrv', boot: 'The Name Server boot success. serializeType=JSON' },
  { container: 'rmqbroker', data: 'data/broker', boot: 'The broker[broker-a, 127.0.0.1:10911] boot success.', broker: 'broker-a' },
  { container: 'rmqbroker-b', data: 'data1/broker', boot: 'The broker[broker-b, 127.0.0.1:10931] boot success.', broker: 'broker-b' },
];
const BODY = /Hello Java demo RocketMQ (\d+)/;

const startedMs = Date.now();
const checks = [];
let work;

function step(message) {
  console.log(`[${((Date.now() - startedMs) / 1000).toFixed(1).padStart(6)} s] ${message}`);
}

function check(ok, what, detail = '') {
  if (!ok) throw new Error(`check failed: ${what}${detail ? `\n${detail}` : ''}`);
  checks.push(what);
  step(`ok: ${what}`);
}

async function sleep(ms) {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits for `predicate` (polled every 500 ms) at most `timeoutMs`; returns its last value. */
async function waitFor(predicate, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value || Date.now() > deadline) return value;
    await sleep(500);
  }
}

/** A build context of what the image needs, compiled and installed on this host. */
async function prepareContext() {
  const context = path.join(CACHE_DIR, 'context');
  fs.rmSync(context, { recursive: true, force: true });
  fs.mkdirSync(path.join(context, 'dist'), { recursive: true });
  for (const file of ['package.json', 'package-lock.json']) fs.copyFileSync(path.join(root, file), path.join(context, file));
  fs.cpSync(path.join(root, 'dist', 'src'), path.join(context, 'dist', 'src'), { recursive: true });
  fs.cpSync(path.join(root, 'docker'), path.join(context, 'docker'), { recursive: true, filter: (src) => !/\/data1?\/(namesrv|broker\/(logs|store))/.test(src) });
  await run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: context, timeoutMs: 300_000 });
  return context;
}

async function buildImage(baseImage) {
  const old = await run('podman', ['image', 'inspect', '--format', '{{.Id}}', IMAGE], { allowFail: true });
  const context = await prepareContext();
  await run('podman', [
    // --layers=false: no intermediate images (the build stage) are left behind
    'build', '--format', 'docker', '--layers=false', '--network', 'none', '--build-arg', `BASE_IMAGE=${baseImage}`,
    '-f', path.join(context, 'docker', 'Dockerfile'), '-t', IMAGE, context,
  ], { timeoutMs: 600_000, log: path.join(work, 'podman-build.log') });
  const now = await run('podman', ['image', 'inspect', '--format', '{{.Id}}', IMAGE]);
  if (old.code === 0 && old.out.trim() !== now.out.trim()) await run('podman', ['rmi', old.out.trim()], { allowFail: true });
}

/** The compose file and broker.conf files, unchanged, in a scratch folder with folders uid 3000 can write. */
function prepareComposeFolder() {
  const docker = path.join(root, 'docker');
  fs.copyFileSync(path.join(docker, 'docker-compose.yml'), path.join(work, 'docker-compose.yml'));
  for (const conf of ['data/broker/conf/broker.conf', 'data1/broker/conf/broker.conf']) {
    fs.mkdirSync(path.dirname(path.join(work, conf)), { recursive: true });
    fs.copyFileSync(path.join(docker, conf), path.join(work, conf));
  }
  for (const dir of ['data/namesrv/logs', 'data/broker/logs', 'data/broker/store', 'data1/broker/logs', 'data1/broker/store']) {
    fs.mkdirSync(path.join(work, dir), { recursive: true });
    fs.chownSync(path.join(work, dir), 3000, 3000);
  }
}

/** Our containers left by an earlier run go; a container of the same name that is not ours stops the test. */
async function removeOurContainers(cleanup = false) {
  for (const { container } of SERVERS) {
    const label = await run('podman', ['container', 'inspect', '--format', '{{index .Config.Labels "io.podman.compose.project"}}', container], { allowFail: true, cleanup });
    if (label.code !== 0) continue;
    if (label.out.trim() !== PROJECT) throw new Error(`a container named ${container} exists and is not this test's: remove it first`);
    await run('podman', ['rm', '-f', '-t', '10', container], { allowFail: true, cleanup });
  }
  await run('podman', ['network', 'rm', '-f', `${PROJECT}_default`], { allowFail: true, cleanup });
}

async function composeUp() {
  const env = { RMQ_IMAGE: IMAGE, RMQ_PUBLISH_IP: '127.0.0.1' };
  await run('podman-compose', ['-p', PROJECT, '-f', 'docker-compose.yml', 'up', '-d'], { cwd: work, env, timeoutMs: 180_000, log: path.join(work, 'podman-compose.log') });
  for (const server of SERVERS) {
    const booted = await waitFor(async () => (await logsOf(server.container)).includes(server.boot), 60_000);
    check(booted, `${server.container} printed its boot line "${server.boot}"`, tail(await logsOf(server.container)));
  }
}

async function logsOf(container) {
  return (await run('podman', ['logs', container], { allowFail: true })).out;
}

function seedClasspath() {
  const target = path.join(root, 'compat-tests', 'target');
  return `${path.join(target, 'test-classes')}${path.delimiter}${fs.readFileSync(path.join(target, 'test-classpath.txt'), 'utf8').trim()}`;
}

async function ensureSeedClasses() {
  const target = path.join(root, 'compat-tests', 'target');
  if (fs.existsSync(path.join(target, 'test-classpath.txt')) && fs.existsSync(path.join(target, 'test-classes', 'org', 'rmqts', 'compat', 'seed', 'Consumer.class'))) return 'compiled already';
  await run('mvn', ['-B', '-q', '-f', path.join(root, 'compat-tests', 'pom.xml'), 'test-compile'], { timeoutMs: 600_000 });
  return 'compiled with mvn test-compile';
}

/** A seed example in its own JVM, as compat-tests' ChildJvm starts it. */
function startSeed(mainClass, name) {
  const dir = path.join(work, name);
  fs.mkdirSync(dir, { recursive: true });
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  return start(java, [
    '-Xmx256m', '-XX:+UseSerialGC', '--add-opens', 'java.base/java.nio=ALL-UNNAMED', '-Dfile.encoding=UTF-8',
    `-Duser.home=${dir}`, `-Drocketmq.client.logRoot=${path.join(dir, 'logs')}`, '-cp', seedClasspath(), mainClass,
  ], { cwd: dir, log: path.join(work, `${name}.out`) });
}

async function runSeedExamples() {
  const producer = startSeed('org.rmqts.compat.seed.Producer', 'producer');
  let timer;
  const exit = await Promise.race([producer.ended, new Promise((resolve) => (timer = setTimeout(resolve, 90_000, 'timeout')))]);
  clearTimeout(timer);
  stopChild(producer);
  check(exit === 0, 'the seed Producer exited 0 within 90 s', tail(producer.lines.join('\n')));
  const results = producer.lines.filter((line) => line.startsWith('SendResult ['));
  const ok = results.filter((line) => line.includes('sendStatus=SEND_OK'));
  check(results.length === 100 && ok.length === 100, `100 SendResult lines, all SEND_OK (got ${results.length}, ${ok.length} SEND_OK)`, tail(producer.lines.join('\n')));
  const perBroker = SERVERS.filter((s) => s.broker).map((s) => [s.broker, ok.filter((line) => line.includes(`brokerName=${s.broker},`)).length]);
  check(perBroker.every(([, count]) => count > 0), `sends spread over both brokers (${perBroker.map(([b, n]) => `${b} ${n}`).join(', ')})`);

  const consumer = startSeed('org.rmqts.compat.seed.Consumer', 'consumer');
  const seen = new Set();
  await waitFor(() => {
    for (const line of consumer.lines) {
      const match = BODY.exec(line);
      if (match) seen.add(Number(match[1]));
    }
    return seen.size >= 100 || consumer.exitCode !== null;
  }, 60_000);
  stopChild(consumer);
  check(consumer.lines.some((line) => line.includes('消息消费者已启动')), 'the seed Consumer printed its start line', tail(consumer.lines.join('\n')));
  check(seen.size === 100 && [...Array(100).keys()].every((i) => seen.has(i)), `the seed Consumer printed all 100 bodies within 60 s (got ${seen.size})`, tail(consumer.lines.join('\n')));
  await consumer.ended;
}

async function checkHealthAndLogs() {
  for (const { container } of SERVERS) {
    const health = await run('podman', ['healthcheck', 'run', container], { allowFail: true, timeoutMs: 30_000 });
    check(health.code === 0, `the image's health check passes in ${container}`, health.out);
  }
  const stdout = await logsOf('rmqbroker');
  const file = fs.readFileSync(path.join(work, 'data/broker/logs/rocketmqlogs/store.log'), 'utf8');
  const line = 'INFO main - store loaded after a clean shutdown';
  check(stdout.includes(line) && file.includes(line), 'broker log lines go to stdout (podman logs) and to ~/logs/rocketmqlogs/store.log');
}

/** podman stop: SIGTERM, and SIGKILL only after 30 s. Brokers first, so they unregister. */
async function stopServers() {
  for (const server of [...SERVERS].reverse()) {
    const stopped = Date.now();
    await run('podman', ['stop', '-t', '30', server.container], { timeoutMs: 60_000 });
    const ms = Date.now() - stopped;
    const state = (await run('podman', ['inspect', '--format', '{{.State.ExitCode}}', server.container])).out.trim();
    check(state === '0' || state === '143', `podman stop ended ${server.container} by SIGTERM in ${ms} ms (exit code ${state}, not 137)`);
    if (server.broker === undefined) {
      check((await logsOf(server.container)).includes('Shutdown hook was invoked (SIGTERM)'), `${server.container} logged its SIGTERM shutdown`);
      continue;
    }
    const log = fs.readFileSync(path.join(work, server.data, 'logs/rocketmqlogs/broker.log'), 'utf8');
    const clean = log.includes('Shutdown hook was invoked, 1 (SIGTERM)') && log.includes('Shutdown hook over') && !log.includes('shutdown: ');
    check(clean, `${server.container} logged a clean shutdown (hook invoked by SIGTERM, over, no failed step)`, tail(log, 10));
    check(!fs.existsSync(path.join(work, server.data, 'store/abort')), `${server.container} left no store/abort file (clean exit)`);
  }
}

let cleaning;

/** Once only, whoever asks first (the end of main, the deadline, a signal). */
function cleanUpOnce(passed) {
  cleaning ??= cleanUp(passed);
  return cleaning;
}

/** Removes the containers and their network; the folder too after a pass (after a failure its logs stay). */
async function cleanUp(passed) {
  refuseNewCommands();
  stopAllChildren();
  if (work === undefined) return;
  if (keep) {
    step(`--keep: containers and ${work} left in place (podman-compose -p ${PROJECT} down; podman network rm ${PROJECT}_default)`);
    return;
  }
  if (fs.existsSync(path.join(work, 'docker-compose.yml'))) {
    await run('podman-compose', ['-p', PROJECT, '-f', 'docker-compose.yml', 'down', '-t', '10'], { cwd: work, allowFail: true, timeoutMs: 120_000, cleanup: true }).catch(() => undefined);
  }
  await removeOurContainers(true).catch((error) => step(`clean-up: ${error.message}`));
  const left = await run('podman', ['ps', '-a', '-q', '--filter', `label=io.podman.compose.project=${PROJECT}`], { allowFail: true, cleanup: true });
  if (left.out.trim() !== '') {
    // never pull a store from under a running broker (node's mkdirSync then spins on the lost mount)
    console.error(`docker-test: containers of this test are still there (${left.out.trim().split('\n').join(' ')}); ${work} kept`);
    return;
  }
  if (passed || fs.readdirSync(work).length === 0) fs.rmSync(work, { recursive: true, force: true });
  else console.error(`docker-test: logs and stores of this run are in ${work}`);
}

async function main() {
  if (process.getuid?.() !== 0) throw new Error('run as root: rootful podman, apt-get and mmdebstrap');
  work = fs.mkdtempSync(path.join(os.tmpdir(), `${PROJECT}-`));
  step(`tools: ${await ensureTools()}`);
  writeContainersConf();
  await removeOurContainers();
  await checkPortsFree(PORTS);
  const base = await ensureBaseImage();
  step(`base image ${base.image}: ${base.how}`);
  await buildImage(base.image);
  step(`image ${IMAGE} built (podman build --network none, log ${path.join(work, 'podman-build.log')})`);
  step(`seed examples: ${await ensureSeedClasses()}`);
  prepareComposeFolder();
  await composeUp();
  await checkHealthAndLogs();
  await runSeedExamples();
  await stopServers();
}

const deadline = setTimeout(() => {
  console.error(`docker-test: FAILED: no end within ${maxSeconds} s`);
  cleanUpOnce(false).finally(() => process.exit(1));
}, maxSeconds * 1000);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    console.error(`docker-test: ${signal}, cleaning up`);
    cleanUpOnce(false).finally(() => process.exit(1));
  });
}

let failure;
try {
  await main();
} catch (error) {
  failure = error;
}
if (work !== undefined) await cleanUpOnce(failure === undefined);
clearTimeout(deadline);
const seconds = ((Date.now() - startedMs) / 1000).toFixed(0);
if (failure !== undefined) {
  console.error(`docker-test: FAILED after ${seconds} s: ${failure.message}`);
  process.exit(1);
}
console.log(`docker-test: all ${checks.length} checks OK in ${seconds} s`);
