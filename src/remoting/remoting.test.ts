import { expect } from 'chai';
import net from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import winston from 'winston';
import { FrameDecoder } from '../codec/frame-decoder';
import {
  createRequestCommand,
  createResponseCommand,
  decodeRemotingCommand,
  encodeRemotingCommand,
  type RemotingCommand,
  RPC_ONEWAY,
  SerializeType,
} from '../codec/remoting-command';
import { pullBodyRing } from '../common/body-ring';
import { newOpaque } from './connection';
import { RemotingClient } from './remoting-client';
import { REJECT_REQUEST_REMARK, RemotingServer } from './remoting-server';

const silent = winston.createLogger({ silent: true });

describe('RemotingServer and RemotingClient over real sockets', () => {
  let server: RemotingServer;
  let client: RemotingClient;
  let address: string;
  let releaseHeld: (() => void) | undefined;
  const onewaySeen: number[] = [];
  let busy = false;
  const busySeen: number[] = [];

  before(async () => {
    server = new RemotingServer({ listenPort: 0, bindAddress: '127.0.0.1', idleTimeoutMs: 120_000 }, silent);
    server.registerProcessor(1, {
      processRequest: (_c, r) => createResponseCommand(r, 0, { remark: 'echo', body: r.body, extFields: r.extFields }),
    });
    server.registerProcessor(2, {
      processRequest: (_c, r) =>
        new Promise<RemotingCommand>(
          (resolve) => (releaseHeld = () => resolve(createResponseCommand(r, 0, { remark: 'held' }))),
        ),
    });
    server.registerProcessor(3, {
      processRequest: () => {
        throw new Error('boom');
      },
    });
    server.registerProcessor(4, {
      processRequest: (_c, r) => {
        onewaySeen.push(r.opaque);
        return createResponseCommand(r, 0);
      },
    });
    server.registerProcessor(5, {
      processRequest: (_c, r) => {
        busySeen.push(r.opaque);
        return createResponseCommand(r, 0);
      },
      rejectRequest: () => busy,
    });
    // a pull-like answer whose body is ring memory: taken now, or (a bug) in an earlier turn
    server.registerProcessor(6, {
      processRequest: async (_c, r) => {
        const early = r.extFields?.early === '1';
        const body = pullBodyRing.take(4096)!.fill(0x5a);
        if (early) await nextTurn(); // its lease has ended
        return createResponseCommand(r, 0, { body });
      },
    });
    await server.start();
    address = `127.0.0.1:${server.port}`;
    client = new RemotingClient();
  });

  after(async () => {
    client.shutdown();
    await server.shutdown();
  });

  it('answers a request with the same opaque, in both serialize types', async () => {
    for (const serializeType of [SerializeType.JSON, SerializeType.ROCKETMQ]) {
      const request = createRequestCommand(1, newOpaque(), {
        serializeType,
        extFields: { k: 'v' },
        body: Buffer.from('abc'),
      });
      const response = await client.invoke(address, request, 3000);
      expect(response).to.include({ opaque: request.opaque, code: 0, remark: 'echo', serializeType });
      expect(response.extFields).to.deep.equal({ k: 'v' });
      expect(response.body?.toString()).to.equal('abc');
    }
  });

  it('answers a refusing rpc hook SYSTEM_ERROR with its remark, before the processor and after the reject check', async () => {
    const hooked = new RemotingServer({ listenPort: 0, bindAddress: '127.0.0.1', idleTimeoutMs: 120_000 }, silent);
    const processed: number[] = [];
    let rejecting = false;
    hooked.registerProcessor(1, {
      processRequest: (_c, r) => {
        processed.push(r.opaque);
        return createResponseCommand(r, 0);
      },
      rejectRequest: () => rejecting,
    });
    hooked.registerRpcHook((remoteAddress, r) => {
      expect(remoteAddress).to.match(/^127\.0\.0\.1:\d+$/);
      if (r.extFields?.deny !== undefined)
        throw Object.assign(new Error('plain message'), { remark: 'AclException: refused, frame' });
    });
    await hooked.start();
    try {
      const to = `127.0.0.1:${hooked.port}`;
      const refused = await client.invoke(to, createRequestCommand(1, newOpaque(), { extFields: { deny: '1' } }), 3000);
      expect(refused).to.include({ code: 1, remark: 'AclException: refused, frame' });
      expect(processed).to.deep.equal([]);
      expect((await client.invoke(to, createRequestCommand(1, newOpaque()), 3000)).code).to.equal(0);
      rejecting = true;
      expect(
        (await client.invoke(to, createRequestCommand(1, newOpaque(), { extFields: { deny: '1' } }), 3000)).remark,
      ).to.equal(REJECT_REQUEST_REMARK);
    } finally {
      client.close(`127.0.0.1:${hooked.port}`);
      await hooked.shutdown();
    }
  });

  it('keeps answering other requests on the same connection while one is held', async () => {
    const held = client.invoke(address, createRequestCommand(2, newOpaque()), 5000);
    const quick = await client.invoke(address, createRequestCommand(1, newOpaque()), 3000);
    expect(quick.remark).to.equal('echo');
    releaseHeld!();
    expect((await held).remark).to.equal('held');
  });

  it('answers an unknown code with REQUEST_CODE_NOT_SUPPORTED', async () => {
    const response = await client.invoke(address, createRequestCommand(9999, newOpaque()), 3000);
    expect(response.code).to.equal(3);
    expect(response.remark).to.contain('9999');
  });

  it('answers a throwing processor with SYSTEM_ERROR and the message', async () => {
    const response = await client.invoke(address, createRequestCommand(3, newOpaque()), 3000);
    expect(response).to.include({ code: 1, remark: 'boom' });
  });

  it('never answers a oneway request', async () => {
    const connection = await client.connection(address);
    const request = createRequestCommand(4, newOpaque());
    let answered = false;
    (connection.socket as net.Socket).prependListener('data', () => (answered = true));
    connection.invokeOneway(request);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(onewaySeen).to.include(request.opaque);
    expect(answered).to.equal(false);
  });

  it('answers SYSTEM_BUSY [REJECTREQUEST] without processing while rejectRequest() is true', async () => {
    busy = true;
    const rejected = createRequestCommand(5, newOpaque());
    const response = await client.invoke(address, rejected, 3000);
    expect(response).to.include({ opaque: rejected.opaque, code: 2, remark: REJECT_REQUEST_REMARK });
    expect(response.remark).to.equal('[REJECTREQUEST]system busy, start flow control for a while');
    expect(busySeen).to.not.include(rejected.opaque);
    busy = false;
    const served = createRequestCommand(5, newOpaque());
    expect((await client.invoke(address, served, 3000)).code).to.equal(0);
    expect(busySeen).to.include(served.opaque);
  });

  it('writes the [REJECTREQUEST] answer even to a oneway request, as Java does', async () => {
    busy = true;
    const socket = net.connect(server.port, '127.0.0.1');
    try {
      await new Promise((resolve) => socket.once('connect', resolve));
      const decoder = new FrameDecoder();
      const frame = new Promise<Buffer>((resolve) =>
        socket.on('data', (chunk) => decoder.push(chunk).forEach(resolve)),
      );
      const request = createRequestCommand(5, newOpaque());
      request.flag |= RPC_ONEWAY;
      socket.write(encodeRemotingCommand(request));
      const response = decodeRemotingCommand(await frame);
      expect(response).to.include({ opaque: request.opaque, code: 2, remark: REJECT_REQUEST_REMARK });
      expect(busySeen).to.not.include(request.opaque);
    } finally {
      busy = false;
      socket.destroy();
    }
  });

  for (const [name, bytes] of [
    ['garbage bytes', Buffer.from('GET / HTTP/1.1\r\n\r\n')],
    ['an over-limit length', Buffer.from('7fffffff', 'hex')],
    ['an unknown serialize type', Buffer.from('0000000807000000000000000000', 'hex')],
  ] as [string, Buffer][]) {
    it(`closes only the connection that sent ${name}`, async () => {
      const bad = net.connect(server.port, '127.0.0.1');
      await new Promise((resolve) => bad.once('connect', resolve));
      const closed = new Promise((resolve) => bad.once('close', resolve));
      bad.write(bytes);
      await closed;
      const response = await client.invoke(address, createRequestCommand(1, newOpaque()), 3000);
      expect(response.code).to.equal(0);
    });
  }

  it('sends a ring body taken in this turn, and closes rather than send one whose lease ended', async () => {
    const fresh = await client.invoke(address, createRequestCommand(6, newOpaque()), 3000);
    expect(fresh.body?.equals(Buffer.alloc(4096, 0x5a))).to.equal(true);
    const late = createRequestCommand(6, newOpaque(), { extFields: { early: '1' } });
    const failure = await client.invoke(address, late, 3000).then(
      () => undefined,
      (error: Error) => error,
    );
    expect(failure?.message).to.match(/closed/);
    const after = await client.invoke(address, createRequestCommand(1, newOpaque()), 3000);
    expect(after.code).to.equal(0);
  });

  it('closes connections idle past the limit', async () => {
    const idleServer = new RemotingServer({ listenPort: 0, bindAddress: '127.0.0.1', idleTimeoutMs: 100 }, silent);
    await idleServer.start();
    const socket = net.connect(idleServer.port, '127.0.0.1');
    const started = Date.now();
    await new Promise((resolve) => socket.once('close', resolve));
    expect(Date.now() - started).to.be.lessThan(2000);
    await idleServer.shutdown();
  });
});
