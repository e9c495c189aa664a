// Test clients for the consumption tests: a fake consumer that heartbeats like the 4.7.1 client
// and records (and, for sync codes, answers) the requests the broker sends it.
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

export interface SubscriptionInit {
  topic: string;
  subString?: string;
  expressionType?: string;
  subVersion?: number;
}

export type Answer = (request: RemotingCommand) => RemotingCommand | undefined | Promise<RemotingCommand | undefined>;

export function heartbeatBody(
  clientID: string,
  group: string,
  subscriptions: SubscriptionInit[],
  messageModel = 'CLUSTERING',
): Buffer {
  const subscriptionDataSet = subscriptions.map((sub) => {
    const subString = sub.subString ?? '*';
    const tags =
      (sub.expressionType ?? 'TAG') === 'TAG' && subString !== '*'
        ? subString.split('||').map((tag) => tag.trim())
        : [];
    return {
      classFilterMode: false,
      codeSet: [],
      expressionType: sub.expressionType ?? 'TAG',
      subString,
      subVersion: sub.subVersion ?? 1,
      tagsSet: tags,
      topic: sub.topic,
    };
  });
  const consumer = {
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    consumeType: 'CONSUME_PASSIVELY',
    groupName: group,
    messageModel,
    subscriptionDataSet,
    unitMode: false,
  };
  return Buffer.from(JSON.stringify({ clientID, consumerDataSet: [consumer], producerDataSet: [] }));
}

export class FakeConsumer {
  readonly received: RemotingCommand[] = [];
  readonly answers = new Map<number, Answer>();
  private readonly client: RemotingClient;

  constructor(
    readonly clientId: string,
    private readonly brokerAddr: string,
  ) {
    this.client = new RemotingClient(undefined, (connection, request) => this.onRequest(connection, request));
  }

  private async onRequest(connection: Connection, request: RemotingCommand): Promise<void> {
    this.received.push(request);
    const answer = this.answers.get(request.code);
    if (answer === undefined) return;
    const response = await answer(request);
    if (response === undefined) return;
    response.opaque = request.opaque;
    connection.send(response);
  }

  call(code: number, extFields?: ExtFields, body?: Buffer): Promise<RemotingCommand> {
    return this.client.invoke(this.brokerAddr, createRequestCommand(code, newOpaque(), { extFields, body }), 5000);
  }

  heartbeat(group: string, subscriptions: SubscriptionInit[], messageModel?: string): Promise<RemotingCommand> {
    return this.call(
      RequestCode.HEART_BEAT,
      undefined,
      heartbeatBody(this.clientId, group, subscriptions, messageModel),
    );
  }

  ofCode(code: number): RemotingCommand[] {
    return this.received.filter((request) => request.code === code);
  }

  close(): void {
    this.client.shutdown();
  }
}

export function ok(request: RemotingCommand, body?: Buffer): RemotingCommand {
  return createResponseCommand(request, ResponseCode.SUCCESS, { body });
}

/** Waits until `condition` holds, checking every 10 ms, or fails after `timeoutMs`. */
export async function until(what: string, condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
