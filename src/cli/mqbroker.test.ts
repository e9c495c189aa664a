import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const CLI = path.join(__dirname, 'mqbroker.js');

describe('mqbroker CLI: settings it cannot honour', function () {
  this.timeout(10_000);
  let home: string;

  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'mqbroker-'));
  });

  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  function start(conf: string): ReturnType<typeof spawnSync> {
    const configFile = path.join(home, 'broker.conf');
    fs.writeFileSync(
      configFile,
      `listenPort=0\nnamesrvAddr=127.0.0.1:1\nstorePathRootDir=${path.join(home, 'store')}\n${conf}`,
    );
    const env = { ...process.env, HOME: home, ROCKETMQ_LOG_DIR: path.join(home, 'logs') };
    return spawnSync(process.execPath, [CLI, '-c', configFile], { env, encoding: 'utf8', timeout: 8000 });
  }

  for (const conf of ['enableDLegerCommitLog=true\n', 'messageIndexSafe=true\n']) {
    it(`stops start-up with a clear error for ${conf.trim().replace('\n', ' ')}`, () => {
      const result = start(conf);
      expect(result.status).to.equal(1);
      expect(String(result.stderr)).to.contain('does not implement yet');
      expect(String(result.stdout)).not.to.contain('boot success');
      expect(fs.existsSync(path.join(home, 'store', 'commitlog'))).to.equal(false);
    });
  }

  it('stops start-up with aclEnable=true when $ROCKETMQ_HOME/conf/plain_acl.yml is missing', () => {
    const result = start('aclEnable=true\n');
    expect(result.status).to.equal(1);
    expect(String(result.stderr)).to.contain('plain_acl.yml file  is not data');
    expect(String(result.stdout)).not.to.contain('boot success');
  });

  it('starts with aclEnable=true and a plain_acl.yml under rocketmqHome', async () => {
    fs.mkdirSync(path.join(home, 'conf'), { recursive: true });
    fs.writeFileSync(
      path.join(home, 'conf', 'plain_acl.yml'),
      'globalWhiteRemoteAddresses:\n- 10.10.103.*\naccounts:\n- accessKey: RocketMQ\n  secretKey: 12345678\n',
    );
    const configFile = path.join(home, 'broker.conf');
    fs.writeFileSync(
      configFile,
      `listenPort=0\nnamesrvAddr=127.0.0.1:1\nstorePathRootDir=${path.join(home, 'store')}\naclEnable=true\nrocketmqHome=${home}\n`,
    );
    const env = { ...process.env, HOME: home, ROCKETMQ_LOG_DIR: path.join(home, 'logs') };
    const child = spawn(process.execPath, [CLI, '-c', configFile], { env });
    let stdout = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no boot line: ${stdout}`)), 8000);
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('boot success')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', (code) => reject(new Error(`exited ${String(code)}: ${stdout}`)));
    }).finally(() => child.kill('SIGTERM'));
    await new Promise((resolve) => child.once('exit', resolve));
  });

  it('stops a SLAVE whose brokerId is not > 0 as Java does ("Slave\'s brokerId must be > 0", exit -3)', () => {
    const result = start('brokerId=0\nbrokerRole=SLAVE\n');
    expect(result.status).to.equal(253);
    expect(String(result.stderr)).to.contain("Slave's brokerId must be > 0");
    expect(fs.existsSync(path.join(home, 'store', 'commitlog'))).to.equal(false);
  });

  it('stops start-up for a brokerRole it cannot parse (Java would silently run it as ASYNC_MASTER)', () => {
    const result = start('brokerId=1\nbrokerRole=slave\n');
    expect(result.status).to.equal(1);
    expect(String(result.stderr)).to.contain('brokerRole=slave is not one of ASYNC_MASTER, SYNC_MASTER, SLAVE');
  });

  it('prints the role and HA keys with Java defaults, the HA port at listenPort + 1 and a slave keeping its brokerId', () => {
    const configFile = path.join(home, 'broker.conf');
    fs.writeFileSync(configFile, 'brokerId=2\nbrokerRole=SLAVE\nlistenPort=10921\n');
    const lines = spawnSync(process.execPath, [CLI, '-c', configFile, '-p'], { encoding: 'utf8' }).stdout.split('\n');
    for (const line of [
      'brokerId=2',
      'brokerRole=SLAVE',
      'haListenPort=10922',
      'haSendHeartbeatInterval=5000',
      'haHousekeepingInterval=20000',
      'haTransferBatchSize=32768',
      'haSlaveFallbehindMax=268435456',
      'haMasterAddress=null',
      'slaveReadEnable=false',
      'syncFlushTimeout=5000',
    ]) {
      expect(lines).to.include(line);
    }
  });

  it('reads the 2m-2s example files of conf/ with their roles, ids and ports', () => {
    const confDir = path.join(__dirname, '..', '..', '..', 'conf');
    const expected: Array<[string, string, string, string]> = [];
    for (const [mode, masterRole] of [
      ['2m-2s-async', 'ASYNC_MASTER'],
      ['2m-2s-sync', 'SYNC_MASTER'],
    ]) {
      expected.push([`${mode}/broker-a`, masterRole, '0', '10912'], [`${mode}/broker-a-s`, 'SLAVE', '1', '10922']);
      expected.push([`${mode}/broker-b`, masterRole, '0', '10932'], [`${mode}/broker-b-s`, 'SLAVE', '1', '10942']);
    }
    for (const [file, role, brokerId, haListenPort] of expected) {
      const lines = spawnSync(process.execPath, [CLI, '-c', path.join(confDir, `${file}.properties`), '-p'], {
        encoding: 'utf8',
      }).stdout.split('\n');
      expect(lines, file).to.include.members([
        `brokerRole=${role}`,
        `brokerId=${brokerId}`,
        `haListenPort=${haListenPort}`,
      ]);
    }
  });

  it('prints brokerId=0 for a master whatever the file says, as Java does', () => {
    const configFile = path.join(home, 'broker.conf');
    fs.writeFileSync(configFile, 'brokerId=3\nbrokerRole=ASYNC_MASTER\n');
    const result = spawnSync(process.execPath, [CLI, '-c', configFile, '-p'], { encoding: 'utf8' });
    expect(result.status).to.equal(0);
    expect(result.stdout.split('\n')).to.include('brokerId=0');
  });
});
