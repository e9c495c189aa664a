// The servers the socket fuzzer runs against: a NameServer and a broker as child processes (the
// real `mqnamesrv` / `mqbroker` entry points of dist/) on free 127.0.0.1 ports, each with its own
// HOME under one temporary directory, so logs, kvConfig and the store stay out of the user's home.
// The broker can be stopped and started again on the same store.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const CLI_DIR = path.resolve(__dirname, '../../src/cli');
const BOOT_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 20_000;
const STDERR_TAIL_CHARS = 4000;

export interface ServerProcess {
  name: string;
  child: ChildProcess;
  address: string;
  /** The last characters the process wrote to stderr (a crash leaves its stack there). */
  stderrTail: string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** VmRSS of a process in MiB, or NaN when it is gone. */
export function rssMiB(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return kib / 1024;
  } catch {
    return NaN;
  }
}

export function isAlive(server: ServerProcess): boolean {
  return server.child.exitCode === null && server.child.signalCode === null;
}

function launch(
  name: string,
  script: string,
  args: string[],
  home: string,
  bootLine: RegExp,
): Promise<{ server: ServerProcess; match: RegExpExecArray }> {
  const env = {
    ...process.env,
    HOME: home,
    ROCKETMQ_HOME: home,
    ROCKETMQ_LOG_DIR: path.join(home, 'logs'),
    ROCKETMQ_LOG_STDOUT: 'false',
  };
  const child = spawn(process.execPath, ['--max-semi-space-size=8', path.join(CLI_DIR, script), ...args], {
    env,
    cwd: home,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const server: ServerProcess = { name, child, address: '', stderrTail: '' };
  child.stderr!.on('data', (chunk: Buffer) => {
    server.stderrTail = (server.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS);
  });
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not boot in ${BOOT_TIMEOUT_MS} ms: ${stdout} ${server.stderrTail}`));
    }, BOOT_TIMEOUT_MS);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) while starting: ${server.stderrTail}`));
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const match = bootLine.exec(stdout);
      if (match === null) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.stdout!.removeAllListeners('data');
      child.stdout!.resume();
      resolve({ server, match });
    });
  });
}

export class FuzzServers {
  readonly home = fs.mkdtempSync(path.join(os.tmpdir(), 'rmq-fuzz-'));
  namesrv!: ServerProcess;
  broker!: ServerProcess;
  private brokerConf = '';

  async start(): Promise<void> {
    const namesrvPort = await freePort();
    const namesrvConf = path.join(this.home, 'namesrv.properties');
    fs.writeFileSync(namesrvConf, `listenPort=${namesrvPort}\n`);
    const { server } = await launch('namesrv', 'mqnamesrv.js', ['-c', namesrvConf], this.home, /boot success/);
    server.address = `127.0.0.1:${namesrvPort}`;
    this.namesrv = server;
    this.brokerConf = path.join(this.home, 'broker.conf');
    fs.writeFileSync(
      this.brokerConf,
      [
        'brokerClusterName=FuzzCluster',
        'brokerName=fuzz-broker',
        'brokerId=0',
        'listenPort=0',
        'brokerIP1=127.0.0.1',
        `namesrvAddr=${server.address}`,
        `storePathRootDir=${path.join(this.home, 'store')}`,
        'mappedFileSizeCommitLog=67108864',
        'autoCreateTopicEnable=true',
        'autoCreateSubscriptionGroup=true',
        '',
      ].join('\n'),
    );
    await this.startBroker();
  }

  async startBroker(): Promise<void> {
    const { server, match } = await launch(
      'broker',
      'mqbroker.js',
      ['-c', this.brokerConf],
      this.home,
      /\[fuzz-broker, [^\]]*?:(\d+)\] boot success/,
    );
    server.address = `127.0.0.1:${match[1]}`; // it binds 127.0.0.1 whatever brokerIP1 says
    this.broker = server;
  }

  /** SIGTERM and wait for a clean exit (code 0); throws when the broker does not stop cleanly. */
  async stopBroker(): Promise<void> {
    await stop(this.broker);
  }

  async stop(): Promise<void> {
    for (const server of [this.broker, this.namesrv]) {
      if (server !== undefined && isAlive(server)) await stop(server).catch(() => server.child.kill('SIGKILL'));
    }
    fs.rmSync(this.home, { recursive: true, force: true });
  }
}

function stop(server: ServerProcess): Promise<void> {
  if (!isAlive(server))
    return Promise.reject(
      new Error(`${server.name} was not running (exit ${server.child.exitCode ?? server.child.signalCode})`),
    );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      server.child.kill('SIGKILL');
      reject(new Error(`${server.name} did not stop in ${STOP_TIMEOUT_MS} ms`));
    }, STOP_TIMEOUT_MS);
    server.child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${server.name} exited with ${code} on SIGTERM: ${server.stderrTail}`));
    });
    server.child.kill('SIGTERM');
  });
}
