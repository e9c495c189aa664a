// What the socket fuzzer checks with a fresh, well-behaved client (the project's RemotingClient):
// both servers answer, a topic can be created and routed, messages go in and come out again.
import { decodeMessageRecord } from '../../src/codec/message/message-record';
import { createRequestCommand, type RemotingCommand } from '../../src/codec/remoting-command';
import { RequestCode } from '../../src/codec/request-code';
import { ResponseCode } from '../../src/codec/response-code';
import { newOpaque } from '../../src/remoting/connection';
import type { RemotingClient } from '../../src/remoting/remoting-client';

const TIMEOUT_MS = 10_000;
const ROUTE_WAIT_MS = 20_000;
const PULL_ROUNDS_MAX = 100;
/** PullSysFlag: the request carries its subscription (no heartbeat needed). */
const SUBSCRIPTION_FLAG = 0x4;

function invoke(
  client: RemotingClient,
  address: string,
  code: number,
  extFields: Record<string, string>,
  body?: Buffer,
): Promise<RemotingCommand> {
  return client.invoke(address, createRequestCommand(code, newOpaque(), { extFields, body }), TIMEOUT_MS);
}

function expectSuccess(response: RemotingCommand, what: string): void {
  if (response.code !== ResponseCode.SUCCESS)
    throw new Error(`${what}: code ${response.code} ${response.remark ?? ''}`);
}

/** One request each server must answer; returns the time it took. */
export async function probe(client: RemotingClient, namesrvAddr: string, brokerAddr: string): Promise<number> {
  const startedMs = Date.now();
  expectSuccess(
    await invoke(client, namesrvAddr, RequestCode.GET_BROKER_CLUSTER_INFO, {}),
    'NameServer GET_BROKER_CLUSTER_INFO',
  );
  expectSuccess(
    await invoke(client, brokerAddr, RequestCode.GET_BROKER_RUNTIME_INFO, {}),
    'broker GET_BROKER_RUNTIME_INFO',
  );
  return Date.now() - startedMs;
}

/** Creates `topic` on the broker and waits until the NameServer routes it. */
export async function createRoutedTopic(
  client: RemotingClient,
  namesrvAddr: string,
  brokerAddr: string,
  topic: string,
): Promise<void> {
  const fields = {
    topic,
    defaultTopic: 'TBW102',
    readQueueNums: '1',
    writeQueueNums: '1',
    perm: '6',
    topicFilterType: 'SINGLE_TAG',
    topicSysFlag: '0',
    order: 'false',
  };
  expectSuccess(await invoke(client, brokerAddr, RequestCode.UPDATE_AND_CREATE_TOPIC, fields), `create topic ${topic}`);
  const deadlineMs = Date.now() + ROUTE_WAIT_MS;
  for (;;) {
    const route = await invoke(client, namesrvAddr, RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic });
    if (route.code === ResponseCode.SUCCESS) return;
    if (Date.now() > deadlineMs)
      throw new Error(`topic ${topic} has no route after ${ROUTE_WAIT_MS} ms (code ${route.code})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function sendMessages(
  client: RemotingClient,
  brokerAddr: string,
  topic: string,
  bodies: string[],
): Promise<void> {
  for (const body of bodies) {
    const fields = {
      a: 'FuzzCheckProducer',
      b: topic,
      c: 'TBW102',
      d: '1',
      e: '0',
      f: '0',
      g: String(Date.now()),
      h: '0',
      i: 'WAIT\u0001true\u0002',
      j: '0',
      k: 'false',
      m: 'false',
    };
    expectSuccess(
      await invoke(client, brokerAddr, RequestCode.SEND_MESSAGE_V2, fields, Buffer.from(body)),
      `send to ${topic}`,
    );
  }
}

/** Every message body of queue 0 of `topic`, read from offset 0 with PULL_MESSAGE. */
export async function pullAll(
  client: RemotingClient,
  brokerAddr: string,
  group: string,
  topic: string,
): Promise<string[]> {
  const bodies: string[] = [];
  let queueOffset = 0;
  for (let round = 0; round < PULL_ROUNDS_MAX; round++) {
    const fields = {
      consumerGroup: group,
      topic,
      queueId: '0',
      queueOffset: String(queueOffset),
      maxMsgNums: '32',
      sysFlag: String(SUBSCRIPTION_FLAG),
      commitOffset: '0',
      suspendTimeoutMillis: '0',
      subscription: '*',
      subVersion: '0',
      expressionType: 'TAG',
    };
    const response = await invoke(client, brokerAddr, RequestCode.PULL_MESSAGE, fields);
    if (response.code === ResponseCode.PULL_NOT_FOUND) return bodies; // the end of the queue
    expectSuccess(response, `pull ${topic} at ${queueOffset}`);
    const body = response.body ?? Buffer.alloc(0);
    for (let position = 0; position < body.length; ) {
      const { record, sizeBytes } = decodeMessageRecord(body, position);
      bodies.push(record.body.toString('utf8'));
      position += sizeBytes;
    }
    queueOffset = Number(response.extFields?.nextBeginOffset ?? queueOffset + 1);
  }
  throw new Error(`pull of ${topic} did not end in ${PULL_ROUNDS_MAX} rounds`);
}

/** Sends `bodies` to a new topic and reads them back; throws unless exactly they come out. */
export async function sendAndConsume(
  client: RemotingClient,
  namesrvAddr: string,
  brokerAddr: string,
  topic: string,
  bodies: string[],
): Promise<void> {
  await createRoutedTopic(client, namesrvAddr, brokerAddr, topic);
  await sendMessages(client, brokerAddr, topic, bodies);
  await expectMessages(client, brokerAddr, topic, bodies);
}

export async function expectMessages(
  client: RemotingClient,
  brokerAddr: string,
  topic: string,
  bodies: string[],
): Promise<void> {
  const consumed = await pullAll(client, brokerAddr, 'FuzzCheckConsumer', topic);
  if (JSON.stringify(consumed) !== JSON.stringify(bodies)) {
    throw new Error(
      `${topic}: consumed ${JSON.stringify(consumed).slice(0, 200)}, expected ${JSON.stringify(bodies).slice(0, 200)}`,
    );
  }
}
