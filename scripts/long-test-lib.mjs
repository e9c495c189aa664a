// Shared by the long forms of compat-tests' fault tests (crash-test.mjs, ha-test.mjs,
// netem-test.mjs): build, one Maven test run of compat-tests, its summary file printed after.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** compat-tests/target/<folder>/summary.txt, where the test writes its summary. */
export function summaryPath(folder) {
  return path.join(root, 'compat-tests', 'target', folder, 'summary.txt');
}

/**
 * Builds (a failed build exits with its status), removes the old summary, then runs
 * `mvn -B -q -f compat-tests/pom.xml test <testArgs> -Dsurefire.failIfNoSpecifiedTests=false`.
 * Returns the Maven run (spawnSync's result) and its seconds.
 */
export function runCompatTest(summaryFile, testArgs) {
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
    ...testArgs,
    '-Dsurefire.failIfNoSpecifiedTests=false',
  ];
  // One Maven run at a time in this checkout (compat-tests/target is shared).
  const hasFlock = spawnSync('flock', ['--version']).status === 0;
  const [command, ...args] = hasFlock ? ['flock', '/tmp/compat.lock', ...maven] : maven;
  const startedAt = Date.now();
  const run = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(0);
  return { run, seconds };
}

/** Prints the summary (or where to look instead) and `<name> passed` / `<name> FAILED`; exits with the run's status. */
export function finish(name, run, summaryFile, reports = 'compat-tests/target/surefire-reports/') {
  if (fs.existsSync(summaryFile)) process.stdout.write(fs.readFileSync(summaryFile, 'utf8'));
  else console.log(`no summary written (see ${reports})`);
  console.log(run.status === 0 ? `${name} passed` : `${name} FAILED`);
  process.exit(run.status ?? 1);
}
