#!/usr/bin/env node
// `npm test`: the unit and integration tests (mocha, over the compiled dist/), then the Java
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

function runMocha() {
  const files = [...listTests(path.join(root, 'dist/src')), ...listTests(path.join(root, 'dist/test'))].sort();
  const reportFile = path.join(root, 'dist', 'mocha-report.json');
  const mocha = path.join(root, 'node_modules', '.bin', 'mocha');
  const run = spawnSync(mocha, ['--reporter', 'spec', '--timeout', '20000', '--exit', ...files], {
    cwd: root,
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
const mocha = runMocha();
console.log(`mocha: ${mocha.passed} passed, ${mocha.failed} failed`);
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
