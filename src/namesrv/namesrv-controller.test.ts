import { expect } from 'chai';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { encodeGetRouteInfoRequestHeader } from '../codec/headers/namesrv/get-route-info-request-header';
import { FrameDecoder } from '../codec/frame-decoder';
import {
  createRequestCommand,
  decodeRemotingCommand,
  type RemotingCommand,
  SerializeType,
} from '../codec/remoting-command';
import { RequestCode } from '../codec/request-code';
import { ResponseCode } from '../codec/response-code';
import { newOpaque } from '../remoting/connection';
import { eventually, startTestNamesrv, TestBroker, type TestNamesrv, topicConfig } from './namesrv-test-support';

const FRAMES_DIR = path.resolve(__dirname, '../../../src/codec/fixtures/frames');

/** The route §3.14 verified for a master + slave, with the filterServerTable a live name server writes. */
const VERIFIED_ROUTE =
  '{"brokerDatas":[{"brokerAddrs":{0:"127.0.0.1:10911",1:"127.0.0.1:10921"},"brokerName":"broker-a","cluster":"DefaultCluster"}],' +
  '"filterServerTable":{},' +
  '"queueDatas":[{"brokerName":"broker-a","perm":6,"readQueueNums":4,"topicSynFlag":0,"writeQueueNums":4}]}';

function route(namesrv: TestNamesrv, topic: string, serializeType?: SerializeType): Promise<RemotingCommand> {
  return namesrv.request(
    RequestCode.GET_ROUTEINFO_BY_TOPIC,
    encodeGetRouteInfoRequestHeader({ topic }),
    undefined,
    serializeType,
  );
}

/** Sends raw frame bytes on a fresh socket and resolves with the first response and the socket. */
function sendRawFrame(address: string, frame: Buffer): Promise<{ response: RemotingCommand; socket: net.Socket }> {
  const [host, port] = address.split(':');
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port: Number(port) }, () => socket.write(frame));
    const decoder = new FrameDecoder();
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      const frames = decoder.push(chunk);
      if (frames.length > 0) resolve({ response: decodeRemotingCommand(frames[0]), socket });
    });
  });
}

describe('NamesrvController over real sockets', () => {
  let namesrv: TestNamesrv;
  const brokers: TestBroker[] = [];

  function broker(spec: ConstructorParameters<typeof TestBroker>[1] = {}): TestBroker {
    const created = new TestBroker(namesrv.address, spec);
    brokers.push(created);
    return created;
  }

  beforeEach(async () => {
    namesrv = await startTestNamesrv();
  });

  afterEach(async () => {
    for (const created of brokers.splice(0)) created.close();
    await namesrv.stop();
  });

  it('accepts the literal Java REGISTER_BROKER frame and answers a master with an empty extFields map', async () => {
    const frame = Buffer.from(
      fs.readFileSync(path.join(FRAMES_DIR, 'register_broker_request.json.hex'), 'utf8').trim(),
      'hex',
    );
    const { response, socket } = await sendRawFrame(namesrv.address, frame);
    try {
      expect(response).to.include({ code: ResponseCode.SUCCESS, opaque: 104, flag: 1 });
      expect(response.extFields).to.deep.equal({});
      expect(response.body).to.equal(undefined);
      const topics = JSON.parse(
        (await namesrv.request(RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER)).body!.toString(),
      );
      expect(topics.topicList).to.have.members(['%RETRY%cg', 'T', 'TBW102']);
    } finally {
      socket.destroy();
    }
  });

  it('registers a master and a slave and serves the verified route body byte for byte', async () => {
    expect((await broker().register()).code).to.equal(ResponseCode.SUCCESS);
    const slave = await broker({ brokerId: 1, brokerAddr: '127.0.0.1:10921', topics: [] }).register();
    expect(slave.extFields).to.deep.equal({ haServerAddr: '127.0.0.1:10912', masterAddr: '127.0.0.1:10911' });
    for (const serializeType of [SerializeType.JSON, SerializeType.ROCKETMQ]) {
      const response = await route(namesrv, 'T', serializeType);
      expect(response).to.include({ code: ResponseCode.SUCCESS, serializeType });
      expect(response.body!.toString()).to.equal(VERIFIED_ROUTE);
    }
  });

  it('answers an unknown topic with TOPIC_NOT_EXIST and Java remark', async () => {
    const response = await route(namesrv, 'nope');
    expect(response.code).to.equal(ResponseCode.TOPIC_NOT_EXIST);
    expect(response.remark).to.equal(
      'No topic route info in name server for the topic: nope\nSee http://rocketmq.apache.org/docs/faq/ for further details.',
    );
  });

  it('answers cluster info', async () => {
    await broker().register();
    await broker({ brokerId: 1, brokerAddr: '127.0.0.1:10921' }).register();
    const response = await namesrv.request(RequestCode.GET_BROKER_CLUSTER_INFO);
    expect(response.body!.toString()).to.equal(
      '{"brokerAddrTable":{"broker-a":{"brokerAddrs":{0:"127.0.0.1:10911",1:"127.0.0.1:10921"},"brokerName":"broker-a",' +
        '"cluster":"DefaultCluster"}},"clusterAddrTable":{"DefaultCluster":["broker-a"]}}',
    );
  });

  it('registers from a compressed body', async () => {
    const response = await broker({ compressed: true, topics: [topicConfig('Z', 2, 6)] }).register();
    expect(response.code).to.equal(ResponseCode.SUCCESS);
    const body = (await route(namesrv, 'Z')).body!.toString();
    expect(body).to.contain(
      '"queueDatas":[{"brokerName":"broker-a","perm":6,"readQueueNums":2,"topicSynFlag":0,"writeQueueNums":2}]',
    );
  });

  it('rejects a body whose CRC32 does not match', async () => {
    const request = broker().registerRequest();
    request.extFields!.bodyCrc32 = String((Number(request.extFields!.bodyCrc32) + 1) & 0x7fffffff);
    const response = await brokers[0].register(request);
    expect(response).to.include({ code: ResponseCode.SYSTEM_ERROR, remark: 'crc32 not match' });
    expect((await route(namesrv, 'T')).code).to.equal(ResponseCode.TOPIC_NOT_EXIST);
  });

  it('takes a body-less register as DataVersion 0/0 without topics', async () => {
    const request = broker().registerRequest();
    request.body = undefined;
    request.extFields!.bodyCrc32 = '0';
    expect((await brokers[0].register(request)).code).to.equal(ResponseCode.SUCCESS);
    expect(namesrv.controller.routeInfoManager.queryBrokerTopicConfig('127.0.0.1:10911')).to.deep.equal({
      timestamp: 0,
      counter: 0,
    });
    expect(namesrv.controller.routeInfoManager.topicQueueTable.size).to.equal(0);
  });

  it('answers a missing required header field with SYSTEM_ERROR naming the field', async () => {
    const request = broker().registerRequest();
    delete request.extFields!.brokerName;
    const response = await brokers[0].register(request);
    expect(response.code).to.equal(ResponseCode.SYSTEM_ERROR);
    expect(response.remark).to.contain('brokerName');
    expect((await namesrv.request(RequestCode.GET_ROUTEINFO_BY_TOPIC, {})).remark).to.contain('topic');
  });

  it('answers codes it does not serve with REQUEST_CODE_NOT_SUPPORTED', async () => {
    for (const code of [RequestCode.SEND_MESSAGE_V2, RequestCode.HEART_BEAT, 9999]) {
      const response = await namesrv.request(code);
      expect(response.code).to.equal(ResponseCode.REQUEST_CODE_NOT_SUPPORTED);
    }
  });

  it('drops a broker at once when its registering connection closes', async () => {
    const master = broker();
    await master.register();
    const other = broker({ brokerName: 'broker-b', brokerAddr: '127.0.0.1:10931' });
    await other.register();
    master.close();
    await eventually(() => !namesrv.controller.routeInfoManager.brokerLiveTable.has('127.0.0.1:10911'));
    const body = JSON.parse((await route(namesrv, 'T')).body!.toString().replace(/\{(\d+):/g, '{"$1":'));
    expect(body.brokerDatas.map((data: { brokerName: string }) => data.brokerName)).to.deep.equal(['broker-b']);
  });

  it('unregisters a broker', async () => {
    await broker().register();
    const extFields = {
      brokerName: 'broker-a',
      brokerAddr: '127.0.0.1:10911',
      clusterName: 'DefaultCluster',
      brokerId: '0',
    };
    expect((await namesrv.request(RequestCode.UNREGISTER_BROKER, extFields)).code).to.equal(ResponseCode.SUCCESS);
    expect((await route(namesrv, 'T')).code).to.equal(ResponseCode.TOPIC_NOT_EXIST);
  });
});

describe('NamesrvController broker expiry', () => {
  let namesrv: TestNamesrv;

  beforeEach(async () => {
    // Expiry long enough that a busy CI machine does not expire a broker re-registering every 100 ms.
    namesrv = await startTestNamesrv({}, { scanFirstDelayMs: 20, scanIntervalMs: 20, brokerChannelExpiredTimeMs: 600 });
  });

  afterEach(() => namesrv.stop());

  it('drops a broker that stops registering and closes its connection', async () => {
    const stale = new TestBroker(namesrv.address);
    try {
      await stale.register();
      const connection = await stale.client.connection(namesrv.address);
      expect((await namesrv.request(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: 'T' })).code).to.equal(
        ResponseCode.SUCCESS,
      );
      await eventually(() => connection.isClosed, 5000);
      const response = await namesrv.request(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: 'T' });
      expect(response.code).to.equal(ResponseCode.TOPIC_NOT_EXIST);
    } finally {
      stale.close();
    }
  });

  it('keeps a broker that re-registers in time', async () => {
    const live = new TestBroker(namesrv.address);
    try {
      // 1.5 s in all: well past the 600 ms expiry, so only the re-registrations keep it.
      for (let i = 0; i < 15; i++) {
        await live.register();
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect((await namesrv.request(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: 'T' })).code).to.equal(
        ResponseCode.SUCCESS,
      );
    } finally {
      live.close();
    }
  });

  it('shuts down without leaving timers or sockets behind', async () => {
    await namesrv.controller.shutdown();
    await namesrv.controller.shutdown();
    const request = createRequestCommand(RequestCode.GET_ROUTEINFO_BY_TOPIC, newOpaque(), {
      extFields: { topic: 'T' },
    });
    let failed = false;
    await namesrv.client.invoke(namesrv.address, request, 500).catch(() => (failed = true));
    expect(failed).to.equal(true);
  });
});
