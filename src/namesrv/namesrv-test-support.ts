// Test support for name server tests over real sockets: a controller on an ephemeral port with
// its files in a temp dir, and a "broker" that registers through its own connection.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import winston from 'winston';
import { encodeRegisterBrokerRequestHeader } from '../codec/headers/namesrv/register-broker-request-header';
import { messageBodyCrc } from '../codec/message/body-crc';
import {
  createRequestCommand,
  type ExtFields,
  type RemotingCommand,
  type SerializeType,
} from '../codec/remoting-command';
import { RequestCode } from '../codec/request-code';
import { newOpaque } from '../remoting/connection';
import { RemotingClient } from '../remoting/remoting-client';
import { createNamesrvConfig, type NamesrvConfig } from './namesrv-config';
import { NamesrvController, type NamesrvControllerOptions } from './namesrv-controller';
import { encodeRegisterBrokerBody, type TopicConfig } from '../codec/body/register-broker-body';

export const silentLogger = winston.createLogger({ silent: true });

export interface TestNamesrv {
  controller: NamesrvController;
  address: string;
  dir: string;
  client: RemotingClient;
  request(code: number, extFields?: ExtFields, body?: Buffer, serializeType?: SerializeType): Promise<RemotingCommand>;
  stop(): Promise<void>;
}

export async function startTestNamesrv(
  overrides: Partial<NamesrvConfig> = {},
  options: NamesrvControllerOptions = {},
): Promise<TestNamesrv> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'namesrv-'));
  const config = createNamesrvConfig({
    listenPort: 0,
    kvConfigPath: path.join(dir, 'kvConfig.json'),
    configStorePath: path.join(dir, 'namesrv.properties'),
    ...overrides,
  });
  const controller = new NamesrvController(config, { logger: silentLogger, ...options });
  await controller.start();
  const address = `127.0.0.1:${controller.port}`;
  const client = new RemotingClient();
  return {
    controller,
    address,
    dir,
    client,
    request: (code, extFields, body, serializeType) =>
      client.invoke(address, createRequestCommand(code, newOpaque(), { extFields, body, serializeType }), 3000),
    async stop() {
      client.shutdown();
      await controller.shutdown();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function topicConfig(topicName: string, queueNums = 4, perm = 6): TopicConfig {
  return {
    topicName,
    readQueueNums: queueNums,
    writeQueueNums: queueNums,
    perm,
    topicFilterType: 'SINGLE_TAG',
    topicSysFlag: 0,
    order: false,
  };
}

export interface TestBrokerSpec {
  brokerName?: string;
  brokerId?: number;
  brokerAddr?: string;
  clusterName?: string;
  topics?: TopicConfig[];
  counter?: number;
  compressed?: boolean;
}

/** A broker with its own connection (closing it is what the name server sees when a broker dies). */
export class TestBroker {
  readonly client = new RemotingClient();

  constructor(
    private readonly namesrvAddress: string,
    readonly spec: TestBrokerSpec = {},
  ) {}

  get brokerAddr(): string {
    return this.spec.brokerAddr ?? '127.0.0.1:10911';
  }

  registerRequest(counter = this.spec.counter ?? 1): RemotingCommand {
    const compressed = this.spec.compressed === true;
    const body = encodeRegisterBrokerBody(
      {
        topicConfigSerializeWrapper: {
          dataVersion: { counter, timestamp: 1600000000000 },
          topicConfigTable: new Map(
            (this.spec.topics ?? [topicConfig('T')]).map((config) => [config.topicName, config]),
          ),
        },
        filterServerList: [],
      },
      compressed,
    );
    const [host, port] = this.brokerAddr.split(':');
    const extFields = encodeRegisterBrokerRequestHeader({
      brokerName: this.spec.brokerName ?? 'broker-a',
      brokerAddr: this.brokerAddr,
      clusterName: this.spec.clusterName ?? 'DefaultCluster',
      haServerAddr: `${host}:${Number(port) + 1}`,
      brokerId: this.spec.brokerId ?? 0,
      compressed,
      bodyCrc32: messageBodyCrc(body),
    });
    return createRequestCommand(RequestCode.REGISTER_BROKER, newOpaque(), { extFields, body });
  }

  register(request: RemotingCommand = this.registerRequest()): Promise<RemotingCommand> {
    return this.client.invoke(this.namesrvAddress, request, 3000);
  }

  close(): void {
    this.client.shutdown();
  }
}

/** Polls `condition` every 20 ms until it holds or `timeoutMs` passes. */
export async function eventually(condition: () => Promise<boolean> | boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
