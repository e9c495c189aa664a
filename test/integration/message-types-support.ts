// Helpers for the message-types tests: a fake client that heartbeats as a producer (so the broker
// can call it back: CHECK_TRANSACTION_STATE, PUSH_REPLY_MESSAGE_TO_CLIENT), and small wrappers.
import { expect } from 'chai';
import { decodeMessageRecord, type MessageRecord } from '../../src/codec/message/message-record';
import {
  createRequestCommand,
  createResponseCommand,
  type ExtFields,
  type RemotingCommand,
} from '../../src/codec/remoting-command';
import { RequestCode } from '../../src/codec/request-code';
import { ResponseCode } from '../../src/codec/response-code';
import { newOpaque, type Connection } from '../../src/remoting/connection';
import { RemotingClient } from '../../src/remoting/remoting-client';
import { type Cluster, pullHeader } from './harness';

export type Answer = (request: RemotingCommand) => RemotingCommand | undefined;

export class FakeProducer {
  readonly received: RemotingCommand[] = [];
  answer: Answer = () => undefined;
  private readonly client: RemotingClient;

  constructor(
    readonly clientId: string,
    private readonly brokerAddr: () => string,
  ) {
    this.client = new RemotingClient(undefined, (connection, request) => this.onRequest(connection, request));
  }

  private onRequest(connection: Connection, request: RemotingCommand): void {
    this.received.push(request);
    const response = this.answer(request);
    if (response !== undefined) connection.send({ ...response, opaque: request.opaque });
  }

  call(code: number, extFields?: ExtFields, body?: Buffer): Promise<RemotingCommand> {
    return this.client.invoke(this.brokerAddr(), createRequestCommand(code, newOpaque(), { extFields, body }), 5000);
  }

  oneway(code: number, extFields?: ExtFields, body?: Buffer): Promise<void> {
    return this.client.invokeOneway(this.brokerAddr(), createRequestCommand(code, newOpaque(), { extFields, body }));
  }

  heartbeat(producerGroup: string): Promise<RemotingCommand> {
    const body = {
      clientID: this.clientId,
      consumerDataSet: [],
      producerDataSet: [{ groupName: producerGroup }, { groupName: 'CLIENT_INNER_PRODUCER' }],
    };
    return this.call(RequestCode.HEART_BEAT, undefined, Buffer.from(JSON.stringify(body)));
  }

  ofCode(code: number): RemotingCommand[] {
    return this.received.filter((request) => request.code === code);
  }

  close(): void {
    this.client.shutdown();
  }
}

export function ok(request: RemotingCommand): RemotingCommand {
  return createResponseCommand(request, ResponseCode.SUCCESS);
}

export async function until(what: string, condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A properties string from name/value pairs. */
export function props(entries: Record<string, string>): string {
  return Object.entries(entries)
    .map(([name, value]) => `${name}\u0001${value}\u0002`)
    .join('');
}

export async function maxOffset(cluster: Cluster, topic: string, queueId: number): Promise<number> {
  const response = await cluster.toBroker(RequestCode.GET_MAX_OFFSET, { topic, queueId: String(queueId) });
  expect(response.code, response.remark).to.equal(ResponseCode.SUCCESS);
  return Number(response.extFields!.offset);
}

/** Records of one queue from `queueOffset` (no long polling); empty when there are none. */
export async function pullRecords(
  cluster: Cluster,
  group: string,
  topic: string,
  queueId: number,
  queueOffset: number,
): Promise<MessageRecord[]> {
  const response = await cluster.toBroker(
    RequestCode.PULL_MESSAGE,
    pullHeader(group, topic, queueId, queueOffset, { sysFlag: '4' }),
  );
  if (response.code !== ResponseCode.SUCCESS) return [];
  const records: MessageRecord[] = [];
  const body = response.body!;
  for (let position = 0; position < body.length; ) {
    const { record, sizeBytes } = decodeMessageRecord(body, position);
    records.push(record);
    position += sizeBytes;
  }
  return records;
}

/** A unique client message id (UNIQ_KEY) of the 32-hex form. */
export function uniqKey(seed: number): string {
  return `7F000001${(seed & 0xffff).toString(16).padStart(4, '0')}CAFEBABE${Date.now().toString(16).slice(-8)}0001`.toUpperCase();
}

/** Cluster.restartBroker, keeping the test's broker overrides (the harness keeps only the port). */
export async function restartWith(cluster: Cluster, overrides: Record<string, unknown>): Promise<void> {
  const port = cluster.broker.listenPort;
  await cluster.broker.shutdown();
  cluster.client.close(cluster.brokerAddr);
  await cluster.startBroker({ ...overrides, listenPort: port });
}
