#!/usr/bin/env node
// `npm run docker-test`: builds the container image of docker/Dockerfile and runs docker/docker-compose.yml
// (NameServer + broker-a + broker-b) and then docker/docker-compose-2m-2s.yml (NameServer + two
// SYNC_MASTER/SLAVE groups) for real with podman, each with the seed Producer and Consumer (the official
// 4.7.1 Java client, from the host) against 127.0.0.1:9876.
//
// As root, with Debian's packages only (installed when missing): podman with runc, mmdebstrap building
// a minimal Debian trixie root file system (nodejs 20.19) that `podman import` makes the base image
// (cached under /var/cache/rocketmq-ts-docker, keyed by its package list), `podman build` on a build
// context prepared here (dist/src and production node_modules installed on the host: no container
// reaches the npm registry), `podman-compose up` on a copy of the compose file and broker.conf files
// in a temporary folder, ports published on 127.0.0.1 only. Checks: the three boot lines, the image's
// health check in each container, broker log lines on stdout and in ~/logs/rocketmqlogs, 100 SEND_OK
// spread over both brokers, all 100 bodies consumed, `podman stop` ends each server by SIGTERM (exit
// 0 or 143, not 137) after a clean shutdown. 2m-2s: the five boot lines, each slave connected to its
// master, 100 SEND_OK over both groups (a SYNC_MASTER answers SEND_OK only once its slave has the
// message), each slave's commit log byte-identical to its master's, and with both masters stopped the
// seed Consumer reads all 100 from the slaves. Containers and their network are removed at the end,
// on failure and on Ctrl-C. Everything is bounded: DOCKER_TEST_MAX_SECONDS (default 1200) in all.
//
//   npm run docker-test             (builds first)
//   node scripts/docker-test.mjs --keep   (leave the containers and folder for a look; remove with podman-compose down)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CACHE_DIR,
  checkPortsFree,
  ensureBaseImage,
  ensureHostNetworkCompose,
  ensureTools,
  refuseNewCommands,
  run,
  stopAllChildren,
  tail,
  writeContainersConf,
} from './docker-test-lib.mjs';
import { ALL_CONTAINERS, RMQ4, TWO_MASTERS_TWO_SLAVES } from './docker-test-layouts.mjs';
import { ensureSeedClasses, runSeedConsumer, runSeedProducer, SEED_MESSAGES } from './docker-test-seed.mjs';
import { sameCommitLogs } from './docker-test-store.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const keep = process.argv.includes('--keep');
const maxSeconds = Number(process.env.DOCKER_TEST_MAX_SECONDS ?? 1200);
const PROJECT = 'rmqts-docker-test';
const IMAGE = 'localhost/rocketmq-ts:docker-test';
/** The topic of the seed Producer and Consumer. */
const SEED_TOPIC = 'topic_rocket_example';

const startedMs = Date.now();
const checks = [];
let work;
/** The layout whose containers are up (or last were), for the clean-up. */
let current;

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
  for (const file of ['package.json', 'package-lock.json'])
    fs.copyFileSync(path.join(root, file), path.join(context, file));
  fs.cpSync(path.join(root, 'dist', 'src'), path.join(context, 'dist', 'src'), { recursive: true });
  fs.cpSync(path.join(root, 'docker'), path.join(context, 'docker'), {
    recursive: true,
    filter: (src) => !/\/(data1?|2m-2s)\/[^/]+(\/broker)?\/(logs|store)/.test(src),
  });
  await run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: context,
    timeoutMs: 300_000,
  });
  return context;
}

async function buildImage(baseImage) {
  const old = await run('podman', ['image', 'inspect', '--format', '{{.Id}}', IMAGE], { allowFail: true });
  const context = await prepareContext();
  await run(
    'podman',
    [
      // --layers=false: no intermediate images (the build stage) are left behind
      'build',
      '--format',
      'docker',
      '--layers=false',
      '--network',
      'none',
      '--build-arg',
      `BASE_IMAGE=${baseImage}`,
      '-f',
      path.join(context, 'docker', 'Dockerfile'),
      '-t',
      IMAGE,
      context,
    ],
    { timeoutMs: 600_000, log: path.join(work, 'podman-build.log') },
  );
  const now = await run('podman', ['image', 'inspect', '--format', '{{.Id}}', IMAGE]);
  if (old.code === 0 && old.out.trim() !== now.out.trim())
    await run('podman', ['rmi', old.out.trim()], { allowFail: true });
}

/** The layout's folder: its compose file and conf files, unchanged, with folders uid 3000 can write. */
function prepareComposeFolder(layout) {
  const folder = path.join(work, layout.name);
  const docker = path.join(root, 'docker');
  fs.mkdirSync(folder, { recursive: true });
  fs.copyFileSync(path.join(docker, layout.file), path.join(folder, layout.file));
  for (const conf of layout.confs) {
    fs.mkdirSync(path.dirname(path.join(folder, conf)), { recursive: true });
    fs.copyFileSync(path.join(docker, conf), path.join(folder, conf));
  }
  for (const dir of layout.dirs) {
    fs.mkdirSync(path.join(folder, dir), { recursive: true });
    fs.chownSync(path.join(folder, dir), 3000, 3000);
  }
  return folder;
}

/** Our containers left by an earlier run go; a container of the same name that is not ours stops the test. */
async function removeOurContainers(cleanup = false) {
  for (const container of ALL_CONTAINERS) {
    const label = await run(
      'podman',
      ['container', 'inspect', '--format', '{{index .Config.Labels "io.podman.compose.project"}}', container],
      { allowFail: true, cleanup },
    );
    if (label.code !== 0) continue;
    if (label.out.trim() !== PROJECT)
      throw new Error(`a container named ${container} exists and is not this test's: remove it first`);
    await run('podman', ['rm', '-f', '-t', '10', container], { allowFail: true, cleanup });
  }
  await run('podman', ['network', 'rm', '-f', `${PROJECT}_default`], { allowFail: true, cleanup });
}

async function composeUp(layout, folder, compose = 'podman-compose') {
  current = { layout, folder, compose };
  const env = { RMQ_IMAGE: IMAGE, RMQ_PUBLISH_IP: '127.0.0.1', RMQ_BIND_ADDRESS: '127.0.0.1' };
  await run(compose, ['-p', PROJECT, '-f', layout.file, 'up', '-d'], {
    cwd: folder,
    env,
    timeoutMs: 180_000,
    log: path.join(work, `podman-compose-${layout.name}.log`),
  });
  for (const server of layout.servers) {
    const booted = await waitFor(async () => (await logsOf(server.container)).includes(server.boot), 60_000);
    check(
      booted,
      `${layout.name}: ${server.container} printed its boot line "${server.boot}"`,
      tail(await logsOf(server.container)),
    );
  }
}

async function composeDown({ layout, folder, compose }, cleanup = false) {
  await run(compose, ['-p', PROJECT, '-f', layout.file, 'down', '-t', '10'], {
    cwd: folder,
    allowFail: true,
    timeoutMs: 120_000,
    cleanup,
  });
}

async function logsOf(container) {
  return (await run('podman', ['logs', container], { allowFail: true })).out;
}

async function seedSends(layout, brokers) {
  const producer = await runSeedProducer(root, work, `producer-${layout.name}`);
  check(producer.exit === 0, `${layout.name}: the seed Producer exited 0 within 90 s`, tail(producer.lines.join('\n')));
  const ok = producer.results.filter((line) => line.includes('sendStatus=SEND_OK'));
  check(
    producer.results.length === SEED_MESSAGES && ok.length === SEED_MESSAGES,
    `${layout.name}: ${SEED_MESSAGES} SendResult lines, all SEND_OK (got ${producer.results.length}, ${ok.length} SEND_OK)`,
    tail(producer.lines.join('\n')),
  );
  const perBroker = brokers.map((name) => [name, ok.filter((line) => line.includes(`brokerName=${name},`)).length]);
  check(
    perBroker.every(([, count]) => count > 0),
    `${layout.name}: sends spread over both groups (${perBroker.map(([b, n]) => `${b} ${n}`).join(', ')})`,
  );
}

async function seedConsumes(layout, from) {
  const consumer = await runSeedConsumer(root, work, `consumer-${layout.name}`, waitFor);
  check(consumer.started, `${layout.name}: the seed Consumer printed its start line`, tail(consumer.lines.join('\n')));
  check(
    consumer.all,
    `${layout.name}: the seed Consumer printed all ${SEED_MESSAGES} bodies ${from} within 60 s (got ${consumer.seen.size})`,
    tail(consumer.lines.join('\n')),
  );
}

async function checkHealthAndLogs(layout, folder) {
  for (const { container } of layout.servers) {
    const health = await run('podman', ['healthcheck', 'run', container], { allowFail: true, timeoutMs: 30_000 });
    check(health.code === 0, `${layout.name}: the image's health check passes in ${container}`, health.out);
  }
  const first = layout.servers.find((server) => server.broker);
  const stdout = await logsOf(first.container);
  const file = fs.readFileSync(path.join(folder, first.data, 'logs/rocketmqlogs/store.log'), 'utf8');
  const line = 'INFO main - store loaded after a clean shutdown';
  check(
    stdout.includes(line) && file.includes(line),
    `${layout.name}: broker log lines go to stdout (podman logs) and to ~/logs/rocketmqlogs/store.log`,
  );
}

/** podman stop: SIGTERM, and SIGKILL only after 30 s; each broker logs a clean shutdown and leaves no abort file. */
async function stopServers(layout, folder, servers) {
  for (const server of servers) {
    const stopped = Date.now();
    await run('podman', ['stop', '-t', '30', server.container], { timeoutMs: 60_000 });
    const ms = Date.now() - stopped;
    const state = (await run('podman', ['inspect', '--format', '{{.State.ExitCode}}', server.container])).out.trim();
    check(
      state === '0' || state === '143',
      `${layout.name}: podman stop ended ${server.container} by SIGTERM in ${ms} ms (exit code ${state}, not 137)`,
    );
    if (server.broker === undefined) {
      check(
        (await logsOf(server.container)).includes('Shutdown hook was invoked (SIGTERM)'),
        `${layout.name}: ${server.container} logged its SIGTERM shutdown`,
      );
      continue;
    }
    const log = fs.readFileSync(path.join(folder, server.data, 'logs/rocketmqlogs/broker.log'), 'utf8');
    const clean =
      log.includes('Shutdown hook was invoked, 1 (SIGTERM)') &&
      log.includes('Shutdown hook over') &&
      !log.includes('shutdown: ');
    check(
      clean,
      `${layout.name}: ${server.container} logged a clean shutdown (hook invoked by SIGTERM, over, no failed step)`,
      tail(log, 10),
    );
    check(
      !fs.existsSync(path.join(folder, server.data, 'store/abort')),
      `${layout.name}: ${server.container} left no store/abort file (clean exit)`,
    );
  }
}

/** Whether the slave's persisted topic config (synced from its master) holds `topic`. */
function slaveKnowsTopic(folder, slave, topic) {
  const file = path.join(folder, slave.data, 'store/config/topics.json');
  return fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes(`"${topic}"`);
}

/** docker-compose.yml: NameServer + broker-a + broker-b, the seed examples, SIGTERM stops. */
async function runRmq4() {
  const folder = prepareComposeFolder(RMQ4);
  await composeUp(RMQ4, folder);
  await checkHealthAndLogs(RMQ4, folder);
  await seedSends(RMQ4, ['broker-a', 'broker-b']);
  await seedConsumes(RMQ4, 'from both brokers');
  await stopServers(RMQ4, folder, [...RMQ4.servers].reverse());
  await composeDown(current);
}

/** docker-compose-2m-2s.yml: SYNC sends replicated byte for byte; with the masters stopped, reads from the slaves. */
async function runTwoMastersTwoSlaves() {
  const layout = TWO_MASTERS_TWO_SLAVES;
  const folder = prepareComposeFolder(layout);
  const compose = await ensureHostNetworkCompose();
  step(`podman-compose 1.0.6 for network_mode: host: ${compose.how}`);
  await composeUp(layout, folder, compose.bin);
  const slaves = layout.servers.filter((server) => server.role === 'SLAVE');
  const masters = layout.servers.filter((server) => server.role === 'SYNC_MASTER');
  for (const slave of slaves) {
    const connected = await waitFor(
      async () => (await logsOf(slave.container)).includes('HAClient connected to master'),
      60_000,
    );
    check(
      connected,
      `${layout.name}: ${slave.container} connected to its master's HA port`,
      tail(await logsOf(slave.container)),
    );
  }
  await checkHealthAndLogs(layout, folder);
  await seedSends(
    layout,
    masters.map((master) => master.broker),
  );
  // A slave serves a topic only once it has synced the master's topic config (Java's schedule: 10 s
  // after start, then every 60 s; a pull for a topic it does not know is TOPIC_NOT_EXIST, as in Java).
  for (const slave of slaves) {
    const synced = await waitFor(() => slaveKnowsTopic(folder, slave, SEED_TOPIC), 75_000);
    check(
      synced,
      `${layout.name}: ${slave.container} synced ${SEED_TOPIC} from its master's topic config (Java's 60 s schedule)`,
    );
  }
  await stopServers(layout, folder, masters);
  for (const slave of slaves) {
    const master = masters.find((candidate) => candidate.broker === slave.broker);
    const same = await sameCommitLogs(path.join(folder, master.data, 'store'), path.join(folder, slave.data, 'store'));
    check(
      same.equal,
      `${layout.name}: ${slave.container}'s commit log is byte-identical to ${master.container}'s (${same.detail})`,
    );
  }
  await seedConsumes(layout, 'from the slaves, masters stopped');
  await stopServers(layout, folder, [...slaves, layout.servers[0]]);
  await composeDown(current);
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
    step(
      `--keep: containers and ${work} left in place (podman-compose -p ${PROJECT} down; podman network rm ${PROJECT}_default)`,
    );
    return;
  }
  if (current !== undefined) await composeDown(current, true).catch(() => undefined);
  await removeOurContainers(true).catch((error) => step(`clean-up: ${error.message}`));
  const left = await run('podman', ['ps', '-a', '-q', '--filter', `label=io.podman.compose.project=${PROJECT}`], {
    allowFail: true,
    cleanup: true,
  });
  if (left.out.trim() !== '') {
    // never pull a store from under a running broker (node's mkdirSync then spins on the lost mount)
    console.error(
      `docker-test: containers of this test are still there (${left.out.trim().split('\n').join(' ')}); ${work} kept`,
    );
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
  await checkPortsFree([...new Set([...RMQ4.ports, ...TWO_MASTERS_TWO_SLAVES.ports])]);
  const base = await ensureBaseImage();
  step(`base image ${base.image}: ${base.how}`);
  await buildImage(base.image);
  step(`image ${IMAGE} built (podman build --network none, log ${path.join(work, 'podman-build.log')})`);
  step(`seed examples: ${await ensureSeedClasses(root)}`);
  await runRmq4();
  await runTwoMastersTwoSlaves();
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
