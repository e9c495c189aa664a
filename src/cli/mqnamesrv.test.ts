import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const CLI = path.join(__dirname, 'mqnamesrv.js');
const BOOT_LINE = 'The Name Server boot success. serializeType=JSON';

describe('mqnamesrv CLI', function () {
  this.timeout(10_000);
  let home: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'mqnamesrv-'));
    env = { ...process.env, HOME: home, ROCKETMQ_LOG_DIR: path.join(home, 'logs'), ROCKETMQ_HOME: '/opt/rocketmq' };
  });

  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it('-p prints every setting as name=value, the -c file applied, and exits 0', () => {
    const configFile = path.join(home, 'namesrv.properties');
    fs.writeFileSync(configFile, 'listenPort=9999\norderMessageEnable=true\n');
    const result = spawnSync(process.execPath, [CLI, '-c', configFile, '-p'], { env, encoding: 'utf8' });
    expect(result.status).to.equal(0);
    const lines = result.stdout.split('\n');
    expect(lines).to.include.members([
      `load config properties file OK, ${configFile}`,
      'rocketmqHome=/opt/rocketmq',
      `configStorePath=${configFile}`,
      'listenPort=9999',
      'orderMessageEnable=true',
      'serverWorkerThreads=8',
      'serverChannelMaxIdleTimeSeconds=120',
    ]);
  });

  it('-h prints usage and exits 0; an unknown option prints usage and exits 1', () => {
    const help = spawnSync(process.execPath, [CLI, '-h'], { env, encoding: 'utf8' });
    expect(help.status).to.equal(0);
    expect(help.stdout).to.contain('usage: mqnamesrv');
    const bad = spawnSync(process.execPath, [CLI, '--bogus'], { env, encoding: 'utf8' });
    expect(bad.status).to.equal(1);
    expect(bad.stdout).to.contain('usage: mqnamesrv');
  });

  it('prints the boot line when listening and exits 0 on SIGTERM', async () => {
    const configFile = path.join(home, 'namesrv.properties');
    fs.writeFileSync(configFile, `listenPort=0\nkvConfigPath=${path.join(home, 'kv.json')}\n`);
    const child = spawn(process.execPath, [CLI, '-c', configFile], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.split('\n').includes(BOOT_LINE)) resolve();
      });
      child.once('exit', (code) => reject(new Error(`exited ${code} before booting: ${stdout}`)));
    });
    const exitCode = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exitCode).to.equal(0);
    expect(fs.readFileSync(path.join(home, 'logs', 'namesrv.log'), 'utf8')).to.contain(BOOT_LINE);
  });
});
