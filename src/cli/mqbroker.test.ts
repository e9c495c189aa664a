import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
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
    fs.writeFileSync(configFile, `listenPort=0\nnamesrvAddr=127.0.0.1:1\nstorePathRootDir=${path.join(home, 'store')}\n${conf}`);
    const env = { ...process.env, HOME: home, ROCKETMQ_LOG_DIR: path.join(home, 'logs') };
    return spawnSync(process.execPath, [CLI, '-c', configFile], { env, encoding: 'utf8', timeout: 8000 });
  }

  for (const conf of ['brokerId=1\nbrokerRole=SLAVE\n', 'brokerRole=SYNC_MASTER\n', 'aclEnable=true\n']) {
    it(`stops start-up with a clear error for ${conf.trim().replace('\n', ' ')}`, () => {
      const result = start(conf);
      expect(result.status).to.equal(1);
      expect(String(result.stderr)).to.contain('does not implement yet');
      expect(String(result.stdout)).not.to.contain('boot success');
      expect(fs.existsSync(path.join(home, 'store', 'commitlog'))).to.equal(false);
    });
  }

  it('prints brokerId=0 for a master whatever the file says, as Java does', () => {
    const configFile = path.join(home, 'broker.conf');
    fs.writeFileSync(configFile, 'brokerId=3\nbrokerRole=ASYNC_MASTER\n');
    const result = spawnSync(process.execPath, [CLI, '-c', configFile, '-p'], { encoding: 'utf8' });
    expect(result.status).to.equal(0);
    expect(result.stdout.split('\n')).to.include('brokerId=0');
  });
});
