import { expect } from 'chai';
import * as fs from 'node:fs';
import { type DefaultMessageStore, PutMessageStatus } from './message-store';
import type { MessageStoreConfig } from './message-store-config';
import { message, openStore, tempStoreHome, testConfig } from './store-test-helpers';
import type { StoreFileQueue } from './store-file-queue';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Internals {
  commitLog: {
    flush(): Promise<number>;
    commitStaged(): void;
    writtenPhysicalOffset: number;
  };
  cleanService: { measureDiskUsedRatio: (dirPath: string) => number };
}

/** Replaces the commit-log fdatasync with one the test releases by hand. */
function holdFlushes(store: DefaultMessageStore): () => void {
  const commitLog = (store as unknown as Internals).commitLog;
  const original = commitLog.flush.bind(commitLog);
  const held: Array<() => void> = [];
  commitLog.flush = () => new Promise<number>((resolve) => held.push(() => void original().then(resolve)));
  return () => {
    commitLog.flush = original;
    for (const release of held.splice(0)) release();
  };
}

describe('DefaultMessageStore SYNC_FLUSH visibility and flow control', () => {
  let home: string;
  let store: DefaultMessageStore;

  function open(overrides: Partial<MessageStoreConfig>): void {
    home = tempStoreHome();
    store = openStore(testConfig(home, overrides));
  }

  afterEach(() => {
    store.shutdown();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('SYNC_FLUSH: consumers see a record only after its fdatasync, then callers get PUT_OK', async () => {
    open({ flushDiskType: 'SYNC_FLUSH' });
    const arrivals: number[] = [];
    store.onMessageArriving((_topic, _queueId, maxOffset) => arrivals.push(maxOffset));
    const release = holdFlushes(store);
    let answered = false;
    const pending = store.putMessage(message('T', 0, 'durable first')).then((result) => {
      answered = true;
      return result;
    });
    await sleep(30);
    expect(answered).to.equal(false);
    expect(store.getMaxOffsetInQueue('T', 0)).to.equal(0);
    expect(arrivals).to.deep.equal([]);
    release();
    const result = await pending;
    expect(result.status).to.equal(PutMessageStatus.PUT_OK);
    expect(store.getMaxOffsetInQueue('T', 0)).to.equal(1);
    expect(arrivals).to.deep.equal([1]);
  });

  it('SYNC_FLUSH: puts that arrive during a flush share the next one, in order', async () => {
    open({ flushDiskType: 'SYNC_FLUSH' });
    const release = holdFlushes(store);
    const first = store.putMessage(message('T', 0, 'a'));
    await sleep(10);
    const rest = Array.from({ length: 20 }, (_, i) => store.putMessage(message('T', 0, `b${i}`)));
    release();
    const results = await Promise.all([first, ...rest]);
    expect(results.map((r) => r.appendResult!.queueOffset)).to.deep.equal(Array.from({ length: 21 }, (_, i) => i));
    expect(results.every((r) => r.status === PutMessageStatus.PUT_OK)).to.equal(true);
    expect(store.getMaxOffsetInQueue('T', 0)).to.equal(21);
  });

  it('answers OS_PAGECACHE_BUSY while a SYNC_FLUSH put has waited too long, and recovers', async () => {
    open({ flushDiskType: 'SYNC_FLUSH', osPageCacheBusyTimeOutMills: 300, syncFlushTimeout: 5000 });
    const release = holdFlushes(store);
    const stuck = store.putMessage(message('T', 0, 'stuck'));
    await new Promise((resolve) => setImmediate(resolve)); // written, waiting for the disk
    expect(store.isOSPageCacheBusy()).to.equal(false);
    const early = store.putMessage(message('T', 0, 'still accepted'));
    await sleep(400);
    expect(store.isOSPageCacheBusy()).to.equal(true);
    const refused = await store.putMessage(message('T', 0, 'refused'));
    expect(refused.status).to.equal(PutMessageStatus.OS_PAGECACHE_BUSY);
    expect(refused.appendResult).to.equal(undefined);
    const refusedBatch = await store.putMessages({
      topic: 'T',
      queueId: 0,
      sysFlag: 0,
      bornTimestampMs: 1,
      bornHost: message('T', 0, '').bornHost,
      storeHost: message('T', 0, '').storeHost,
      elements: [{ flag: 0, body: Buffer.from('x'), propertiesString: '', tagsCode: 0 }],
    });
    expect(refusedBatch.status).to.equal(PutMessageStatus.OS_PAGECACHE_BUSY);
    release();
    expect((await stuck).status).to.equal(PutMessageStatus.PUT_OK);
    expect((await early).status).to.equal(PutMessageStatus.PUT_OK);
    expect(store.isOSPageCacheBusy()).to.equal(false);
    const after = await store.putMessage(message('T', 0, 'after'));
    expect(after.status).to.equal(PutMessageStatus.PUT_OK);
    expect(after.appendResult!.queueOffset).to.equal(2); // refused puts took no offset
  });

  it('answers OS_PAGECACHE_BUSY when too many bytes wait for the disk (ASYNC_FLUSH)', async () => {
    open({ osPageCacheBusyUnflushedBytes: 4096, flushIntervalCommitLog: 20 });
    const release = holdFlushes(store);
    let accepted = 0;
    let busy = 0;
    for (let i = 0; i < 200 && busy === 0; i++) {
      const result = await store.putMessage(message('T', 0, 'x'.repeat(300)));
      if (result.status === PutMessageStatus.PUT_OK) accepted++;
      else if (result.status === PutMessageStatus.OS_PAGECACHE_BUSY) busy++;
    }
    expect(busy).to.equal(1);
    expect(accepted).to.be.within(9, 20); // ~4 KiB of ~380-byte records
    release();
    for (let i = 0; i < 100 && store.isOSPageCacheBusy(); i++) await sleep(20); // the fdatasync lands
    expect((await store.putMessage(message('T', 0, 'y'))).status).to.equal(PutMessageStatus.PUT_OK);
    expect(store.getMaxOffsetInQueue('T', 0)).to.equal(accepted + 1);
  });

  it('answers OS_PAGECACHE_BUSY for a while after a commit-log write blocked too long', async () => {
    open({ osPageCacheBusyTimeOutMills: 400 });
    const commitLog = (store as unknown as Internals).commitLog;
    const original = commitLog.commitStaged.bind(commitLog);
    commitLog.commitStaged = () => {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500); // a write stuck in the kernel
      original();
    };
    expect((await store.putMessage(message('T', 0, 'slow'))).status).to.equal(PutMessageStatus.PUT_OK);
    commitLog.commitStaged = original;
    expect((await store.putMessage(message('T', 0, 'x'))).status).to.equal(PutMessageStatus.OS_PAGECACHE_BUSY);
    await sleep(450);
    expect((await store.putMessage(message('T', 0, 'y'))).status).to.equal(PutMessageStatus.PUT_OK);
  });
});

describe('DefaultMessageStore disk full', () => {
  let home: string;
  let store: DefaultMessageStore;

  afterEach(() => {
    store.shutdown();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('refuses with SERVICE_NOT_AVAILABLE above diskSpaceWarningLevelRatio, reads keep working, writes resume', async () => {
    home = tempStoreHome();
    store = openStore(testConfig(home, { diskSpaceWarningLevelRatio: 0.5 }));
    const clean = (store as unknown as Internals).cleanService;
    let usedRatio = 0.2;
    clean.measureDiskUsedRatio = () => usedRatio;
    expect((await store.putMessage(message('T', 0, 'before'))).status).to.equal(PutMessageStatus.PUT_OK);
    usedRatio = 0.6;
    store.deleteExpiredFiles(); // one pass of the clean service measures the disk
    expect(store.isDiskFull()).to.equal(true);
    const refused = await store.putMessage(message('T', 0, 'refused'));
    expect(refused.status).to.equal(PutMessageStatus.SERVICE_NOT_AVAILABLE);
    expect(store.getMessage('g', 'T', 0, 0, 32).messageCount).to.equal(1);
    usedRatio = 0.3;
    await sleep(1050); // a refused put re-measures at most once a second
    const resumed = await store.putMessage(message('T', 0, 'after'));
    expect(resumed.status).to.equal(PutMessageStatus.PUT_OK);
    expect(resumed.appendResult!.queueOffset).to.equal(1);
  });

  it('marks the disk full when a write fails with ENOSPC, nothing half-written stays visible', async () => {
    home = tempStoreHome();
    store = openStore(testConfig(home));
    const internals = store as unknown as Internals;
    internals.cleanService.measureDiskUsedRatio = () => 0.99;
    expect((await store.putMessage(message('T', 0, 'ok'))).status).to.equal(PutMessageStatus.PUT_OK);
    const before = internals.commitLog.writtenPhysicalOffset;
    const original = internals.commitLog.commitStaged.bind(internals.commitLog);
    internals.commitLog.commitStaged = () => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    };
    const failed = await store.putMessage(message('T', 0, 'no room'));
    expect(failed.status).to.equal(PutMessageStatus.UNKNOWN_ERROR);
    expect(store.isDiskFull()).to.equal(true);
    internals.commitLog.commitStaged = original;
    expect((await store.putMessage(message('T', 0, 'x'))).status).to.equal(PutMessageStatus.SERVICE_NOT_AVAILABLE);
    expect(internals.commitLog.writtenPhysicalOffset).to.equal(before);
    expect(store.getMaxOffsetInQueue('T', 0)).to.equal(1);
    internals.cleanService.measureDiskUsedRatio = () => 0.1;
    await sleep(1050);
    const resumed = await store.putMessage(message('T', 0, 'room again'));
    expect(resumed.status).to.equal(PutMessageStatus.PUT_OK);
    expect(resumed.appendResult!.queueOffset).to.equal(1);
    expect(resumed.appendResult!.physicalOffset).to.equal(before);
  });

  it('with the write on the thread pool: a failed write fails its sends and those staged after it', async () => {
    home = tempStoreHome();
    store = openStore(testConfig(home));
    store.commitLogWriteOnThreadPool = true;
    const internals = store as unknown as Internals;
    expect((await store.putMessage(message('T', 0, 'ok'))).status).to.equal(PutMessageStatus.PUT_OK);
    const before = internals.commitLog.writtenPhysicalOffset;
    const segment = (internals.commitLog as unknown as { files: StoreFileQueue }).files.findFile(before)!;
    const original = segment.writeAsync;
    segment.writeAsync = () => Promise.reject(Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' }));
    const failed = store.putMessage(message('T', 0, 'lost'));
    await new Promise((resolve) => setImmediate(resolve)); // its write is in flight
    const stagedAfter = store.putMessage(message('T', 0, 'staged after it'));
    expect((await failed).status).to.equal(PutMessageStatus.UNKNOWN_ERROR);
    expect((await stagedAfter).status).to.equal(PutMessageStatus.UNKNOWN_ERROR);
    segment.writeAsync = original;
    const next = await store.putMessage(message('T', 0, 'next'));
    expect(next.status).to.equal(PutMessageStatus.PUT_OK);
    expect(next.appendResult!.queueOffset, 'queue offsets rewound').to.equal(1);
    expect(next.appendResult!.physicalOffset, 'log offsets rewound').to.equal(before);
  });
});
