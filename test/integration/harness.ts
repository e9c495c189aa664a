// Starts a NameServer and a broker in this process on free loopback ports with a temporary store,
// and gives tests a RemotingClient to speak to them as a Java client would.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import winston from 'winston';
import { defaultBrokerConfig } from '../../src/broker/broker-config';
import { BrokerController } from '../../src/broker/broker-controller';
import { createRequestCommand, type ExtFields, type RemotingCommand } from '../../src/codec/remoting-command';
import { createNamesrvConfig } from '../../src/namesrv/namesrv-config';
import { NamesrvController } from '../../src/namesrv/namesrv-controller';
import { newOpaque } from '../../src/remoting/connection';
import { RemotingClient } from '../../src/remoting/remoting-client';
import { defaultMessageStoreConfig } from '../../src/store/message-store-config';

process.env.ROCKETMQ_LOG_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'rmq-logs-'));

export class Cluster {
  namesrv!: NamesrvController;
  broker!: BrokerController;
  readonly client = new RemotingClient();
  readonly home = fs.mkdtempSync(path.join(os.tmpdir(), 'rmq-it-'));

  get namesrvAddr(): string {
    return `127.0.0.1:${this.namesrv.port}`;
  }

  get brokerAddr(): string {
    return `127.0.0.1:${this.broker.listenPort}`;
  }

  async start(brokerOverrides: Record<string, unknown> = {}): Promise<void> {
    this.namesrv = new NamesrvController(
      createNamesrvConfig({
        listenPort: 0,
        kvConfigPath: path.join(this.home, 'namesrv', 'kvConfig.json'),
        configStorePath: path.join(this.home, 'namesrv', 'namesrv.properties'),
      }),
      { logger: winston.createLogger({ silent: true }) },
    );
    await this.namesrv.start();
    await this.startBroker(brokerOverrides);
  }

  async startBroker(overrides: Record<string, unknown> = {}): Promise<void> {
    this.broker = await this.newBroker(this.home, overrides);
  }

  /**
   * Another broker on this NameServer with its own store under `home` (a slave: pass brokerId,
   * brokerRole and haMasterAddress as overrides). Its HA port, like every one here, is a free one.
   */
  async newBroker(home: string, overrides: Record<string, unknown> = {}): Promise<BrokerController> {
    const brokerConfig = { ...defaultBrokerConfig(), listenPort: 0, namesrvAddr: this.namesrvAddr, ...overrides };
    const storeConfig = {
      ...defaultMessageStoreConfig(home),
      mappedFileSizeCommitLog: 1024 * 1024,
      haListenPort: 0,
      ...overrides,
    };
    const broker = new BrokerController(brokerConfig, storeConfig);
    await broker.start();
    return broker;
  }

  async restartBroker(): Promise<void> {
    const port = this.broker.listenPort;
    await this.broker.shutdown();
    this.client.close(this.brokerAddr);
    await this.startBroker({ listenPort: port });
  }

  async stop(): Promise<void> {
    this.client.shutdown();
    await this.broker?.shutdown();
    await this.namesrv?.shutdown();
    fs.rmSync(this.home, { recursive: true, force: true });
  }

  request(
    address: string,
    code: number,
    extFields?: ExtFields,
    body?: Buffer,
    timeoutMs = 5000,
  ): Promise<RemotingCommand> {
    return this.client.invoke(address, createRequestCommand(code, newOpaque(), { extFields, body }), timeoutMs);
  }

  toBroker(code: number, extFields?: ExtFields, body?: Buffer, timeoutMs = 5000): Promise<RemotingCommand> {
    return this.request(this.brokerAddr, code, extFields, body, timeoutMs);
  }
}

/** SEND_MESSAGE_V2 header fields for a plain message. */
export function sendHeader(
  topic: string,
  queueId: number,
  properties = 'TAGS\u0001TagA\u0002WAIT\u0001true\u0002',
): ExtFields {
  return {
    a: 'pg',
    b: topic,
    c: 'TBW102',
    d: '4',
    e: String(queueId),
    f: '0',
    g: String(Date.now()),
    h: '0',
    i: properties,
    j: '0',
    k: 'false',
    m: 'false',
  };
}

export function pullHeader(
  group: string,
  topic: string,
  queueId: number,
  queueOffset: number,
  extra: Partial<Record<string, string>> = {},
): ExtFields {
  return {
    consumerGroup: group,
    topic,
    queueId: String(queueId),
    queueOffset: String(queueOffset),
    maxMsgNums: '32',
    sysFlag: String(0x2 | 0x4),
    commitOffset: '0',
    suspendTimeoutMillis: '15000',
    subscription: '*',
    subVersion: '0',
    expressionType: 'TAG',
    ...extra,
  } as ExtFields;
}
