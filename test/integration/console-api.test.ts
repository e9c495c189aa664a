// The web console's JSON API over real HTTP (no browser): the login when the broker runs with
// ACL (plain_acl.yml accounts, admin needed for writes) and the answers to bad input, which must
// change nothing.
import { expect } from 'chai';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { consoleCall, freePort } from './console-support';
import { RequestCode } from '../../src/codec/request-code';
import { ResponseCode } from '../../src/codec/response-code';
import { Cluster, sendHeader } from './harness';

const YAML = `accounts:
- accessKey: consoleReader
  secretKey: readerSecret1
  defaultTopicPerm: SUB
- accessKey: consoleAdmin
  secretKey: adminSecret1
  admin: true
`;

describe('web console API', function () {
  this.timeout(20_000);

  describe('with ACL on', () => {
    const cluster = new Cluster();
    let baseUrl: string;

    before(async () => {
      fs.mkdirSync(path.join(cluster.home, 'conf'), { recursive: true });
      fs.writeFileSync(path.join(cluster.home, 'conf', 'plain_acl.yml'), YAML);
      await cluster.start({ aclEnable: true, rocketmqHome: cluster.home, consolePort: await freePort() });
      baseUrl = `http://127.0.0.1:${cluster.broker.console!.port}`;
    });
    after(() => cluster.stop());

    async function login(accessKey: string, secretKey: string): Promise<string> {
      const answer = await consoleCall(baseUrl, '/api/login', { accessKey, secretKey });
      expect(answer.status, JSON.stringify(answer.json)).to.equal(200);
      expect(answer.setCookie).to.match(/^rmqconsole=[0-9a-f]{64}; HttpOnly; SameSite=Strict; Path=\//);
      return answer.setCookie!.split(';')[0];
    }

    it('asks for a login, refuses a wrong secret and an unknown key', async () => {
      expect((await consoleCall(baseUrl, '/api/session')).json).to.include({ aclEnabled: true, loggedIn: false });
      expect(await consoleCall(baseUrl, '/api/topics')).to.deep.include({
        status: 401,
        json: { error: 'log in first' },
      });
      expect(
        (await consoleCall(baseUrl, '/api/login', { accessKey: 'consoleAdmin', secretKey: 'wrong-secret' })).status,
      ).to.equal(401);
      expect(
        (await consoleCall(baseUrl, '/api/login', { accessKey: 'consoleNobody', secretKey: 'adminSecret1' })).status,
      ).to.equal(401);
      expect((await consoleCall(baseUrl, '/api/topics', undefined, `rmqconsole=${'ab'.repeat(32)}`)).status).to.equal(
        401,
      );
    });

    it('lets a non-admin account read but not write', async () => {
      const cookie = await login('consoleReader', 'readerSecret1');
      expect((await consoleCall(baseUrl, '/api/session', undefined, cookie)).json).to.include({
        loggedIn: true,
        accessKey: 'consoleReader',
        admin: false,
      });
      expect((await consoleCall(baseUrl, '/api/topics', undefined, cookie)).status).to.equal(200);
      const create = await consoleCall(
        baseUrl,
        '/api/topic',
        { topic: 'ReaderTopic', readQueueNums: 1, writeQueueNums: 1, perm: 6 },
        cookie,
      );
      expect(create.status).to.equal(403);
      expect(cluster.broker.topicConfigManager.selectTopicConfig('ReaderTopic')).to.equal(undefined);
      expect((await consoleCall(baseUrl, '/api/logout', {}, cookie)).status).to.equal(200);
      expect((await consoleCall(baseUrl, '/api/topics', undefined, cookie)).status).to.equal(401);
    });

    it('shows another broker that runs with ACL, the call signed with the logged-in account', async () => {
      const other = await cluster.newBroker(fs.mkdtempSync(path.join(cluster.home, 'b-')), {
        aclEnable: true,
        rocketmqHome: cluster.home,
        brokerName: 'broker-b',
      });
      try {
        const cookie = await login('consoleReader', 'readerSecret1');
        const answer = await consoleCall(baseUrl, '/api/cluster', undefined, cookie);
        const brokers = answer.json.brokers as {
          brokerName: string;
          address: string;
          runtime?: { brokerVersionDesc: string };
          error?: string;
        }[];
        expect(
          brokers.map((broker) => [broker.brokerName, broker.address, broker.runtime?.brokerVersionDesc, broker.error]),
        ).to.deep.equal([
          ['broker-a', cluster.brokerAddr, 'V4_7_1', undefined],
          ['broker-b', `127.0.0.1:${other.listenPort}`, 'V4_7_1', undefined],
        ]);
      } finally {
        await other.shutdown();
      }
    });

    it('lets an admin account write', async () => {
      const cookie = await login('consoleAdmin', 'adminSecret1');
      const create = await consoleCall(
        baseUrl,
        '/api/topic',
        { topic: 'AdminTopic', readQueueNums: 2, writeQueueNums: 2, perm: 6 },
        cookie,
      );
      expect(create.status, JSON.stringify(create.json)).to.equal(200);
      expect(cluster.broker.topicConfigManager.selectTopicConfig('AdminTopic')).to.include({
        readQueueNums: 2,
        writeQueueNums: 2,
      });
    });
  });

  describe('with ACL off', () => {
    const cluster = new Cluster();
    let baseUrl: string;

    before(async () => {
      await cluster.start({ consolePort: await freePort() });
      baseUrl = `http://127.0.0.1:${cluster.broker.console!.port}`;
    });
    after(() => cluster.stop());

    it('answers bad input with the reason and changes nothing', async () => {
      const topicsBefore = [...cluster.broker.topicConfigManager.topicConfigTable.keys()];
      const cases: [string, unknown, number, RegExp][] = [
        ['/api/topic', { topic: 'Bad', readQueueNums: 1, writeQueueNums: 1, perm: 5 }, 400, /perm must be 2/],
        [
          '/api/topic',
          { topic: 'Bad', readQueueNums: 0, writeQueueNums: 1, perm: 6 },
          400,
          /readQueueNums must be between 1 and 1024/,
        ],
        ['/api/topic', { topic: 'bad topic!', readQueueNums: 1, writeQueueNums: 1, perm: 6 }, 400, /topic/],
        [
          '/api/topic',
          { topic: 'TBW102', readQueueNums: 1, writeQueueNums: 1, perm: 6 },
          400,
          /conflict with system topic/,
        ],
        ['/api/topic/delete', { topic: 'NoSuchTopic' }, 404, /does not exist/],
        ['/api/messages/send', { topic: 'NoSuchTopic', body: 'x' }, 404, /does not exist/],
        ['/api/messages/send', { topic: 'TBW102', body: 'x'.repeat(70_000) }, 400, /body is longer than/],
        ['/api/messages/resend', { msgId: '00', group: 'g1' }, 404, /subscription group g1 does not exist/],
        [
          '/api/group/reset-offset',
          { group: 'g1', topic: 'TBW102', timestamp: 'yesterday' },
          400,
          /timestamp is not a time/,
        ],
      ];
      for (const [route, body, status, error] of cases) {
        const answer = await consoleCall(baseUrl, route, body);
        expect(answer.status, `${route} ${JSON.stringify(body).slice(0, 80)}`).to.equal(status);
        expect(String(answer.json.error)).to.match(error);
      }
      expect([...cluster.broker.topicConfigManager.topicConfigTable.keys()]).to.deep.equal(topicsBefore);
      const notJson = await fetch(`${baseUrl}/api/topic`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain' },
        body: '{}',
      });
      expect(notJson.status).to.equal(415);
      const tooBig = await fetch(`${baseUrl}/api/messages/send`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: 'x'.repeat(600_000),
      });
      expect(tooBig.status).to.equal(413);
      expect((await consoleCall(baseUrl, '/api/nothing')).status).to.equal(404);
      expect((await fetch(`${baseUrl}/../../etc/passwd`)).status).to.equal(404);
    });

    it('serves the page, its script and the libraries from the installed packages with a strict CSP', async () => {
      const page = await fetch(`${baseUrl}/`);
      expect(page.headers.get('content-security-policy')).to.match(
        /^default-src 'self'; script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/,
      );
      expect(await page.text()).to.contain('<script type="importmap">');
      for (const file of [
        '/ui/app.js',
        '/vendor/preact.mjs',
        '/vendor/hooks.mjs',
        '/vendor/htm.mjs',
        '/vendor/uPlot.esm.js',
        '/vendor/uPlot.min.css',
      ]) {
        const answer = await fetch(baseUrl + file);
        expect(answer.status, file).to.equal(200);
        expect((await answer.arrayBuffer()).byteLength, file).to.be.greaterThan(500);
      }
    });

    it('shows a slave of this broker with its role, and refuses test messages on a slave console', async () => {
      const slaveHome = fs.mkdtempSync(path.join(cluster.home, 'slave-'));
      const slave = await cluster.newBroker(slaveHome, {
        brokerId: 1,
        brokerRole: 'SLAVE',
        consolePort: await freePort(),
      });
      try {
        const brokers = (await consoleCall(baseUrl, '/api/cluster')).json.brokers as {
          brokerName: string;
          brokerId: number;
          role: string;
          self: boolean;
        }[];
        expect(brokers.map(({ brokerName, brokerId, role, self }) => [brokerName, brokerId, role, self])).to.deep.equal(
          [
            ['broker-a', 0, 'ASYNC_MASTER', true],
            ['broker-a', 1, 'SLAVE', false],
          ],
        );
        const slaveUrl = `http://127.0.0.1:${slave.console!.port}`;
        const slaveView = (await consoleCall(slaveUrl, '/api/cluster')).json.brokers as {
          role: string;
          self: boolean;
        }[];
        expect(slaveView.map(({ role, self }) => [role, self])).to.deep.equal([
          ['ASYNC_MASTER', false],
          ['SLAVE', true],
        ]);
        const send = await consoleCall(slaveUrl, '/api/messages/send', { topic: 'TBW102', body: 'x' });
        expect(send).to.deep.include({ status: 403, json: { error: 'a slave does not take messages' } });
      } finally {
        await slave.shutdown();
      }
    });

    it('answers a time-range search with the newest 200 messages and says more exist', async () => {
      const create = {
        topic: 'ManyTopic',
        defaultTopic: 'TBW102',
        readQueueNums: '1',
        writeQueueNums: '1',
        perm: '6',
        topicFilterType: 'SINGLE_TAG',
        order: 'false',
      };
      expect((await cluster.toBroker(RequestCode.UPDATE_AND_CREATE_TOPIC, create)).code).to.equal(ResponseCode.SUCCESS);
      for (let i = 0; i < 250; i++)
        expect(
          (await cluster.toBroker(RequestCode.SEND_MESSAGE_V2, sendHeader('ManyTopic', 0), Buffer.from(`m${i}`))).code,
        ).to.equal(ResponseCode.SUCCESS);
      const answer = await consoleCall(
        baseUrl,
        `/api/messages/by-time?topic=ManyTopic&begin=0&end=${Date.now() + 1000}`,
      );
      const messages = answer.json.messages as { queueOffset: number; bodyText: string }[];
      expect(answer.json.truncated).to.equal(true);
      expect(messages).to.have.length(200);
      expect(messages.map((message) => message.queueOffset)).to.deep.equal(
        Array.from({ length: 200 }, (_, i) => 249 - i),
      );
      expect(messages[0].bodyText).to.equal('m249');
    });

    it('refuses a request for a DNS name (rebinding) when ACL is off', async () => {
      const status = await new Promise<number>((resolve, reject) => {
        const request = http.get(
          {
            host: '127.0.0.1',
            port: cluster.broker.console!.port,
            path: '/api/topics',
            headers: { Host: 'attacker.example:80' },
          },
          (response) => {
            response.resume();
            resolve(response.statusCode ?? 0);
          },
        );
        request.on('error', reject);
      });
      expect(status).to.equal(403);
    });

    it('is not started without consolePort, and binds 127.0.0.1 by default', async () => {
      expect(cluster.broker.brokerConfig.consoleHost).to.equal('127.0.0.1');
      const other = new Cluster();
      try {
        await other.start();
        expect(other.broker.console).to.equal(undefined);
      } finally {
        await other.stop();
      }
    });
  });
});
