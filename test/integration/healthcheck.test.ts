import { expect } from 'chai';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { addressOfServer, checkServer, roleOfCommandLine } from '../../src/cli/healthcheck';
import { Cluster } from './harness';

const CLI = path.join(__dirname, '..', '..', 'src', 'cli', 'healthcheck.js');

describe('healthcheck (the container image HEALTHCHECK)', function () {
  this.timeout(20_000);
  const cluster = new Cluster();
  before(() => cluster.start());
  after(() => cluster.stop());

  it('reports a live NameServer and broker, and exits 0 from the command line', async () => {
    expect(await checkServer({ role: 'nameserver', address: cluster.namesrvAddr })).to.equal(
      `nameserver ${cluster.namesrvAddr} OK`,
    );
    expect(await checkServer({ role: 'broker', address: cluster.brokerAddr })).to.match(
      /^broker 127\.0\.0\.1:\d+ OK \(V4_7_1\)$/,
    );
    const result = await runCli('broker', cluster.brokerAddr);
    expect(result.status, result.stdout).to.equal(0);
    expect(result.stdout).to.match(/^broker 127\.0\.0\.1:\d+ OK/);
  });

  it('exits 1 with a reason when nothing answers, or something that is not a broker does', async () => {
    const closed = await freePort();
    const result = await runCli('nameserver', `127.0.0.1:${closed}`);
    expect(result.status).to.equal(1);
    expect(result.stdout).to.match(/^UNHEALTHY: nameserver 127\.0\.0\.1:\d+: /);
    // a NameServer does not answer GET_BROKER_RUNTIME_INFO with SUCCESS
    let reason = '';
    await checkServer({ role: 'broker', address: cluster.namesrvAddr }, 2000).catch(
      (error: Error) => (reason = error.message),
    );
    expect(reason).to.match(/^answered code \d+/);
  });

  it('finds the role and address from a server command line and its -c file', () => {
    expect(
      roleOfCommandLine(['node', '--max-semi-space-size=8', '/x/lib/dist/src/cli/mqbroker.js', '-c', 'b.conf']),
    ).to.equal('broker');
    expect(roleOfCommandLine(['/usr/bin/node', '/x/mqnamesrv.js'])).to.equal('nameserver');
    expect(roleOfCommandLine(['sh', '/x/mqbroker.js'])).to.equal(undefined);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'healthcheck-'));
    try {
      fs.writeFileSync(path.join(dir, 'broker.conf'), 'brokerName = broker-b\nlistenPort = 10931\n');
      expect(
        addressOfServer('broker', ['node', 'mqbroker.js', '-c', 'broker.conf'], dir, {
          ROCKETMQ_BIND_ADDRESS: '0.0.0.0',
        }),
      ).to.equal('127.0.0.1:10931');
      fs.writeFileSync(path.join(dir, 'ns.properties'), 'bindAddress=127.0.0.2\n');
      expect(
        addressOfServer('nameserver', ['node', 'mqnamesrv.js', `--configFile=${dir}/ns.properties`], '/', {}),
      ).to.equal('127.0.0.2:9876');
      expect(addressOfServer('broker', ['node', 'mqbroker.js'], '/', {})).to.equal('127.0.0.1:10911');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The CLI in a child process, without blocking this one (the servers answer from its event loop). */
function runCli(...args: string[]): Promise<{ status: number | null; stdout: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 10_000 }, (error, stdout) => {
      resolve({ status: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout });
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}
