// Disk protection and "broker busy" flow control, over real sockets: what a producer sees when
// the store refuses, that pulls keep working, that nothing stored is damaged, and that writes
// come back by themselves.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeMessageRecord } from '../../src/codec/message/message-record';
import { RequestCode } from '../../src/codec/request-code';
import { ResponseCode } from '../../src/codec/response-code';
import { createRequestCommand } from '../../src/codec/remoting-command';
import { SendMessageProcessor } from '../../src/handlers/send-message-processor';
import { newOpaque, type Connection } from '../../src/remoting/connection';
import { Cluster, pullHeader, sendHeader } from './harness';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function send(cluster: Cluster, topic: string, body: string | Buffer) {
  return cluster.toBroker(RequestCode.SEND_MESSAGE_V2, sendHeader(topic, 0), Buffer.from(body));
}

/** Bodies of queue 0 from offset 0, through PULL_MESSAGE. */
async function pullAll(cluster: Cluster, topic: string): Promise<string[]> {
  const bodies: string[] = [];
  for (let offset = 0, round = 0; round < 1000; round++) {
    const response = await cluster.toBroker(
      RequestCode.PULL_MESSAGE,
      pullHeader('g', topic, 0, offset, { sysFlag: '4', suspendTimeoutMillis: '0' }),
    );
    if (response.code !== ResponseCode.SUCCESS) return bodies;
    for (let position = 0; position < response.body!.length; ) {
      const { record, sizeBytes } = decodeMessageRecord(response.body!, position);
      bodies.push(record.body.toString());
      position += sizeBytes;
    }
    offset = Number(response.extFields!.nextBeginOffset);
  }
  return bodies;
}

async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('store protection over real sockets: disk full', function () {
  this.timeout(30000);
  const cluster = new Cluster();
  const topic = `DISK_${Date.now()}`;

  before(() => cluster.start({ cleanResourceInterval: 100, maxHashSlotNum: 1000, maxIndexNum: 4000 }));
  after(() => cluster.stop());

  it('refuses sends with SERVICE_NOT_AVAILABLE "disk full" above diskSpaceWarningLevelRatio, serves pulls, resumes', async () => {
    for (let i = 0; i < 5; i++) expect((await send(cluster, topic, `before-${i}`)).code).to.equal(ResponseCode.SUCCESS);
    const config = cluster.broker.messageStoreConfig;
    config.diskSpaceWarningLevelRatio = 0.0001; // any disk is "full" now; the next clean pass sees it
    await waitFor('the store to call the disk full', 3000, async () => cluster.broker.messageStore.isDiskFull());
    const refused = await send(cluster, topic, 'refused');
    expect(refused.code).to.equal(ResponseCode.SERVICE_NOT_AVAILABLE);
    // Java SendMessageProcessor: "… maybe disk full, " + diskUtil() + ", maybe …" (used fractions).
    const ratio = String.raw`[ -][01]\.\d\d`;
    expect(refused.remark).to.match(
      new RegExp(
        `^service not available now, maybe disk full, CL: ${ratio} CQ: ${ratio} INDEX: ${ratio}, ` +
          String.raw`maybe your broker machine memory too small\.$`,
      ),
    );
    expect(refused.extFields).to.include({ MSG_REGION: 'DefaultRegion' });
    expect(await pullAll(cluster, topic)).to.deep.equal([0, 1, 2, 3, 4].map((i) => `before-${i}`));
    config.diskSpaceWarningLevelRatio = 0.9; // "space came back"
    await waitFor(
      'writes to resume',
      3000,
      async () => (await send(cluster, topic, 'after')).code === ResponseCode.SUCCESS,
    );
    expect(await pullAll(cluster, topic)).to.deep.equal([...[0, 1, 2, 3, 4].map((i) => `before-${i}`), 'after']);
  });
});

describe('store protection over real sockets: a really full file system (tmpfs, root only)', function () {
  this.timeout(60000);
  let mountPoint = '';
  let filler = '';
  let mounted = false;
  let cluster: Cluster;
  let storeOverrides: Record<string, unknown>;
  const topic = `FULL_${Date.now()}`;

  before(async function () {
    mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'rmq-tmpfs-'));
    filler = path.join(mountPoint, 'filler');
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mountPoint], { stdio: 'ignore' });
      mounted = true;
    } catch {
      this.skip(); // not root, or no mount(8): the ratio test above still runs
    }
    cluster = new Cluster();
    const root = path.join(mountPoint, 'store');
    await cluster.start(
      (storeOverrides = {
        storePathRootDir: root,
        storePathCommitLog: path.join(root, 'commitlog'),
        mappedFileSizeCommitLog: 4 * 1024 * 1024,
        mappedFileSizeConsumeQueue: 30000 * 20,
        cleanResourceInterval: 100,
        maxHashSlotNum: 1000,
        maxIndexNum: 4000,
      }),
    );
  });
  after(async () => {
    try {
      fs.rmSync(filler, { force: true });
      await cluster?.stop();
    } finally {
      if (mounted) execFileSync('umount', ['-l', mountPoint]);
      if (mountPoint !== '') fs.rmSync(mountPoint, { recursive: true, force: true });
    }
  });

  function fillTo(usedRatio: number): void {
    const stats = fs.statfsSync(mountPoint);
    const total = stats.blocks * stats.bsize;
    const used = total - stats.bavail * stats.bsize;
    const more = Math.max(0, Math.floor(total * usedRatio - used));
    fs.appendFileSync(filler, Buffer.alloc(more, 1));
  }

  it('stops taking messages when the disk fills, loses nothing stored, and resumes when space is freed', async () => {
    const body = 'z'.repeat(8000);
    const stored: string[] = [];
    for (let i = 0; i < 20; i++) {
      expect((await send(cluster, topic, `${i}-${body}`)).code).to.equal(ResponseCode.SUCCESS);
      stored.push(`${i}-${body}`);
    }
    // The consumer group exists before the disk fills (creating one persists a config file).
    expect(await pullAll(cluster, topic)).to.deep.equal(stored);
    fillTo(0.95);
    await waitFor('the store to see the disk full', 3000, async () => cluster.broker.messageStore.isDiskFull());
    expect((await send(cluster, topic, 'refused')).code).to.equal(ResponseCode.SERVICE_NOT_AVAILABLE);
    // Past the warning level, up to the last byte: with the ratio check off, a write fails with
    // ENOSPC (answered SYSTEM_ERROR, leaving nothing behind), which marks the disk full, so the
    // next sends get SERVICE_NOT_AVAILABLE at once.
    cluster.broker.messageStoreConfig.diskSpaceWarningLevelRatio = 1;
    await waitFor('the ratio check to let writes through', 3000, async () => !cluster.broker.messageStore.isDiskFull());
    fillTo(1);
    const codes = new Set<number>();
    for (let i = 20; i < 60 && !codes.has(ResponseCode.SERVICE_NOT_AVAILABLE); i++) {
      const response = await send(cluster, topic, `${i}-${body}`);
      codes.add(response.code);
      if (response.code === ResponseCode.SUCCESS) stored.push(`${i}-${body}`);
    }
    expect(codes.has(ResponseCode.SERVICE_NOT_AVAILABLE), [...codes].join()).to.equal(true); // ENOSPC marked it full
    expect(await pullAll(cluster, topic)).to.deep.equal(stored);
    fs.rmSync(filler);
    cluster.broker.messageStoreConfig.diskSpaceWarningLevelRatio = 0.9;
    await waitFor(
      'writes to resume',
      5000,
      async () => (await send(cluster, topic, `after-${body}`)).code === ResponseCode.SUCCESS,
    );
    stored.push(`after-${body}`);
    expect(await pullAll(cluster, topic)).to.deep.equal(stored);
    const port = cluster.broker.listenPort;
    await cluster.broker.shutdown(); // then the same store again: everything intact
    cluster.client.close(cluster.brokerAddr);
    await cluster.startBroker({ ...storeOverrides, listenPort: port });
    expect(cluster.broker.messageStore.recovery!.lastExitOk).to.equal(true);
    expect(await pullAll(cluster, topic)).to.deep.equal(stored);
  });
});

describe('store protection over real sockets: broker busy', function () {
  this.timeout(20000);
  const cluster = new Cluster();
  const topic = `BUSY_${Date.now()}`;

  before(() =>
    cluster.start({ flushDiskType: 'SYNC_FLUSH', osPageCacheBusyTimeOutMills: 200, syncFlushTimeout: 10000 }),
  );
  after(() => cluster.stop());

  it('answers SYSTEM_BUSY "[REJECTREQUEST]" to sends while the disk does not keep up, instead of queueing', async () => {
    expect((await send(cluster, topic, 'first')).code).to.equal(ResponseCode.SUCCESS);
    const commitLog = (cluster.broker.messageStore as unknown as { commitLog: { flush(): Promise<number> } }).commitLog;
    const original = commitLog.flush.bind(commitLog);
    let release: () => void = () => undefined;
    commitLog.flush = () => new Promise<number>((resolve) => (release = () => void original().then(resolve)));
    const stuck = send(cluster, topic, 'stuck'); // waits for an fdatasync that does not come
    await sleep(300);
    expect(cluster.broker.messageStore.isOSPageCacheBusy()).to.equal(true);
    const busy = await send(cluster, topic, 'busy');
    expect(busy.code).to.equal(ResponseCode.SYSTEM_BUSY);
    expect(busy.remark).to.equal('[REJECTREQUEST]system busy, start flow control for a while');
    expect(busy.extFields ?? {}).to.deep.equal({}); // Java's refusal carries no header
    const sendBack = await cluster.toBroker(RequestCode.CONSUMER_SEND_MSG_BACK, {
      offset: '0',
      group: 'g',
      delayLevel: '0',
      originMsgId: 'x',
      originTopic: topic,
    });
    expect(sendBack.code).to.equal(ResponseCode.SYSTEM_BUSY); // same processor in Java
    const vipPort = (cluster.broker as unknown as { servers: { port: number }[] }).servers[1].port;
    const vip = await cluster.request(
      `127.0.0.1:${vipPort}`,
      RequestCode.SEND_MESSAGE_V2,
      sendHeader(topic, 0),
      Buffer.from('vip'),
    );
    expect(vip.code).to.equal(ResponseCode.SYSTEM_BUSY);
    const reply = await cluster.toBroker(
      RequestCode.SEND_REPLY_MESSAGE_V2,
      sendHeader(`${topic}_REPLY`, 0, 'REPLY_TO_CLIENT\u0001nobody\u0002'),
      Buffer.from('r'),
    );
    expect(reply.remark).to.equal('push reply message fail, channel of <nobody> not found.'); // Java never rejects replies
    commitLog.flush = original;
    release();
    expect((await stuck).code).to.equal(ResponseCode.SUCCESS);
    expect((await send(cluster, topic, 'again')).code).to.equal(ResponseCode.SUCCESS);
    expect(await pullAll(cluster, topic)).to.deep.equal(['first', 'stuck', 'again']);
  });

  it('answers SYSTEM_ERROR "[PC_SYNCHRONIZED]" when the store refuses a put that passed rejectRequest', async () => {
    const store = cluster.broker.messageStore as unknown as { putService: { isOsPageCacheBusy(): boolean } };
    const original = store.putService.isOsPageCacheBusy.bind(store.putService);
    const processor = new SendMessageProcessor(cluster.broker);
    try {
      store.putService.isOsPageCacheBusy = () => true; // busy from now on, after the check
      const request = createRequestCommand(RequestCode.SEND_MESSAGE_V2, newOpaque(), {
        extFields: sendHeader(topic, 0),
        body: Buffer.from('late'),
      });
      const response = await processor.processRequest({ remoteAddress: '127.0.0.1:40000' } as Connection, request);
      expect(response).to.include({
        code: ResponseCode.SYSTEM_ERROR,
        remark: '[PC_SYNCHRONIZED]broker busy, start flow control for a while',
      });
    } finally {
      store.putService.isOsPageCacheBusy = original;
    }
  });
});
