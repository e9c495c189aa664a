import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const LOGGER_MODULE = path.join(__dirname, 'logger.js');
const LINE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (INFO|WARN|ERROR|DEBUG) main - (.*)$/;

/** Runs `body` in a fresh node process with the logger loaded as `log`; returns the log folder. */
function runChild(body: string, env: Record<string, string> = {}): { dir: string; stdout: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rmq-log-'));
  const script = `const log = require(${JSON.stringify(LOGGER_MODULE)});\n${body}`;
  const run = spawnSync(process.execPath, ['-e', script], {
    env: { ...process.env, ROCKETMQ_LOG_DIR: dir, ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  expect(run.status, run.stderr).to.equal(0);
  return { dir, stdout: run.stdout };
}

function lines(dir: string, name: string): string[] {
  return fs
    .readFileSync(path.join(dir, `${name}.log`), 'utf8')
    .trim()
    .split('\n');
}

describe('logger (winston loaded after start-up)', function () {
  this.timeout(10_000); // each test runs a child node that waits for winston's load (1 s)
  it('does not load winston while a process starts', () => {
    const { stdout } = runChild(
      `log.getLogger('broker').info('boot');
       process.stdout.write(String(Object.keys(require.cache).some((k) => k.includes('/winston/'))));`,
    );
    expect(stdout).to.equal('false');
  });

  it('keeps early lines, with the time they were logged, and hands later ones to winston', () => {
    const { dir } = runChild(
      `const b = log.getLogger('broker');
       b.info('first'); b.warn('second'); b.debug('not at info level');
       setTimeout(() => { b.error('after the load'); log.closeLoggers(); }, 1500);`,
    );
    const got = lines(dir, 'broker').map((line) => LINE.exec(line)?.slice(1, 3));
    expect(got).to.deep.equal([
      ['INFO', 'first'],
      ['WARN', 'second'],
      ['ERROR', 'after the load'],
    ]);
  });

  it('writes waiting lines synchronously when the process exits before winston loads', () => {
    const { dir } = runChild(
      `log.getLogger('store').info('early'); log.getLogger('namesrv').warn('quick exit'); process.exit(0);`,
    );
    expect(lines(dir, 'store')[0]).to.match(/ INFO main - early$/);
    expect(lines(dir, 'namesrv')[0]).to.match(/ WARN main - quick exit$/);
  });

  it('prints early lines on the console once in the foreground', () => {
    const { stdout, dir } = runChild(
      `log.enableConsoleLogging(); log.getLogger('broker').info('shown once');
       setTimeout(() => { log.getLogger('broker').info('after'); log.closeLoggers(); }, 1500);`,
    );
    expect(stdout.match(/shown once/g)).to.have.length(1);
    expect(stdout).to.match(/INFO main - after/);
    expect(lines(dir, 'broker')).to.have.length(2);
  });

  it('routes each category to its Java file name (broker, store, remoting, stats, transaction, namesrv)', () => {
    const names = ['broker', 'store', 'remoting', 'stats', 'transaction', 'namesrv'];
    const { dir } = runChild(`for (const n of ${JSON.stringify(names)}) log.getLogger(n).info('to ' + n);
       setTimeout(() => { log.getLogger('stats').info('late stats'); log.closeLoggers(); }, 1200);`);
    for (const name of names) expect(lines(dir, name)[0]).to.match(new RegExp(` - to ${name}$`));
    expect(lines(dir, 'stats')).to.have.length(2);
  });

  it('rolls by size, keeps <name>.log as the live file and at most ROCKETMQ_LOG_MAX_FILES files, even in a burst', () => {
    // 400 lines at once, before and after winston loads (winston's own maxsize roll lost them all)
    const { dir } = runChild(
      `const b = log.getLogger('broker');
       for (let i = 0; i < 200; i++) b.info('line ' + i + ' ' + 'x'.repeat(40));
       setTimeout(async () => {
         for (let i = 200; i < 400; i++) b.info('line ' + i + ' ' + 'x'.repeat(40));
         await log.closeLoggers();
       }, 1200);`,
      { ROCKETMQ_LOG_MAX_FILE_BYTES: '4000', ROCKETMQ_LOG_MAX_FILES: '3' },
    );
    expect(fs.readdirSync(dir).sort()).to.deep.equal(['broker.log', 'broker1.log', 'broker2.log']);
    for (const file of ['broker.log', 'broker1.log', 'broker2.log'])
      expect(fs.statSync(path.join(dir, file)).size).to.be.at.most(4000);
    // oldest part first: one unbroken run of lines ending with the last one
    const numbers = ['broker2', 'broker1', 'broker']
      .flatMap((name) => lines(dir, name))
      .map((l) => Number(/ - line (\d+) /.exec(l)![1]));
    expect(numbers[numbers.length - 1]).to.equal(399);
    expect(numbers).to.deep.equal(numbers.map((_, i) => numbers[0] + i));
    expect(numbers.length).to.be.above(60); // two full parts of ~44 lines and the live one
  });

  it('rolls at local midnight: the day moves to otherdays/broker.<day>.log, broker.log starts the new day', () => {
    const { dir } = runChild(
      `let t = new Date(2026, 0, 1, 23, 59, 58).getTime(); Date.now = () => t;
       const b = log.getLogger('broker');
       b.info('day one early');
       setTimeout(() => {
         b.info('day one late');
         setTimeout(() => { t = new Date(2026, 0, 2, 0, 0, 1).getTime(); b.info('day two'); ` +
        `setTimeout(() => log.closeLoggers(), 300); }, 200);
       }, 1200);`,
    );
    const dayOne = fs
      .readFileSync(path.join(dir, 'otherdays', 'broker.2026-01-01.log'), 'utf8')
      .trim()
      .split('\n');
    expect(dayOne.map((l) => l.replace(LINE, '$2'))).to.deep.equal(['day one early', 'day one late']);
    expect(lines(dir, 'broker').map((l) => l.replace(LINE, '$2'))).to.deep.equal(['day two']);
  });

  it('moves a live file left by an earlier day to otherdays/ when it starts', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rmq-log-'));
    const yesterday = new Date(Date.now() - 24 * 3600 * 1000);
    fs.writeFileSync(path.join(dir, 'store.log'), 'old line\n');
    fs.utimesSync(path.join(dir, 'store.log'), yesterday, yesterday);
    runChild(`log.getLogger('store').info('new line'); setTimeout(() => log.closeLoggers(), 1200);`, {
      ROCKETMQ_LOG_DIR: dir,
    });
    const day =
      `${yesterday.getFullYear()}-${String(yesterday.getMonth() + 1).padStart(2, '0')}-` +
      `${String(yesterday.getDate()).padStart(2, '0')}`;
    expect(fs.readFileSync(path.join(dir, 'otherdays', `store.${day}.log`), 'utf8')).to.equal('old line\n');
    expect(lines(dir, 'store').map((l) => l.replace(LINE, '$2'))).to.deep.equal(['new line']);
  });

  it('keeps running when the log folder cannot be written (a file stands where the folder should be)', () => {
    const blocker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rmq-log-')), 'not-a-dir');
    fs.writeFileSync(blocker, '');
    const run = spawnSync(
      process.execPath,
      [
        '-e',
        `const log = require(${JSON.stringify(LOGGER_MODULE)});
      log.getLogger('broker').info('x'); setTimeout(async () => { log.getLogger('broker').info('y'); ` +
          `await log.closeLoggers(); console.log('alive'); }, 1200);`,
      ],
      { env: { ...process.env, ROCKETMQ_LOG_DIR: path.join(blocker, 'logs') }, encoding: 'utf8', timeout: 20_000 },
    );
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stdout).to.equal('alive\n');
    expect(run.stderr).to.match(/cannot open .*broker\.log/);
  });
});
