// A NameServer that answers slowly must not hold clients' heartbeats past their 3 s timeout (5.x clients
// close the connection then, and are not consumers of the group until their next heartbeat, 30 s later),
// and registrations asked for while others keep coming still end (no starvation).
import { expect } from 'chai';
import net from 'node:net';
import { RequestCode } from '../../src/codec/request-code';
import { ResponseCode } from '../../src/codec/response-code';
import { FakeConsumer } from './consumption-support';
import { Cluster } from './harness';

const NAMESRV_DELAY_MS = 2500;

/** A TCP relay to `targetPort` that holds every byte coming back by `delayMs`. */
async function slowRelay(targetPort: number, delayMs: number): Promise<{ port: number; close: () => void }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => socket.destroy());
    }
    client.on('data', (data) => upstream.write(data));
    upstream.on('data', (data) => setTimeout(() => client.writable && client.write(data), delayMs));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () => {
    for (const socket of sockets) socket.destroy();
    server.close();
  };
  return { port: (server.address() as net.AddressInfo).port, close };
}

describe('broker with a slow NameServer', function () {
  this.timeout(30000);
  const cluster = new Cluster();
  const topic = `SLOWNS_${Date.now()}`;
  let relay: { port: number; close: () => void };
  const consumers: FakeConsumer[] = [];

  before(async () => {
    await cluster.start({ autoCreateTopicEnable: true });
    relay = await slowRelay(cluster.namesrv.port, NAMESRV_DELAY_MS);
    cluster.broker.brokerConfig.namesrvAddr = `127.0.0.1:${relay.port}`;
  });
  after(async () => {
    for (const c of consumers) c.close();
    relay.close();
    await cluster.stop();
  });

  it('answers a heartbeat that creates a %RETRY% topic well within 3 s, with the member registered', async () => {
    const consumer = new FakeConsumer('127.0.0.1@slowns', cluster.brokerAddr);
    consumers.push(consumer);
    const startedMs = Date.now();
    const response = await consumer.heartbeat('gSlowNs', [{ topic }]);
    const tookMs = Date.now() - startedMs;
    expect(response.code).to.equal(ResponseCode.SUCCESS);
    expect(tookMs, 'heartbeat answer time').to.be.lessThan(2000);
    expect(cluster.broker.consumerManager.getConsumerGroupInfo('gSlowNs')?.allClientIds()).to.deep.equal([
      '127.0.0.1@slowns',
    ]);
    expect(cluster.broker.topicConfigManager.selectTopicConfig('%RETRY%gSlowNs')).to.not.equal(undefined);
  });

  it('a registration asked for while others keep coming ends within two passes', async () => {
    const passMs = NAMESRV_DELAY_MS;
    const first = cluster.broker.registerBrokerAll();
    const startedMs = Date.now();
    const held = cluster.broker.registerBrokerAll();
    // keep asking, as a burst of topic creations and heartbeats would
    const asking = setInterval(() => void cluster.broker.registerBrokerAll(), 100);
    try {
      await held;
      const tookMs = Date.now() - startedMs;
      expect(tookMs, 'waited for the running pass and its own').to.be.lessThan(2 * passMs + 1500);
    } finally {
      clearInterval(asking);
    }
    await first;
    // the route learnt through the slow NameServer has the %RETRY% topic of the heartbeat above
    const route = await cluster.request(cluster.namesrvAddr, RequestCode.GET_ROUTEINFO_BY_TOPIC, {
      topic: '%RETRY%gSlowNs',
    });
    expect(route.code).to.equal(ResponseCode.SUCCESS);
  });
});
