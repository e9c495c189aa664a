// How the console reaches data it does not read from the managers directly: admin request codes
// answered in-process by this broker's own AdminBrokerProcessor (no socket, no ACL signature: the
// console checks its own login), and the remoting protocol to the NameServers and other brokers
// (the project's RemotingClient, as BrokerOuterAPI uses).
import { parseFastjson, type FastjsonValue } from '../codec/fastjson-parse';
import { createRequestCommand, type ExtFields, type RemotingCommand } from '../codec/remoting-command';
import { ResponseCode } from '../codec/response-code';
import type { BrokerContext } from '../broker/broker-context';
import { ACCESS_KEY, calSignature, combineRequestContent, SIGNATURE } from '../broker/acl/acl-signer';
import { nameServerAddresses } from '../broker/broker-outer-api';
import { AdminBrokerProcessor } from '../handlers/admin-broker-processor';
import type { Connection } from '../remoting/connection';
import { newOpaque } from '../remoting/connection';
import { RemotingClient } from '../remoting/remoting-client';

const REMOTE_TIMEOUT_MS = 3000;
/** Stands in for a socket: the in-process admin handlers the console calls only read its address. */
const CONSOLE_CONNECTION = { remoteAddress: 'console:0' } as unknown as Connection;

/** A failed call: the response code and remark, for the console's error answer. */
export class CallError extends Error {
  constructor(
    readonly responseCode: number,
    remark: string,
  ) {
    super(remark);
  }
}

export class ConsoleCalls {
  private readonly admin: AdminBrokerProcessor;
  private readonly client = new RemotingClient({ connectTimeoutMs: REMOTE_TIMEOUT_MS, idleTimeoutMs: 120_000 });

  constructor(private readonly broker: BrokerContext) {
    this.admin = new AdminBrokerProcessor(broker);
  }

  /** One admin code answered by this broker's own processor; throws CallError unless SUCCESS. */
  async local(code: number, extFields: ExtFields = {}, body?: Buffer): Promise<RemotingCommand> {
    const request = createRequestCommand(code, newOpaque(), { extFields, body });
    return expectSuccess(await this.admin.processRequest(CONSOLE_CONNECTION, request));
  }

  /**
   * One request to another server ("host:port"); throws CallError unless SUCCESS. With `account`
   * (the console user's, when ACL is on) it is signed as AclClientRPCHook signs, so brokers that run
   * with ACL answer it.
   */
  async remote(address: string, code: number, extFields: ExtFields = {}, account?: Account): Promise<RemotingCommand> {
    const fields = account === undefined ? extFields : signed(extFields, account);
    const request = createRequestCommand(code, newOpaque(), { extFields: fields });
    return expectSuccess(await this.client.invoke(address, request, REMOTE_TIMEOUT_MS));
  }

  /** The first NameServer of namesrvAddr that answers the request. */
  async nameServer(code: number, extFields: ExtFields = {}): Promise<RemotingCommand> {
    const addresses = nameServerAddresses(this.broker.brokerConfig.namesrvAddr);
    let last: Error = new Error('namesrvAddr is empty');
    for (const address of addresses) {
      try {
        return await this.remote(address, code, extFields);
      } catch (error) {
        last = error as Error;
      }
    }
    throw last;
  }

  shutdown(): void {
    this.client.shutdown();
  }
}

export interface Account {
  accessKey: string;
  secretKey: string;
}

function signed(extFields: ExtFields, account: Account): ExtFields {
  const fields: ExtFields = { ...extFields, [ACCESS_KEY]: account.accessKey };
  return { ...fields, [SIGNATURE]: calSignature(combineRequestContent(fields, undefined), account.secretKey) };
}

function expectSuccess(response: RemotingCommand): RemotingCommand {
  if (response.code !== ResponseCode.SUCCESS)
    throw new CallError(response.code, response.remark ?? `code ${response.code}`);
  return response;
}

/** A response body parsed in fastjson's dialect and turned into plain JSON (see `toPlain`). */
export function bodyToPlain(response: RemotingCommand): unknown {
  if (response.body === undefined || response.body.length === 0) return null;
  return toPlain(parseFastjson(response.body));
}

/**
 * JSON for the browser: a Map with string keys becomes an object; one with other keys (a
 * MessageQueue, a number) becomes a list of {key, value}.
 */
export function toPlain(value: FastjsonValue | undefined): unknown {
  if (value === undefined || value === null || typeof value !== 'object') return value ?? null;
  if (Array.isArray(value)) return value.map((each) => toPlain(each));
  if (value instanceof Map) {
    const entries = [...value.entries()];
    if (entries.every(([key]) => typeof key === 'string'))
      return Object.fromEntries(entries.map(([key, each]) => [key, toPlain(each)]));
    return entries.map(([key, each]) => ({ key: toPlain(key as FastjsonValue), value: toPlain(each) }));
  }
  return Object.fromEntries(Object.entries(value).map(([key, each]) => [key, toPlain(each)]));
}
