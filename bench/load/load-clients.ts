// The load test's background clients, run in a worker thread (their own event loop, so the
// producers' latencies are measured apart from them): `connections` clients that heartbeat every
// heartbeatIntervalMs (a 4.7.1 client: HEART_BEAT every 30 s to every broker), and one consumer
// per group that long-polls every queue of the topic from startOffsets, as a push consumer does.
// On {type:'drain', targets} the consumers run until every group reached targets[queueId] on every
// queue (or timeoutMs), then the worker posts its report and closes everything.
import { parentPort, workerData } from 'node:worker_threads';
import { RequestCode } from '../../src/codec/request-code';
import { ResponseCode } from '../../src/codec/response-code';
import type { Connection } from '../../src/remoting/connection';
import { call, connect, groupName, heartbeatBody, LOAD_QUEUES, pullHeader, sleep } from './load-peer';

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
const RECORD_QUEUE_OFFSET_POSITION = 20;

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
const timers: NodeJS.Timeout[] = [];
let stopped = false;
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

async function consumeQueue(
  connection: Connection,
  groupIndex: number,
  queueId: number,
  offsets: number[],
): Promise<void> {
  const group = groupName(groupIndex);
  while (!stopped) {
    let response: Awaited<ReturnType<typeof call>>;
    try {
      response = await call(
        connection,
        RequestCode.PULL_MESSAGE,
        pullHeader(group, queueId, offsets[queueId], data.suspendTimeoutMs),
        undefined,
        data.suspendTimeoutMs + 5000,
      );
    } catch {
      if (stopped) return;
      report.pullErrors++;
      await sleep(100);
      continue;
    }
    if (response.code === ResponseCode.SUCCESS && response.body !== undefined) {
      const body = response.body;
      report.pullsWithMessages++;
      for (
        let position = 0;
        position + RECORD_QUEUE_OFFSET_POSITION + 8 <= body.length;
        position += body.readInt32BE(position)
      ) {
        const queueOffset = Number(body.readBigInt64BE(position + RECORD_QUEUE_OFFSET_POSITION));
        if (queueOffset !== offsets[queueId]) report.offsetGaps++;
        offsets[queueId] = queueOffset + 1;
        report.consumedPerGroup[groupIndex]++;
        report.pulledMessages++;
      }
    } else if (
      response.code === ResponseCode.PULL_NOT_FOUND ||
      response.code === ResponseCode.PULL_RETRY_IMMEDIATELY ||
      response.code === ResponseCode.PULL_OFFSET_MOVED
    ) {
      report.pullsEmpty++;
      const next = Number(response.extFields?.nextBeginOffset ?? offsets[queueId]);
      if (response.code === ResponseCode.PULL_OFFSET_MOVED) report.offsetGaps++;
      offsets[queueId] = next;
    } else {
      report.pullErrors++;
      await sleep(100);
    }
  }
}

async function startConsumers(): Promise<number[][]> {
  const allOffsets: number[][] = [];
  for (let groupIndex = 0; groupIndex < data.groups; groupIndex++) {
    const connection = await connect(data.brokerPort);
    connections.push(connection);
    const offsets = [...data.startOffsets];
    allOffsets.push(offsets);
    report.consumedPerGroup.push(0);
    for (let queueId = 0; queueId < LOAD_QUEUES; queueId++) void consumeQueue(connection, groupIndex, queueId, offsets);
  }
  return allOffsets;
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
  stopped = true;
  closing = true;
  for (const timer of timers) clearTimeout(timer);
  for (const connection of connections) connection.close();
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
