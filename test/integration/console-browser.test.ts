/// <reference lib="dom" />
// The web console end to end in headless Chromium (Debian's /usr/bin/chromium, or $CHROMIUM_PATH)
// driven by puppeteer-core: a NameServer and a broker with data in it (console-support.ts), every
// page clicked through and checked for the real values, one write of each kind checked on the
// broker. Screenshots go to a temporary folder, or to docs/screenshots/ with UPDATE_SCREENSHOTS=1
// (`npm run console-screenshots`). A missing Chromium fails the test; it is not skipped.
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { decodeMessageProperties, decodeMessageRecord } from '../../src/codec/message';
import { retryTopic } from '../../src/broker/topic-validator';
import { until, type FakeConsumer } from './consumption-support';
import {
  COMMITTED,
  freePort,
  GROUP,
  LAG,
  MESSAGES_PER_QUEUE,
  RUNNING_INFO_MARK,
  seedConsoleData,
  TOPIC,
} from './console-support';
import { Cluster, pullHeader, sendHeader } from './harness';
import { RequestCode } from '../../src/codec/request-code';
import { ResponseCode } from '../../src/codec/response-code';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS =
  process.env.UPDATE_SCREENSHOTS === '1'
    ? path.join(__dirname, '..', '..', '..', 'docs', 'screenshots')
    : fs.mkdtempSync(path.join(os.tmpdir(), 'console-shots-'));
const WAIT_MS = 8000;
const CHART_SENDS = 20;

describe('web console in headless Chromium', function () {
  this.timeout(60_000);
  const cluster = new Cluster();
  let browser: Browser;
  let page: Page;
  let member: FakeConsumer;
  let uniqKeys: string[];
  let baseUrl: string;
  const pageErrors: string[] = [];

  before(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    if (!fs.existsSync(CHROMIUM))
      throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
    const consolePort = await freePort();
    await cluster.start({ consolePort });
    baseUrl = `http://127.0.0.1:${cluster.broker.console!.port}`;
    ({ member, uniqKeys } = await seedConsoleData(cluster));
    const puppeteer = await import('puppeteer-core');
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 760 });
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${baseUrl}/#/cluster`);
  });
  after(async () => {
    await browser?.close();
    if (process.env.UPDATE_SCREENSHOTS !== '1') fs.rmSync(SHOTS, { recursive: true, force: true });
    member?.close();
    await cluster.stop();
  });
  afterEach(() => expect(pageErrors, 'errors in the page').to.deep.equal([]));

  async function open(hash: string, selector: string): Promise<void> {
    await page.evaluate((target) => (location.hash = target), `#/${hash}`);
    await page.waitForSelector(selector, { timeout: WAIT_MS });
  }
  async function waitText(selector: string, text: string): Promise<void> {
    await page.waitForFunction(
      (sel, want) => (document.querySelector(sel)?.textContent ?? '').includes(want),
      { timeout: WAIT_MS },
      selector,
      text,
    );
  }
  function cells(selector: string): Promise<string[][]> {
    return page.$$eval(`${selector} tr`, (rows) =>
      rows
        .slice(1)
        .map((row) => Array.from((row as HTMLTableRowElement).cells).map((cell) => (cell.textContent ?? '').trim())),
    );
  }
  /** Replaces an input's value (preact keeps inputs across mode switches) by typing. */
  async function fill(selector: string, value: string): Promise<void> {
    await page.$eval(selector, (input) => ((input as HTMLInputElement).value = ''));
    await page.type(selector, value);
  }
  /** The whole page: the viewport is stretched to the page's height for the shot, then restored. */
  async function shot(name: string): Promise<void> {
    const heightPx = await page.evaluate(
      () =>
        new Promise<number>((resolve) => requestAnimationFrame(() => resolve(document.documentElement.scrollHeight))),
    );
    await page.setViewport({ width: 1280, height: Math.min(2000, Math.max(760, heightPx)) });
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
    await page.setViewport({ width: 1280, height: 760 });
  }

  it('cluster: the broker from the NameServer with its role, version, TPS and disk', async () => {
    await page.waitForSelector('#brokers');
    const [row] = await cells('#brokers');
    expect(row.slice(0, 6)).to.deep.equal([
      'DefaultCluster',
      'broker-a (this)',
      '0',
      'ASYNC_MASTER',
      cluster.brokerAddr,
      'V4_7_1',
    ]);
    expect(row[9]).to.match(/^\d+\.\d% used · Total : /);
    await shot('cluster');
  });

  it('topics: lists the topic with its message count, shows queues and route, creates a topic', async () => {
    await open('topics', '#topics');
    const rows = await cells('#topics');
    expect(rows.find((row) => row[0] === TOPIC)).to.deep.equal([TOPIC, 'NORMAL', '4 / 4', 'RW', '10']);
    await fill('#topic-form input[name=topic]', 'ConsoleCreated');
    await page.$eval('#topic-form input[name=readQueueNums]', (input) => ((input as HTMLInputElement).value = '3'));
    await page.$eval('#topic-form input[name=writeQueueNums]', (input) => ((input as HTMLInputElement).value = '3'));
    await page.click('#topic-form button[type=submit]');
    await waitText('#topic-form', 'saved ConsoleCreated');
    const created = cluster.broker.topicConfigManager.selectTopicConfig('ConsoleCreated');
    expect(created).to.include({ readQueueNums: 3, writeQueueNums: 3, perm: 6 });
    await waitText('#topics', 'ConsoleCreated');
    await shot('topics');
    await open(`topic/${TOPIC}`, '#queues');
    expect((await cells('#queues')).map((row) => row.slice(0, 3))).to.deep.equal(
      MESSAGES_PER_QUEUE.map((count, queueId) => [String(queueId), '0', String(count)]),
    );
    await page.waitForSelector('#route');
    expect((await cells('#route'))[0].slice(0, 4)).to.deep.equal(['broker-a', '4', '4', 'RW']);
    await waitText('main', GROUP);
    await open('topic/ConsoleCreated', '#delete-topic');
    await page.click('#delete-topic');
    await waitText('#deleted', 'deleted ConsoleCreated');
    expect(cluster.broker.topicConfigManager.selectTopicConfig('ConsoleCreated')).to.equal(undefined);
    const route = await cluster.request(cluster.namesrvAddr, RequestCode.GET_ROUTEINFO_BY_TOPIC, {
      topic: 'ConsoleCreated',
    });
    expect(route.code).to.equal(ResponseCode.TOPIC_NOT_EXIST);
  });

  it('consumer groups: members, lag per queue, running info, and a reset of the offsets', async () => {
    await open('groups', '#groups');
    expect((await cells('#groups')).find((row) => row[0] === GROUP)?.slice(0, 4)).to.deep.equal([
      GROUP,
      '1',
      'CLUSTERING',
      String(LAG),
    ]);
    await open(`group/${GROUP}`, '#lag');
    const lagRows = (await cells('#lag')).map((row) => row.slice(0, 5));
    expect(lagRows).to.deep.equal(
      MESSAGES_PER_QUEUE.map((count, queueId) => [
        TOPIC,
        String(queueId),
        String(count),
        String(COMMITTED[queueId]),
        String(count - COMMITTED[queueId]),
      ]),
    );
    expect((await cells('#members'))[0].slice(0, 3)).to.deep.equal([
      '127.0.0.1@console-member',
      (await cells('#members'))[0][1],
      'JAVA',
    ]);
    await page.click('#members button.running-info');
    await waitText('#running-info', RUNNING_INFO_MARK);
    await shot('consumer-group');
    await page.click('#reset-form button[type=submit]');
    await waitText('#reset-result', 'reset ConsoleTopic');
    MESSAGES_PER_QUEUE.forEach((count, queueId) =>
      expect(cluster.broker.consumerOffsetManager.queryOffset(GROUP, TOPIC, queueId)).to.equal(count),
    );
    // the online member was told too (so it does not commit its old positions over the reset)
    await until(
      'the member to get RESET_CONSUMER_CLIENT_OFFSET',
      () => member.ofCode(RequestCode.RESET_CONSUMER_CLIENT_OFFSET).length === 1,
    );
    await waitText('#total-lag', '0');
  });

  it('messages: search by key, by message id and by time, with properties and body previews', async () => {
    await open('messages', '#search-form');
    await page.click('#mode-key');
    await fill('#search-form input[name=topic]', TOPIC);
    await fill('#search-form input[name=key]', 'key-5');
    await page.click('#search');
    await waitText('#found', '1 found');
    await page.click('#messages .msg-link');
    await waitText('#body-preview', '"item": "item-5"');
    const properties = Object.fromEntries((await cells('#properties')).map((row) => row));
    expect(properties).to.deep.include({ KEYS: 'key-5', TAGS: 'TagA' });
    await page.click('#body-hex');
    await waitText('#body-preview', '7b 22 6f 72');
    await page.click('#body-text');
    const msgId = (await cells('#messages'))[0][0];
    await shot('messages');
    await page.click('#mode-id');
    await fill('#search-form input[name=msgId]', msgId);
    await page.click('#search');
    await waitText('#found', '1 found');
    expect((await cells('#messages'))[0].slice(0, 4)).to.deep.equal([msgId, TOPIC, 'TagA', 'key-5']);
    await fill('#search-form input[name=msgId]', uniqKeys[5]); // a UNIQ_KEY, looked up in every topic
    await page.$eval('#search-form input[name=topic]', (input) => ((input as HTMLInputElement).value = ''));
    await page.click('#search');
    await waitText('#found', '1 found');
    expect((await cells('#messages'))[0].slice(0, 4)).to.deep.equal([msgId, TOPIC, 'TagA', 'key-5']);
    await page.click('#mode-time');
    await fill('#search-form input[name=topic]', TOPIC);
    await page.click('#search');
    await waitText('#found', '10 found');
  });

  it('DLQ: lists the dead letter and resends it to the group through %RETRY%', async () => {
    const retry = retryTopic(GROUP);
    const before = cluster.broker.messageStore.getMaxOffsetInQueue(retry, 0);
    await open('dlq', '#dlq-topics');
    expect(await cells('#dlq-topics')).to.deep.equal([[`%DLQ%${GROUP}`, GROUP, '1']]);
    await page.click('#dlq-topics .dlq-link');
    await page.waitForSelector('#messages .msg-link');
    await page.click('#messages .msg-link');
    await waitText('#properties', 'RETRY_TOPIC');
    await page.click('.resend-form button[type=submit]');
    await waitText('#resend-result', `resent to ${retry}`);
    await shot('dlq');
    expect(cluster.broker.messageStore.getMaxOffsetInQueue(retry, 0)).to.equal(Math.max(0, before) + 1);
    const result = cluster.broker.messageStore.getMessage('check', retry, 0, Math.max(0, before), 1);
    const { record } = decodeMessageRecord(result.messageBuffers[0], 0);
    expect(decodeMessageProperties(record.propertiesString).get('RETRY_TOPIC')).to.equal(TOPIC);
    expect(JSON.parse(record.body.toString())).to.deep.equal({ order: 0, item: 'item-0' });
  });

  it('send test message: stored in the topic with its tags, keys and body', async () => {
    const total = () =>
      MESSAGES_PER_QUEUE.reduce(
        (sum, _count, queueId) => sum + cluster.broker.messageStore.getMaxOffsetInQueue(TOPIC, queueId),
        0,
      );
    const before = total();
    await open('send', '#send-form');
    await page.waitForFunction(
      (topic) =>
        Array.from((document.querySelector('#send-form select[name=topic]') as HTMLSelectElement).options).some(
          (option) => option.value === topic,
        ),
      { timeout: WAIT_MS },
      TOPIC,
    );
    expect(await page.select('#send-form select[name=topic]', TOPIC)).to.deep.equal([TOPIC]);
    await page.type('#send-form input[name=tags]', 'Console');
    await page.type('#send-form input[name=keys]', 'from-browser');
    await page.click('#send');
    await waitText('#send-result', 'sent: ');
    expect(total()).to.equal(before + 1);
    const found = cluster.broker.messageStore.queryMessage(TOPIC, 'from-browser', 4, 0, Date.now() + 1000);
    expect(found.messageBuffers).to.have.length(1);
    const { record } = decodeMessageRecord(found.messageBuffers[0], 0);
    expect(record.body.toString()).to.equal('{"hello":"rocketmq"}');
    expect(decodeMessageProperties(record.propertiesString).get('TAGS')).to.equal('Console');
    await shot('send');
  });

  it('charts: live send/consume TPS and lag, sampled from what the broker really did', async () => {
    const chartTopic = 'ConsoleChart';
    const create = {
      topic: chartTopic,
      defaultTopic: 'TBW102',
      readQueueNums: '1',
      writeQueueNums: '1',
      perm: '6',
      topicFilterType: 'SINGLE_TAG',
      order: 'false',
    };
    expect((await cluster.toBroker(RequestCode.UPDATE_AND_CREATE_TOPIC, create)).code).to.equal(ResponseCode.SUCCESS);
    for (let i = 0; i < CHART_SENDS; i++)
      expect(
        (await cluster.toBroker(RequestCode.SEND_MESSAGE_V2, sendHeader(chartTopic, 0), Buffer.from(`m${i}`))).code,
      ).to.equal(ResponseCode.SUCCESS);
    const pulled = await cluster.toBroker(
      RequestCode.PULL_MESSAGE,
      pullHeader(GROUP, chartTopic, 0, 0, { suspendTimeoutMillis: '1000' }),
      undefined,
      4000,
    );
    expect(pulled.code).to.equal(ResponseCode.SUCCESS);
    // every put of this test: the seeded messages, the console's test message and resend, these sends
    const expectedPuts = MESSAGES_PER_QUEUE.reduce((sum, count) => sum + count, 0) + 2 + CHART_SENDS;
    await open('charts', '#chart-tps canvas');
    await page.waitForSelector('#chart-lag canvas');
    const totals = await page.waitForFunction(
      async (puts) => {
        const { samples } = (await (await fetch('/api/stats')).json()) as {
          samples: { puts: number; gets: number; lag: number }[];
        };
        const sum = (key: 'puts' | 'gets') => samples.reduce((total, sample) => total + sample[key], 0);
        return sum('puts') === puts
          ? { puts: sum('puts'), gets: sum('gets'), lastLag: samples[samples.length - 1].lag }
          : false;
      },
      { timeout: WAIT_MS, polling: 250 },
      expectedPuts,
    );
    // the lag now: the group was reset to the end of ConsoleTopic, then the test message went there
    expect(await totals.jsonValue()).to.deep.equal({ puts: expectedPuts, gets: CHART_SENDS, lastLag: 1 });
    // the page polls every 2 s: wait until its charts hold the samples just checked
    const sampleCount = await page.evaluate(
      async () => ((await (await fetch('/api/stats')).json()) as { samples: unknown[] }).samples.length,
    );
    await page.waitForFunction(
      (count) => Number(document.querySelector('#sample-count')?.textContent) >= count,
      { timeout: WAIT_MS },
      sampleCount,
    );
    expect(await page.$eval('#lag-now', (element) => element.textContent)).to.equal('1');
    await shot('charts');
  });

  it('login with ACL on: the form, a refused secret, then an admin session', async () => {
    const secured = new Cluster();
    const errors: string[] = [];
    const loginPage = await browser.newPage();
    try {
      fs.mkdirSync(path.join(secured.home, 'conf'), { recursive: true });
      fs.writeFileSync(
        path.join(secured.home, 'conf', 'plain_acl.yml'),
        'accounts:\n- accessKey: consoleAdmin\n  secretKey: adminSecret1\n  admin: true\n',
      );
      await secured.start({ aclEnable: true, rocketmqHome: secured.home, consolePort: await freePort() });
      loginPage.on('pageerror', (error) => errors.push(String(error)));
      loginPage.on('console', (message) => {
        if (message.type() === 'error' && !message.text().includes('status of 401')) errors.push(message.text());
      });
      await loginPage.goto(`http://127.0.0.1:${secured.broker.console!.port}/#/topics`);
      await loginPage.waitForSelector('#login', { timeout: WAIT_MS });
      await loginPage.type('#accessKey', 'consoleAdmin');
      await loginPage.type('#secretKey', 'wrongSecret1');
      await loginPage.click('#login');
      await loginPage.waitForFunction(
        () => (document.querySelector('[role=alert]')?.textContent ?? '').includes('wrong secretKey'),
        { timeout: WAIT_MS },
      );
      await loginPage.$eval('#secretKey', (input) => ((input as HTMLInputElement).value = ''));
      await loginPage.type('#secretKey', 'adminSecret1');
      await loginPage.click('#login');
      await loginPage.waitForSelector('#topics', { timeout: WAIT_MS });
      expect(await loginPage.$eval('header .who', (element) => element.textContent)).to.contain('consoleAdmin (admin)');
      expect(errors).to.deep.equal([]);
    } finally {
      await loginPage.close();
      await secured.stop();
    }
  });
});
