// Client connections for the load test: our own Connection over a raw socket to 127.0.0.1, and
// the bodies a 4.7.1 client sends (heartbeat, send header); the consumers are lean (load-consumer.ts).
import net from 'node:net';
import { createRequestCommand, type ExtFields, type RemotingCommand } from '../../src/codec/remoting-command';
import { Connection, newOpaque } from '../../src/remoting/connection';

export const LOAD_TOPIC = 'LoadTopic';
export const LOAD_QUEUES = 8;
/** The client's RPC timeout (DefaultMQProducer.sendMsgTimeout). */
export const RPC_TIMEOUT_MS = 3000;

export function connect(port: number): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve(new Connection(socket, undefined, { idleTimeoutMs: 600_000 }));
    });
    socket.once('error', reject);
  });
}

export function call(
  connection: Connection,
  code: number,
  extFields?: ExtFields,
  body?: Buffer,
  timeoutMs = RPC_TIMEOUT_MS,
): Promise<RemotingCommand> {
  return connection.invoke(createRequestCommand(code, newOpaque(), { extFields, body }), timeoutMs);
}

export function groupName(index: number): string {
  return `LoadGroup_${index}`;
}

/** HeartbeatData of one client: a producer group and one consumer group subscribed to the topic. */
export function heartbeatBody(clientID: string, group: string): Buffer {
  const subscription = {
    classFilterMode: false,
    codeSet: [],
    expressionType: 'TAG',
    subString: '*',
    subVersion: Date.now(),
    tagsSet: [],
    topic: LOAD_TOPIC,
  };
  const consumer = {
    consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
    consumeType: 'CONSUME_PASSIVELY',
    groupName: group,
    messageModel: 'CLUSTERING',
    subscriptionDataSet: [subscription],
    unitMode: false,
  };
  return Buffer.from(
    JSON.stringify({ clientID, consumerDataSet: [consumer], producerDataSet: [{ groupName: 'LoadProducerGroup' }] }),
  );
}

export function sendHeader(queueId: number): ExtFields {
  return {
    a: 'LoadProducerGroup',
    b: LOAD_TOPIC,
    c: 'TBW102',
    d: String(LOAD_QUEUES),
    e: String(queueId),
    f: '0',
    g: String(Date.now()),
    h: '0',
    i: 'WAIT\u0001true\u0002',
    j: '0',
    k: 'false',
    m: 'false',
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
