// A measurement, not a test (mocha does not pick it up): the broker's resident memory with N
// pending timer messages, next to the same N plain messages, each in a fresh broker process.
//
//   npm run build && node dist/test/integration/message-types-timer-memory.js [count=100000] [plain,timer]
//   (BROKER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the broker)
//
// For each mode it starts a NameServer and a broker (dist/src/cli) on free loopback ports with a
// temporary store, sends `count` 64-byte messages over one connection (256 in flight), waits 3 s,
// and reads VmRSS from /proc/<broker pid>/status before and after. Timer messages are due between
// 10 minutes and 40 days ahead, so none is delivered while it runs.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequestCommand } from '../../src/codec/remoting-command';
import { RequestCode } from '../../src/codec/request-code';
import { newOpaque } from '../../src/remoting/connection';
import { RemotingClient } from '../../src/remoting/remoting-client';

const CLI = path.resolve(__dirname, '../../src/cli');
const IN_FLIGHT = 256;
const BOOT_TIMEOUT_MS = 30_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

function launch(script: string, args: string[], marker: string): Promise<ChildProcess> {
  const nodeArgs =
    process.env.BROKER_NODE_ARGS !== undefined && script === 'mqbroker.js'
      ? process.env.BROKER_NODE_ARGS.split(' ')
      : [];
  const child = spawn(process.execPath, [...nodeArgs, path.join(CLI, script), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not boot`)), BOOT_TIMEOUT_MS);
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes(marker)) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

function properties(mode: string, index: number, nowMs: number): string {
  let text = `UNIQ_KEY\u0001${(0x7f000001).toString(16)}${index.toString(16).padStart(24, '0')}\u0002WAIT\u0001true\u0002`;
  if (mode === 'timer') {
    const aheadMs = 600_000 + Math.floor(((index * 0.6180339887) % 1) * 40 * 86_400_000);
    text += `TIMER_DELIVER_MS\u0001${nowMs + aheadMs}\u0002`;
  }
  return text;
}

async function sendAll(client: RemotingClient, address: string, mode: string, count: number): Promise<number> {
  const body = Buffer.alloc(64, 0x61);
  const nowMs = Date.now();
  let next = 0;
  let failures = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const extFields = {
        a: 'memPG',
        b: 'MemTopic',
        c: 'TBW102',
        d: '4',
        e: String(index % 4),
        f: '0',
        g: String(Date.now()),
        h: '0',
        i: properties(mode, index, nowMs),
        j: '0',
        k: 'false',
        m: 'false',
      };
      const response = await client.invoke(
        address,
        createRequestCommand(RequestCode.SEND_MESSAGE_V2, newOpaque(), { extFields, body }),
        10_000,
      );
      if (response.code !== 0) failures++;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return failures;
}

async function measure(mode: string, count: number): Promise<void> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), `rmq-mem-${mode}-`));
  const [nsPort, brokerPort] = [await freePort(), await freePort()];
  fs.writeFileSync(path.join(home, 'namesrv.properties'), `listenPort=${nsPort}\n`);
  const conf = [
    `listenPort=${brokerPort}`,
    `namesrvAddr=127.0.0.1:${nsPort}`,
    `storePathRootDir=${path.join(home, 'store')}`,
    'mappedFileSizeCommitLog=134217728',
  ];
  fs.writeFileSync(path.join(home, 'broker.conf'), `${conf.join('\n')}\n`);
  process.env.ROCKETMQ_LOG_DIR = path.join(home, 'logs');
  const namesrv = await launch('mqnamesrv.js', ['-c', path.join(home, 'namesrv.properties')], 'boot success');
  const broker = await launch('mqbroker.js', ['-c', path.join(home, 'broker.conf')], 'boot success');
  const client = new RemotingClient();
  try {
    const address = `127.0.0.1:${brokerPort}`;
    await sendAll(client, address, mode, 1000);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const before = rssMb(broker.pid!);
    const startMs = Date.now();
    const failures = await sendAll(client, address, mode, count);
    const sendMs = Date.now() - startMs;
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const after = rssMb(broker.pid!);
    console.log(
      `${mode.padEnd(5)} ${count} messages in ${sendMs} ms (${failures} failed): ` +
        `broker RSS ${before.toFixed(0)} MB -> ${after.toFixed(0)} MB (+${(after - before).toFixed(0)} MB)`,
    );
  } finally {
    client.shutdown();
    broker.kill('SIGTERM');
    namesrv.kill('SIGTERM');
    await new Promise((resolve) => broker.once('exit', resolve));
    fs.rmSync(home, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 100_000);
  const modes = (process.argv[3] ?? 'plain,timer').split(',');
  for (const mode of modes) await measure(mode, count);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
