// The per-connection limits over real sockets (README "Limits"): serverMaxConnections on the
// NameServer and the broker, frameMaxLength (bytes held for an unfinished frame), and
// serverMaxPendingWriteBytes (a client that stops reading while pulling big messages). In each,
// the client past the limit is closed and everyone else keeps sending and consuming.
import { expect } from 'chai';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import winston from 'winston';
import { RequestCode } from '../../src/codec/request-code';
import { ResponseCode } from '../../src/codec/response-code';
import { createNamesrvConfig } from '../../src/namesrv/namesrv-config';
import { NamesrvController } from '../../src/namesrv/namesrv-controller';
import { createRequestCommand, encodeRemotingCommand } from '../../src/codec/remoting-command';
import { sleep, until } from './consumption-support';
import { Cluster, pullHeader, sendHeader } from './harness';
import { RawPeer, within } from './raw-peer';

describe('limits: connections per server', function () {
  this.timeout(20000);

  it('NameServer: serverMaxConnections=3 closes the 4th connection at once; the 3 keep answering, a freed slot is reused', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rmq-lim-'));
    const namesrv = new NamesrvController(
      createNamesrvConfig({
        listenPort: 0,
        serverMaxConnections: 3,
        kvConfigPath: path.join(home, 'kv.json'),
        configStorePath: path.join(home, 'ns.properties'),
      }),
      { logger: winston.createLogger({ silent: true }) },
    );
    await namesrv.start();
    const address = `127.0.0.1:${namesrv.port}`;
    const peers: RawPeer[] = [];
    try {
      for (let i = 0; i < 3; i++) peers.push(await RawPeer.connect(address));
      await until('3 connections accepted', () => namesrv.remotingServer.connections.size === 3);
      const fourth = await RawPeer.connect(address);
      peers.push(fourth);
      expect(await within(fourth.closed, 2000), 'the 4th connection is closed').to.equal(true);
      expect(namesrv.remotingServer.refusedConnections).to.equal(1);
      for (const peer of peers.slice(0, 3))
        expect((await peer.request(RequestCode.GET_BROKER_CLUSTER_INFO)).code).to.equal(ResponseCode.SUCCESS);
      peers[0].close();
      await until('the slot freed', () => namesrv.remotingServer.connections.size === 2);
      const again = await RawPeer.connect(address);
      peers.push(again);
      expect((await again.request(RequestCode.GET_BROKER_CLUSTER_INFO)).code).to.equal(ResponseCode.SUCCESS);
    } finally {
      for (const peer of peers) peer.close();
      await namesrv.shutdown();
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it('broker: serverMaxConnections=3 closes the 4th connection; the others keep sending', async () => {
    const cluster = new Cluster();
    await cluster.start({ serverMaxConnections: 3 });
    const peers: RawPeer[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const peer = await RawPeer.connect(cluster.brokerAddr);
        peers.push(peer);
        // answered: the broker has taken this one in (connection workers accept in parallel)
        expect((await peer.request(RequestCode.GET_BROKER_CONFIG)).code).to.equal(ResponseCode.SUCCESS);
      }
      const fourth = await RawPeer.connect(cluster.brokerAddr);
      peers.push(fourth);
      expect(await within(fourth.closed, 2000), 'the 4th connection is closed').to.equal(true);
      for (const peer of peers.slice(0, 3)) {
        expect(
          (await peer.request(RequestCode.SEND_MESSAGE_V2, sendHeader('LimitConn', 0), Buffer.from('x'))).code,
        ).to.equal(ResponseCode.SUCCESS);
      }
    } finally {
      for (const peer of peers) peer.close();
      await cluster.stop();
    }
  });
});

describe('limits: bytes held per connection', function () {
  this.timeout(60000);
  const cluster = new Cluster();
  const frameMaxLength = 64 * 1024;
  const pendingLimitBytes = 1024 * 1024;

  before(() =>
    cluster.start({
      frameMaxLength,
      serverMaxPendingWriteBytes: pendingLimitBytes,
      mappedFileSizeCommitLog: 32 * 1024 * 1024,
    }),
  );
  after(() => cluster.stop());

  // An unfinished frame under the limit is held and completes.
  it(`in: a frame announcing more than frameMaxLength closes that connection; one under it completes`, async () => {
    const big = await RawPeer.connect(cluster.brokerAddr);
    const prefix = Buffer.alloc(8);
    prefix.writeInt32BE(frameMaxLength); // + 4 for the prefix itself: one byte over
    big.write(prefix);
    expect(await within(big.closed, 2000), 'the oversized frame closes its connection').to.equal(true);
    const other = await RawPeer.connect(cluster.brokerAddr);
    const frame = encodeRemotingCommand(
      createRequestCommand(RequestCode.SEND_MESSAGE_V2, 4242, {
        extFields: sendHeader('LimitIn', 0),
        body: Buffer.alloc(frameMaxLength - 1024, 1),
      }),
    );
    const answered = other.answerTo(4242);
    other.write(frame.subarray(0, frame.length >> 1)); // unfinished: held, not refused
    await sleep(200);
    expect(other.isClosed).to.equal(false);
    other.write(frame.subarray(frame.length >> 1));
    expect((await answered).code, 'the frame under the limit is served once complete').to.equal(ResponseCode.SUCCESS);
    other.close();
  });

  // Another client keeps sending and consuming meanwhile.
  it('out: a client that stops reading pulled big messages is closed at serverMaxPendingWriteBytes', async () => {
    const topic = 'LimitOut';
    const bodyBytes = 60 * 1024;
    const messages = 300; // 18 MB: more than the kernel's socket buffers absorb
    for (let i = 0; i < messages; i++) {
      expect(
        (await cluster.toBroker(RequestCode.SEND_MESSAGE_V2, sendHeader(topic, 0), Buffer.alloc(bodyBytes, i % 256)))
          .code,
      ).to.equal(ResponseCode.SUCCESS);
    }
    const slow = await RawPeer.connect(cluster.brokerAddr);
    slow.socket.pause(); // never reads an answer (nor, then, the broker's FIN: the broker's side is watched)
    const slowAddress = `127.0.0.1:${slow.socket.localPort}`;
    const slowOpen = () =>
      [...cluster.broker.remotingServers[0].connections].some((connection) => connection.remoteAddress === slowAddress);
    await until('the broker to accept the slow connection', slowOpen);
    for (let offset = 0; offset < messages; offset++) {
      slow.fire(
        RequestCode.PULL_MESSAGE,
        pullHeader('slowGroup', topic, 0, offset, { maxMsgNums: '1', sysFlag: '4', suspendTimeoutMillis: '0' }),
      );
    }
    // Meanwhile another client sends and consumes.
    const other = await RawPeer.connect(cluster.brokerAddr);
    let exchanged = 0;
    for (let i = 0; i < 20 && (i < 3 || slowOpen()); i++) {
      expect(
        (await other.request(RequestCode.SEND_MESSAGE_V2, sendHeader(topic, 1), Buffer.from(`live-${i}`))).code,
      ).to.equal(ResponseCode.SUCCESS);
      const pulled = await other.request(
        RequestCode.PULL_MESSAGE,
        pullHeader('liveGroup', topic, 1, i, { maxMsgNums: '1', sysFlag: '4', suspendTimeoutMillis: '0' }),
      );
      expect(pulled.code).to.equal(ResponseCode.SUCCESS);
      exchanged++;
    }
    await until('the broker to close the connection that does not read', () => !slowOpen(), 10000);
    slow.close();
    const frameBytes = bodyBytes + 4096; // one pull answer: a record and its header
    const peakBytes = Math.max(...cluster.broker.remotingServers.map((server) => server.peakPendingWriteBytes));
    expect(peakBytes, 'the slow connection pressed the limit').to.be.greaterThan(pendingLimitBytes / 2);
    expect(peakBytes, 'and never held more than the limit and one answer').to.be.at.most(
      pendingLimitBytes + frameBytes,
    );
    expect(exchanged).to.be.greaterThan(0);
    const after = await other.request(
      RequestCode.PULL_MESSAGE,
      pullHeader('liveGroup', topic, 1, exchanged, { maxMsgNums: '1', sysFlag: '4', suspendTimeoutMillis: '0' }),
    );
    expect(after.code, 'the other client still consumes').to.be.oneOf([
      ResponseCode.SUCCESS,
      ResponseCode.PULL_NOT_FOUND,
    ]);
    other.close();
  });
});
