// connectionWorkerThreads: what the workers enforce that the rest of the suite (run a second time
// in that mode by `npm test`) does not reach. A main thread that falls behind must stop the reading,
// as it does when it owns the sockets: a peer flooding frames while the main thread is blocked can
// hand the broker only about MAX_UNPROCESSED_BYTES (64 MiB) plus the kernel's socket buffers.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { RequestCode } from '../../src/codec/request-code';
import { ResponseCode } from '../../src/codec/response-code';
import { PEAK_REPORT_STEP_BYTES } from '../../src/broker/connection-workers/connection-event-format';
import { until } from './consumption-support';
import { Cluster, pullHeader, sendHeader } from './harness';
import { RawPeer } from './raw-peer';

/** Bytes the flooding peer offers: well past the workers' 64 MiB of unprocessed events. */
const FLOOD_BYTES = 160 * 1024 * 1024;
const BLOCK_MS = 2500;

/**
 * A peer in another process (the broker's main thread is about to be blocked): oneway frames of
 * 1 MiB with an unknown code, written as fast as the socket takes them; after `seconds` it prints
 * how many bytes the kernel accepted and exits.
 */
const FLOODER = `
const net = require('node:net');
const [port, totalBytes, reportAfterMs] = process.argv.slice(1).map(Number);
const header = Buffer.from(JSON.stringify({ code: 9999, flag: 2, language: 'JAVA', opaque: 1, serializeTypeCurrentRPC: 'JSON', version: 317 }));
const body = Buffer.alloc(1024 * 1024, 120);
const frame = Buffer.alloc(8 + header.length + body.length);
frame.writeInt32BE(4 + header.length + body.length, 0);
frame.writeInt32BE(header.length, 4);
header.copy(frame, 8);
body.copy(frame, 8 + header.length);
const socket = net.connect(port, '127.0.0.1', () => {
  process.stdout.write('connected\\n');
  let offered = 0;
  const more = () => {
    while (offered < totalBytes) {
      offered += frame.length;
      if (!socket.write(frame)) return;
    }
  };
  socket.on('drain', more);
  more();
  setTimeout(() => {
    process.stdout.write(JSON.stringify({ acceptedBytes: offered - socket.writableLength }) + '\\n');
    process.exit(0);
  }, reportAfterMs);
});
`;

describe('connection workers (connectionWorkerThreads=1) over real sockets', function () {
  this.timeout(30000);
  const cluster = new Cluster();

  before(() => cluster.start({ connectionWorkerThreads: 1 }));
  after(() => cluster.stop());

  it('stops reading a flooding peer while the main thread is blocked, and answers again after', async () => {
    const port = cluster.broker.listenPort;
    const flooder = spawn(process.execPath, ['-e', FLOODER, String(port), String(FLOOD_BYTES), String(BLOCK_MS - 500)]);
    let output = '';
    flooder.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      flooder.stdout.on('data', () => output.includes('connected') && resolve());
      flooder.on('exit', () => reject(new Error(`flooder ended early: ${output}`)));
    });
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, BLOCK_MS); // the broker's thread is stuck
    await new Promise<void>((resolve) => (flooder.exitCode !== null ? resolve() : flooder.on('exit', () => resolve())));
    const { acceptedBytes } = JSON.parse(output.split('\n')[1]) as { acceptedBytes: number };
    expect(acceptedBytes, 'bytes the broker side took while its main thread was blocked').to.be.within(
      64 * 1024 * 1024,
      110 * 1024 * 1024,
    );
    const answer = await cluster.toBroker(RequestCode.GET_BROKER_RUNTIME_INFO, {});
    expect(answer.code).to.equal(ResponseCode.SUCCESS);
  });

  it("shows a socket's unsent bytes while it is open, not only at its close", async () => {
    const topic = 'WorkerPeak';
    const bodyBytes = 60 * 1024;
    const messages = 300; // 18 MB: more than the kernel's socket buffers absorb
    for (let i = 0; i < messages; i++) {
      const answer = await cluster.toBroker(RequestCode.SEND_MESSAGE_V2, sendHeader(topic, 0), Buffer.alloc(bodyBytes));
      expect(answer.code).to.equal(ResponseCode.SUCCESS);
    }
    const slow = await RawPeer.connect(cluster.brokerAddr);
    slow.socket.pause(); // reads nothing: the worker's socket keeps what the kernel does not take
    const slowAddress = `127.0.0.1:${slow.socket.localPort}`;
    const slowConnection = () =>
      [...cluster.broker.remotingServers[0].connections].find((connection) => connection.remoteAddress === slowAddress);
    await until('the broker to accept the slow connection', () => slowConnection() !== undefined);
    for (let offset = 0; offset < messages; offset++) {
      const header = pullHeader('peakGroup', topic, 0, offset, {
        maxMsgNums: '1',
        sysFlag: '4',
        suspendTimeoutMillis: '0',
      });
      slow.fire(RequestCode.PULL_MESSAGE, header);
    }
    await until(
      'the open connection to show unsent bytes',
      () => (slowConnection()?.peakPendingWriteBytes ?? 0) > 0,
      10000,
    );
    expect(slowConnection()?.isClosed).to.equal(false);
    expect(slowConnection()?.peakPendingWriteBytes).to.be.at.least(PEAK_REPORT_STEP_BYTES);
    slow.close();
    // the pulls still queued for it are dropped once the broker sees the close: none may be answered
    // (and counted) during the next test
    await until('the broker to see the slow connection closed', () => slowConnection() === undefined, 10000);
  });

  it('answers pulls with the records the worker read from the commit log, byte for byte', async () => {
    const topic = 'WorkerLogReads';
    const queues = 4;
    const send = async (i: number) => {
      const body = Buffer.alloc(100 + ((i * 977) % 5000), i % 251); // sizes vary: runs of every length
      const answer = await cluster.toBroker(RequestCode.SEND_MESSAGE_V2, sendHeader(topic, i % queues), body);
      expect(answer.code).to.equal(ResponseCode.SUCCESS);
    };
    const pullAndCompare = async (queueId: number, queueOffset: number): Promise<number> => {
      const header = pullHeader('logReadsGroup', topic, queueId, queueOffset, { maxMsgNums: '32', sysFlag: '4' });
      const answer = await cluster.toBroker(RequestCode.PULL_MESSAGE, header);
      expect(answer.code).to.equal(ResponseCode.SUCCESS);
      const stored = cluster.broker.messageStore.getMessage('check', topic, queueId, queueOffset, 32);
      expect(answer.body?.equals(Buffer.concat(stored.messageBuffers))).to.equal(true);
      return stored.messageCount;
    };
    const posted = () => cluster.broker.workers.connectionWorkerPool?.posted.logWrites ?? 0;
    const before = posted();
    for (let i = 0; i < 40; i++) await send(i);
    for (let queueId = 0; queueId < queues; queueId++) expect(await pullAndCompare(queueId, 0)).to.equal(10);
    // written after the worker read the log's end: a block it read short must not answer now
    for (let i = 40; i < 200; i++) await send(i);
    for (let queueId = 0; queueId < queues; queueId++) expect(await pullAndCompare(queueId, 10)).to.equal(32);
    expect(posted() - before, 'answers whose bodies the worker read').to.equal(2 * queues);
  });

  it('reads pull bodies across segment rolls, from the file where the hot tail restarted, while sends go on', async () => {
    const topic = 'WorkerLogRolls';
    const queues = 4;
    let sent = 0;
    const send = async () => {
      const i = sent++;
      const body = Buffer.alloc(2000 + ((i * 389) % 2500), i % 253); // about 5 segments of 1 MiB in all
      const answer = await cluster.toBroker(RequestCode.SEND_MESSAGE_V2, sendHeader(topic, i % queues), body);
      expect(answer.code).to.equal(ResponseCode.SUCCESS);
    };
    const before = cluster.broker.workers.connectionWorkerPool?.posted.logWrites ?? 0;
    const nextOffsets = Array.from({ length: queues }, () => 0);
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 40; i++) await send();
      for (let queueId = 0; queueId < queues; queueId++) {
        const queueOffset = nextOffsets[queueId];
        const header = pullHeader('logRollsGroup', topic, queueId, queueOffset, { maxMsgNums: '32', sysFlag: '4' });
        const answer = await cluster.toBroker(RequestCode.PULL_MESSAGE, header);
        expect(answer.code).to.equal(ResponseCode.SUCCESS);
        const stored = cluster.broker.messageStore.getMessage('check', topic, queueId, queueOffset, 32);
        expect(
          answer.body?.equals(Buffer.concat(stored.messageBuffers)),
          `queue ${queueId} at ${queueOffset}`,
        ).to.equal(true);
        nextOffsets[queueId] += stored.messageCount;
      }
    }
    expect(nextOffsets.reduce((a, b) => a + b, 0)).to.be.greaterThan(1200);
    expect((cluster.broker.workers.connectionWorkerPool?.posted.logWrites ?? 0) - before).to.equal(40 * queues);
  });

  it('refuses to start on a port in use, as the in-line broker does (not on a port of its own)', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-port-'));
    try {
      const starting = cluster.newBroker(home, { listenPort: port, connectionWorkerThreads: 1 });
      let failure: Error | undefined;
      await starting.then(
        (broker) => broker.shutdown(),
        (error: Error) => (failure = error),
      );
      expect(failure?.message).to.match(/EADDRINUSE/);
    } finally {
      taken.close();
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
