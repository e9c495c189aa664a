// The load test's background clients, run in a worker thread (their own event loop, so the
// producers' latencies are measured apart from them): `connections` clients that heartbeat every
// heartbeatIntervalMs (a 4.7.1 client: HEART_BEAT every 30 s to every broker), and one consumer
// per group that long-polls every queue of the topic from startOffsets, as a push consumer does.
// On {type:'drain', targets} the consumers run until every group reached targets[queueId] on every
// queue (or timeoutMs), then the worker posts its report and closes everything.
import net from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { RequestCode } from '../../src/codec/request-code';
import { ResponseCode } from '../../src/codec/response-code';
import type { Connection } from '../../src/remoting/connection';
import { LoadConsumer } from './load-consumer';
import { call, connect, groupName, heartbeatBody, LOAD_TOPIC, sleep } from './load-peer';

export interface LoadClientsData {
  brokerPort: number;
  connections: number;
  groups: number;
  heartbeatIntervalMs: number;
  suspendTimeoutMs: number;
  startOffsets: number[];
}

export interface LoadClientsReport {
  heartbeatsOk: number;
  heartbeatsFailed: number;
  heartbeatMaxMs: number;
  connectionsClosedByBroker: number;
  pullErrors: number;
  /** pull answers that carried messages, and how many messages they carried in all */
  pullsWithMessages: number;
  pulledMessages: number;
  /** pull answers without messages (PULL_NOT_FOUND after a suspension, retry, offset moved) */
  pullsEmpty: number;
  offsetGaps: number;
  consumedPerGroup: number[];
  /** from the end of the loaded phase until every group had every message (how far behind they were) */
  drainMs: number;
  /** groups that did not reach every target before the timeout */
  groupsBehind: string[];
}

const CONNECT_BATCH = 100;

const data = workerData as LoadClientsData;
const report: LoadClientsReport = {
  heartbeatsOk: 0,
  heartbeatsFailed: 0,
  heartbeatMaxMs: 0,
  connectionsClosedByBroker: 0,
  pullErrors: 0,
  pullsWithMessages: 0,
  pulledMessages: 0,
  pullsEmpty: 0,
  offsetGaps: 0,
  drainMs: 0,
  consumedPerGroup: [],
  groupsBehind: [],
};
const connections: Connection[] = [];
const consumers: LoadConsumer[] = [];
const timers: NodeJS.Timeout[] = [];
let closing = false;

async function heartbeat(connection: Connection, clientId: string, group: string): Promise<void> {
  const startMs = Date.now();
  try {
    const response = await call(connection, RequestCode.HEART_BEAT, undefined, heartbeatBody(clientId, group));
    if (response.code === ResponseCode.SUCCESS) report.heartbeatsOk++;
    else report.heartbeatsFailed++;
  } catch {
    report.heartbeatsFailed++;
  }
  report.heartbeatMaxMs = Math.max(report.heartbeatMaxMs, Date.now() - startMs);
}

async function startHeartbeaters(): Promise<void> {
  for (let first = 0; first < data.connections; first += CONNECT_BATCH) {
    const batch = Array.from({ length: Math.min(CONNECT_BATCH, data.connections - first) }, async (_, k) => {
      const index = first + k;
      const connection = await connect(data.brokerPort);
      connections.push(connection);
      connection.onClose(() => {
        if (!closing) report.connectionsClosedByBroker++;
      });
      const clientId = `127.0.0.1@load-${process.pid}-${index}`;
      const group = groupName(index % data.groups);
      await heartbeat(connection, clientId, group); // a client heartbeats once at start, then periodically
      const jitterMs = Math.floor(Math.random() * data.heartbeatIntervalMs);
      const firstPeriodic = setTimeout(() => {
        void heartbeat(connection, clientId, group);
        const every = setInterval(() => void heartbeat(connection, clientId, group), data.heartbeatIntervalMs);
        timers.push(every);
      }, jitterMs);
      timers.push(firstPeriodic);
    });
    await Promise.all(batch);
  }
}

async function startConsumers(): Promise<number[][]> {
  const allOffsets: number[][] = [];
  for (let groupIndex = 0; groupIndex < data.groups; groupIndex++) {
    const socket = await connectLean(data.brokerPort);
    socket.on('close', () => {
      if (!closing) report.connectionsClosedByBroker++;
    });
    const offsets = [...data.startOffsets];
    const consumer = new LoadConsumer(
      socket,
      groupName(groupIndex),
      LOAD_TOPIC,
      offsets,
      data.suspendTimeoutMs,
      report,
    );
    consumers.push(consumer);
    allOffsets.push(offsets);
    consumer.start();
  }
  return allOffsets;
}

function connectLean(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port, noDelay: true }, () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

async function drain(offsets: number[][], targets: number[], timeoutMs: number): Promise<void> {
  const startMs = Date.now();
  const deadline = startMs + timeoutMs;
  const behind = () =>
    offsets.flatMap((ofGroup, index) =>
      ofGroup.some((offset, queueId) => offset < targets[queueId]) ? [groupName(index)] : [],
    );
  while (behind().length > 0 && Date.now() < deadline) await sleep(5);
  report.drainMs = Date.now() - startMs;
  report.groupsBehind = behind();
  closing = true;
  for (const timer of timers) clearTimeout(timer);
  for (const connection of connections) connection.close();
  for (const consumer of consumers) consumer.stop();
  report.consumedPerGroup = consumers.map((consumer) => consumer.consumed);
  parentPort!.postMessage({ type: 'report', report });
}

async function main(): Promise<void> {
  await startHeartbeaters();
  const offsets = await startConsumers();
  parentPort!.on('message', (message: { type: string; targets: number[]; timeoutMs: number }) => {
    if (message.type === 'drain') void drain(offsets, message.targets, message.timeoutMs);
  });
  parentPort!.postMessage({ type: 'ready', connections: connections.length });
}

main().catch((error) => parentPort!.postMessage({ type: 'error', message: (error as Error).stack }));
