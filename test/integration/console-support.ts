// Data for the web console tests: a topic with a known number of messages per queue, a group
// with a known lag and a live (fake) member that answers running-info requests, and one message
// in the group's DLQ. Also the console's HTTP calls from Node and a free port.
import { expect } from 'chai';
import net from 'node:net';
import { decodeMessageId } from '../../src/codec/message/message-id';
import { createResponseCommand } from '../../src/codec/remoting-command';
import { RequestCode } from '../../src/codec/request-code';
import { ResponseCode } from '../../src/codec/response-code';
import { newUniqKey } from '../../src/console/console-send';
import { FakeConsumer } from './consumption-support';
import { type Cluster, sendHeader } from './harness';

export const TOPIC = 'ConsoleTopic';
export const GROUP = 'ConsoleGroup';
/** Messages stored per queue of TOPIC, and the group's committed offsets: lag 3+2+2+1 = 8. */
export const MESSAGES_PER_QUEUE = [4, 3, 2, 1];
export const COMMITTED = [1, 1, 0, 0];
export const LAG = 8;
export const RUNNING_INFO_MARK = 'console-running-info-mark';

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function ok(response: Promise<{ code: number; remark?: string }>): Promise<void> {
  const answer = await response;
  expect(answer.code, answer.remark).to.equal(ResponseCode.SUCCESS);
}

/** Seeds the data; returns the live member (close it after) and the DLQ message's original msgId. */
export async function seedConsoleData(
  cluster: Cluster,
): Promise<{ member: FakeConsumer; dlqOriginMsgId: string; uniqKeys: string[] }> {
  const uniqKeys: string[] = [];
  const create = {
    topic: TOPIC,
    defaultTopic: 'TBW102',
    readQueueNums: '4',
    writeQueueNums: '4',
    perm: '6',
    topicFilterType: 'SINGLE_TAG',
    order: 'false',
  };
  await ok(cluster.toBroker(RequestCode.UPDATE_AND_CREATE_TOPIC, create));
  await ok(
    cluster.toBroker(
      RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP,
      undefined,
      Buffer.from(JSON.stringify({ groupName: GROUP })),
    ),
  );
  let n = 0;
  let firstMsgId = '';
  for (const [queueId, count] of MESSAGES_PER_QUEUE.entries()) {
    for (let i = 0; i < count; i++, n++) {
      uniqKeys.push(newUniqKey(Buffer.from([127, 0, 0, 1])));
      const properties = `TAGS\u0001TagA\u0002KEYS\u0001key-${n}\u0002WAIT\u0001true\u0002UNIQ_KEY\u0001${uniqKeys[n]}\u0002`;
      const sent = await cluster.toBroker(
        RequestCode.SEND_MESSAGE_V2,
        sendHeader(TOPIC, queueId, properties),
        Buffer.from(JSON.stringify({ order: n, item: `item-${n}` })),
      );
      expect(sent.code, sent.remark).to.equal(ResponseCode.SUCCESS);
      if (n === 0) firstMsgId = sent.extFields!.msgId;
    }
  }
  for (const [queueId, commitOffset] of COMMITTED.entries()) {
    await ok(
      cluster.toBroker(RequestCode.UPDATE_CONSUMER_OFFSET, {
        consumerGroup: GROUP,
        topic: TOPIC,
        queueId: String(queueId),
        commitOffset: String(commitOffset),
      }),
    );
  }
  const physicalOffset = decodeMessageId(firstMsgId)!.physicalOffset;
  const back = {
    offset: String(physicalOffset),
    group: GROUP,
    delayLevel: '-1',
    originMsgId: firstMsgId,
    originTopic: TOPIC,
    maxReconsumeTimes: '16',
  };
  await ok(cluster.toBroker(RequestCode.CONSUMER_SEND_MSG_BACK, back));
  const member = new FakeConsumer('127.0.0.1@console-member', cluster.brokerAddr);
  member.answers.set(RequestCode.GET_CONSUMER_RUNNING_INFO, (request) => {
    const info = {
      properties: { PROP_CONSUME_TYPE: 'CONSUME_PASSIVELY', mark: RUNNING_INFO_MARK },
      subscriptionSet: [{ topic: TOPIC, subString: '*' }],
      mqTable: {},
      statusTable: {},
    };
    return createResponseCommand(request, ResponseCode.SUCCESS, { body: Buffer.from(JSON.stringify(info)) });
  });
  await ok(member.heartbeat(GROUP, [{ topic: TOPIC }]));
  return { member, dlqOriginMsgId: firstMsgId, uniqKeys };
}

/** One console API call from Node; returns the status and the parsed answer. */
export async function consoleCall(
  baseUrl: string,
  path: string,
  body?: unknown,
  cookie?: string,
): Promise<{ status: number; json: Record<string, unknown>; setCookie: string | null }> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (cookie !== undefined) headers.Cookie = cookie;
  const response = await fetch(baseUrl + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: response.status,
    json: (await response.json()) as Record<string, unknown>,
    setCookie: response.headers.get('set-cookie'),
  };
}
