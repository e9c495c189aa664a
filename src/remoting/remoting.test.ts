import { expect } from 'chai';
import net from 'node:net';
import winston from 'winston';
import { createRequestCommand, createResponseCommand, RemotingCommand, SerializeType } from '../codec/remoting-command';
import { newOpaque } from './connection';
import { RemotingClient } from './remoting-client';
import { RemotingServer } from './remoting-server';

const silent = winston.createLogger({ silent: true });

describe('RemotingServer and RemotingClient over real sockets', () => {
  let server: RemotingServer;
  let client: RemotingClient;
  let address: string;
  let releaseHeld: (() => void) | undefined;
  const onewaySeen: number[] = [];

  before(async () => {
    server = new RemotingServer({ listenPort: 0, bindAddress: '127.0.0.1', idleTimeoutMs: 120_000 }, silent);
    server.registerProcessor(1, { processRequest: (_c, r) => createResponseCommand(r, 0, { remark: 'echo', body: r.body, extFields: r.extFields }) });
    server.registerProcessor(2, {
      processRequest: (_c, r) => new Promise<RemotingCommand>((resolve) => (releaseHeld = () => resolve(createResponseCommand(r, 0, { remark: 'held' })))),
    });
    server.registerProcessor(3, { processRequest: () => { throw new Error('boom'); } });
    server.registerProcessor(4, { processRequest: (_c, r) => { onewaySeen.push(r.opaque); return createResponseCommand(r, 0); } });
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
      const request = createRequestCommand(1, newOpaque(), { serializeType, extFields: { k: 'v' }, body: Buffer.from('abc') });
      const response = await client.invoke(address, request, 3000);
      expect(response).to.include({ opaque: request.opaque, code: 0, remark: 'echo', serializeType });
      expect(response.extFields).to.deep.equal({ k: 'v' });
      expect(response.body?.toString()).to.equal('abc');
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
    connection.socket.prependListener('data', () => (answered = true));
    connection.invokeOneway(request);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(onewaySeen).to.include(request.opaque);
    expect(answered).to.equal(false);
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
