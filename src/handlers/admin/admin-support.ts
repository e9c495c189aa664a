// Shared pieces of the admin handlers: how they claim codes on AdminBrokerProcessor, their
// response helpers, and the MessageQueue bean they key bodies with.
//
// A MessageQueue written as a plain object is a Java bean ({"brokerName","queueId","topic"});
// used as a Map key it is written as an object key, as fastjson writes Map<MessageQueue,…>:
//   {"offsetTable":{{"brokerName":"broker-a","queueId":0,"topic":"T"}:{…}}}
import { encodeFastjsonBody } from '../../codec/fastjson-write';
import { createResponseCommand, type RemotingCommand } from '../../codec/remoting-command';
import { ResponseCode } from '../../codec/response-code';
import type { Connection } from '../../remoting/connection';

export type AdminHandler = (
  request: RemotingCommand,
  connection: Connection,
) => RemotingCommand | Promise<RemotingCommand>;

export interface AdminRegistry {
  register(code: number, handler: AdminHandler): void;
}

export interface MessageQueueBean {
  brokerName: string;
  queueId: number;
  topic: string;
}

export function messageQueueBean(topic: string, brokerName: string, queueId: number): MessageQueueBean {
  return { brokerName, queueId, topic };
}

/** SUCCESS, with `body` (a bean or Map written in fastjson's dialect) when given. */
export function success(request: RemotingCommand, body?: unknown): RemotingCommand {
  return createResponseCommand(request, ResponseCode.SUCCESS, {
    body: body === undefined ? undefined : encodeFastjsonBody(body),
  });
}

export function failure(request: RemotingCommand, code: number, remark: string): RemotingCommand {
  return createResponseCommand(request, code, { remark });
}
