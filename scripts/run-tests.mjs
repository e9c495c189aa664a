#!/usr/bin/env node
// `npm test`: the unit and integration tests (mocha, over the compiled dist/; the remoting ones a
// second time with connectionWorkerThreads=2), then the Java
// compat suite (compat-tests/, official 4.7.1 client jars, Maven Surefire, the client matrix
// included), then the container test (scripts/docker-test.mjs: the image built and run with
// podman, the seed examples against it), then one closing line `N passed, N failed` summing all.
// Exits non-zero when anything failed or did not run.
//   SKIP_COMPAT=1 npm test   runs only the mocha part (for quick local loops; CI never sets it).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTestPackages } from './ensure-test-packages.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function listTests(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listTests(full);
    return entry.name.endsWith('.test.js') ? [full] : [];
  });
}

function runMocha(files, label, env = {}) {
  const reportFile = path.join(root, 'dist', `mocha-report${label === '' ? '' : `-${label}`}.json`);
  const mocha = path.join(root, 'node_modules', '.bin', 'mocha');
  const run = spawnSync(mocha, ['--reporter', 'spec', '--timeout', '20000', '--exit', ...files], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  process.stdout.write(run.stdout ?? '');
  const passing = Number(/(\d+) passing/.exec(run.stdout ?? '')?.[1] ?? 0);
  const failing = Number(/(\d+) failing/.exec(run.stdout ?? '')?.[1] ?? 0);
  fs.writeFileSync(reportFile, JSON.stringify({ passing, failing, status: run.status }));
  // A crash before mocha's summary counts as one failure.
  return { passed: passing, failed: failing + (run.status !== 0 && failing === 0 ? 1 : 0) };
}

/**
 * The integration tests that exercise the remoting layer (sends, pulls, the broker's calls to
 * clients, limits, ACL, hostile input), again with the connection workers owning the sockets.
 */
const CONNECTION_WORKER_TESTS = [
  'test/integration/broker.test.js',
  'test/integration/pull-body-ring.test.js',
  'test/integration/limits-connection.test.js',
  'test/integration/limits-broker.test.js',
  'test/integration/message-types-transaction.test.js',
  'test/integration/message-types-reply.test.js',
  'test/integration/consumption-groups.test.js',
  'test/integration/acl.test.js',
  'test/integration/load.test.js',
  'test/integration/hostile-names.test.js',
  'test/integration/admin.test.js',
  'test/integration/delay-and-send-back.test.js',
  'test/fuzz/fuzz.test.js',
];

function surefireCounts(reportsDir) {
  let tests = 0;
  let failed = 0;
  if (!fs.existsSync(reportsDir)) return { tests, failed };
  for (const file of fs.readdirSync(reportsDir).filter((name) => /^TEST-.*\.xml$/.test(name))) {
    const head = fs.readFileSync(path.join(reportsDir, file), 'utf8').slice(0, 4000);
    const suite = /<testsuite\b[^>]*>/.exec(head)?.[0] ?? '';
    const attribute = (name) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(suite)?.[1] ?? 0);
    tests += attribute('tests');
    failed += attribute('failures') + attribute('errors') + attribute('skipped');
  }
  return { tests, failed };
}

function runCompat() {
  const compatDir = path.join(root, 'compat-tests');
  const reportsDir = path.join(compatDir, 'target', 'surefire-reports');
  fs.rmSync(reportsDir, { recursive: true, force: true });
  const run = spawnSync('mvn', ['-B', '-q', '-f', path.join(compatDir, 'pom.xml'), 'test'], {
    cwd: root,
    stdio: 'inherit',
  });
  const { tests, failed } = surefireCounts(reportsDir);
  const crashed = run.status !== 0 && failed === 0 ? 1 : 0;
  return { passed: tests - failed, failed: failed + crashed };
}

/** The container test counts its checks: all of them pass, or the run is one failure. */
function runDockerTest() {
  const run = spawnSync(process.execPath, [path.join(root, 'scripts', 'docker-test.mjs')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  process.stdout.write(run.stdout ?? '');
  const checks = Number(/docker-test: all (\d+) checks OK/.exec(run.stdout ?? '')?.[1] ?? 0);
  return run.status === 0 && checks > 0 ? { passed: checks, failed: 0 } : { passed: 0, failed: 1 };
}

console.log(`test packages (chromium, iptables, iproute2): ${ensureTestPackages()}`);
const allTests = [...listTests(path.join(root, 'dist/src')), ...listTests(path.join(root, 'dist/test'))].sort();
const inLine = runMocha(allTests, '');
console.log(`mocha: ${inLine.passed} passed, ${inLine.failed} failed`);
const workerTests = CONNECTION_WORKER_TESTS.map((file) => path.join(root, 'dist', file));
const withWorkers = runMocha(workerTests, 'connection-workers', { ROCKETMQ_CONNECTION_WORKER_THREADS: '2' });
console.log(`mocha, connectionWorkerThreads=2: ${withWorkers.passed} passed, ${withWorkers.failed} failed`);
const mocha = { passed: inLine.passed + withWorkers.passed, failed: inLine.failed + withWorkers.failed };
let compat = { passed: 0, failed: 0 };
if (process.env.SKIP_COMPAT !== '1') {
  compat = runCompat();
  console.log(`compat-tests: ${compat.passed} passed, ${compat.failed} failed`);
}
let docker = { passed: 0, failed: 0 };
if (process.env.SKIP_COMPAT !== '1') {
  docker = runDockerTest();
  console.log(`docker-test: ${docker.passed} passed, ${docker.failed} failed`);
}
const passed = mocha.passed + compat.passed + docker.passed;
const failed = mocha.failed + compat.failed + docker.failed;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
