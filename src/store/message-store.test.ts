import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeMessageRecord } from '../codec/message/message-record';
import { decodeMessageId } from '../codec/message/message-id';
import { MessageSysFlag } from '../codec/message/message-sys-flag';
import { type DefaultMessageStore, GetMessageStatus, PutMessageStatus } from './message-store';
import { STORE_HOST, message, openStore, tempStoreHome, testConfig } from './store-test-helpers';

describe('DefaultMessageStore append and read', () => {
  let home: string;
  let store: DefaultMessageStore;

  beforeEach(() => {
    home = tempStoreHome();
    store = openStore(testConfig(home));
  });
  afterEach(() => {
    store.shutdown();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('appends a message and reads it back byte for byte', async () => {
    const result = await store.putMessage(message('T', 1, 'hello', 'a'));
    expect(result.status).to.equal(PutMessageStatus.PUT_OK);
    const append = result.appendResult!;
    expect(append.physicalOffset).to.equal(0);
    expect(append.queueOffset).to.equal(0);
    expect(append.msgNum).to.equal(1);
    expect(decodeMessageId(append.msgId)).to.deep.equal({
      storeHost: STORE_HOST,
      physicalOffset: 0,
    });
    const got = store.getMessage('g', 'T', 1, 0, 32);
    expect(got.status).to.equal(GetMessageStatus.FOUND);
    expect(got.messageCount).to.equal(1);
    expect(got.nextBeginOffset).to.equal(1);
    expect([got.minOffset, got.maxOffset]).to.deep.equal([0, 1]);
    const { record } = decodeMessageRecord(got.messageBuffers[0], 0);
    expect(record.body.toString()).to.equal('hello');
    expect(record.topic).to.equal('T');
    expect(record.storeTimestampMs).to.equal(append.storeTimestampMs);
    expect(got.messageBuffers[0]).to.deep.equal(store.lookMessageByOffset(0));
    expect(got.bufferTotalSize).to.equal(append.wroteBytes);
  });

  it('assigns queue offsets per topic/queue and physical offsets in call order', async () => {
    const results = await Promise.all([
      store.putMessage(message('A', 0, 'a0')),
      store.putMessage(message('B', 0, 'b0')),
      store.putMessage(message('A', 0, 'a1')),
      store.putMessage(message('A', 1, 'a1-0')),
    ]);
    expect(results.map((r) => r.appendResult!.queueOffset)).to.deep.equal([0, 0, 1, 0]);
    const physical = results.map((r) => r.appendResult!.physicalOffset);
    expect(physical).to.deep.equal([...physical].sort((a, b) => a - b));
    expect(store.getMaxOffsetInQueue('A', 0)).to.equal(2);
    expect(store.getMaxOffsetInQueue('nope', 0)).to.equal(0);
    expect(store.topics().sort()).to.deep.equal(['A', 'B']);
    expect(store.queueIds('A')).to.deep.equal([0, 1]);
  });

  it('stores a batch as consecutive records', async () => {
    const batch = await store.putMessages({
      topic: 'T',
      queueId: 0,
      sysFlag: 0,
      bornTimestampMs: 1,
      bornHost: STORE_HOST,
      storeHost: STORE_HOST,
      elements: [0, 1, 2].map((i) => ({
        flag: i,
        body: Buffer.from(`m${i}`),
        propertiesString: '',
        tagsCode: 0,
      })),
    });
    expect(batch.status).to.equal(PutMessageStatus.PUT_OK);
    expect(batch.appendResult!.msgNum).to.equal(3);
    const ids = batch.appendResult!.msgId.split(',');
    expect(ids).to.have.length(3);
    const got = store.getMessage('g', 'T', 0, 0, 32);
    expect(got.messageCount).to.equal(3);
    got.messageBuffers.forEach((buffer, i) => {
      const { record } = decodeMessageRecord(buffer, 0);
      expect(record.queueOffset).to.equal(i);
      expect(record.flag).to.equal(i);
      expect(decodeMessageId(ids[i])!.physicalOffset).to.equal(record.physicalOffset);
    });
  });

  it('does not dispatch PREPARED and ROLLBACK records', async () => {
    const prepared = {
      ...message('T', 0, 'half'),
      sysFlag: MessageSysFlag.TRANSACTION_PREPARED_TYPE,
    };
    const result = await store.putMessage(prepared);
    expect(result.appendResult!.queueOffset).to.equal(0);
    expect(store.getMaxOffsetInQueue('T', 0)).to.equal(0);
    const committed = await store.putMessage({
      ...message('T', 0, 'c'),
      sysFlag: MessageSysFlag.TRANSACTION_COMMIT_TYPE,
    });
    expect(committed.appendResult!.queueOffset).to.equal(0);
    expect(store.getMaxOffsetInQueue('T', 0)).to.equal(1);
    expect(
      decodeMessageRecord(store.lookMessageByOffset(result.appendResult!.physicalOffset)!, 0).record.body.toString(),
    ).to.equal('half');
  });

  it('rejects oversized messages without storing anything', async () => {
    const tooBig = await store.putMessage(message('T', 0, Buffer.alloc(32 * 1024)));
    expect(tooBig.status).to.equal(PutMessageStatus.MESSAGE_ILLEGAL);
    const longTopic = await store.putMessage(message('x'.repeat(128), 0, 'a'));
    expect(longTopic.status).to.equal(PutMessageStatus.MESSAGE_ILLEGAL);
    for (const topic of ['', '..', 'a/b', 'a\\b', 'nul\u0000']) {
      expect((await store.putMessage(message(topic, 0, 'a'))).status, topic).to.equal(PutMessageStatus.MESSAGE_ILLEGAL);
    }
    const props = await store.putMessage(message('T', 0, 'a', undefined, `K\u0001${'v'.repeat(32766)}\u0002`));
    expect(props.status).to.equal(PutMessageStatus.PROPERTIES_SIZE_EXCEEDED);
    expect(store.getMaxPhyOffset()).to.equal(0);
    const ok = await store.putMessage(message('T', 0, Buffer.alloc(32 * 1024 - 200)));
    expect(ok.status).to.equal(PutMessageStatus.PUT_OK);
  });

  it('rolls over to new segments with a blank filler', async () => {
    const body = Buffer.alloc(5000, 1);
    const results = [];
    for (let i = 0; i < 40; i++) results.push(await store.putMessage(message('T', 0, body)));
    const files = fs.readdirSync(path.join(home, 'store', 'commitlog')).sort();
    expect(files.length).to.be.greaterThan(2);
    expect(files[1]).to.equal(String(64 * 1024).padStart(20, '0'));
    for (const name of files) expect(fs.statSync(path.join(home, 'store', 'commitlog', name)).size).to.equal(64 * 1024);
    for (const result of results) {
      const { physicalOffset, wroteBytes } = result.appendResult!;
      expect(Math.floor(physicalOffset / 65536)).to.equal(Math.floor((physicalOffset + wroteBytes - 1) / 65536));
    }
    const firstSegment = fs.readFileSync(path.join(home, 'store', 'commitlog', files[0]));
    const blankAt = results
      .filter((r) => r.appendResult!.physicalOffset < 65536)
      .map((r) => r.appendResult!.physicalOffset + r.appendResult!.wroteBytes)
      .pop()!;
    expect(firstSegment.readInt32BE(blankAt)).to.equal(65536 - blankAt);
    expect(firstSegment.readInt32BE(blankAt + 4)).to.equal(0xcbd43194 | 0);
    let next = 0;
    let count = 0;
    for (;;) {
      const got = store.getMessage('g', 'T', 0, next, 32);
      if (got.status !== GetMessageStatus.FOUND) break;
      count += got.messageCount;
      next = got.nextBeginOffset;
    }
    expect(count).to.equal(40);
  });

  it('tells arriving listeners after the unit is readable', async () => {
    const seen: Array<[string, number, number, number]> = [];
    store.onMessageArriving((topic, queueId, maxOffset, tagsCode) => {
      expect(store.getMaxOffsetInQueue(topic, queueId)).to.be.at.least(maxOffset);
      seen.push([topic, queueId, maxOffset, tagsCode]);
    });
    await store.putMessage(message('T', 3, 'x', 'tagA'));
    await store.putMessage(message('T', 3, 'y'));
    expect(seen).to.deep.equal([
      ['T', 3, 1, 'tagA'.split('').reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) | 0, 0)],
      ['T', 3, 2, 0],
    ]);
  });

  it('tells the write-scheduled listener once per write, in the turn the sends came in, before the write runs', async () => {
    const order: string[] = [];
    store.onWriteScheduled(() => {
      order.push('scheduled');
      setImmediate(() => order.push('immediate after'));
    });
    const puts = [store.putMessage(message('T', 0, 'a')), store.putMessage(message('T', 0, 'b'))];
    expect(order, 'scheduled once for both sends, synchronously').to.deep.equal(['scheduled']);
    await Promise.all(puts).then(() => order.push('answered'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(order, 'the write ran (and answered) before an immediate scheduled after it').to.deep.equal([
      'scheduled',
      'answered',
      'immediate after',
    ]);
  });

  it('with the write on the thread pool, stages the next turns while one is in flight and writes them after it', async () => {
    store.commitLogWriteOnThreadPool = true;
    const first = [store.putMessage(message('T', 0, 'a')), store.putMessage(message('T', 1, 'b'))];
    await new Promise((resolve) => setImmediate(resolve)); // the first write is on the thread pool now
    expect((store as unknown as { commitLog: { writeInFlight: boolean } }).commitLog.writeInFlight).to.equal(true);
    const second = [store.putMessage(message('T', 0, 'c')), store.putMessage(message('T', 1, 'd'))];
    const results = await Promise.all([...first, ...second]);
    const offsets = results.map((result) => result.appendResult!.physicalOffset);
    expect(offsets).to.deep.equal([...offsets].sort((a, b) => a - b));
    expect(results.map((result) => result.status)).to.deep.equal(Array(4).fill(PutMessageStatus.PUT_OK));
    const bodies = results.map((result) => {
      const record = store.lookMessageByOffset(result.appendResult!.physicalOffset);
      return record === null ? null : decodeMessageRecord(record, 0).record.body.toString();
    });
    expect(bodies).to.deep.equal(['a', 'b', 'c', 'd']);
    const pending = store.putMessage(message('T', 0, 'e'));
    store.shutdown(); // settles the write in flight and the staged one synchronously
    expect((await pending).status).to.equal(PutMessageStatus.PUT_OK);
  });

  it('returns null for bogus lookups instead of throwing', async () => {
    await store.putMessage(message('T', 0, 'hello'));
    for (const offset of [-1, 1, 50, 103, 104, 1e12, Number.NaN, 2 ** 60]) {
      expect(store.lookMessageByOffset(offset), String(offset)).to.equal(null);
    }
  });

  it('answers SERVICE_NOT_AVAILABLE after shutdown', async () => {
    store.shutdown();
    expect((await store.putMessage(message('T', 0, 'x'))).status).to.equal(PutMessageStatus.SERVICE_NOT_AVAILABLE);
    expect(fs.existsSync(path.join(home, 'store', 'abort'))).to.equal(false);
  });
});
