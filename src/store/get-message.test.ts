import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { javaStringHashCode } from '../codec/java-hash';
import { decodeMessageRecord } from '../codec/message/message-record';
import { type DefaultMessageStore, GetMessageStatus } from './message-store';
import { message, openStore, tempStoreHome, testConfig } from './store-test-helpers';

describe('DefaultMessageStore.getMessage decision table', () => {
  let home: string;
  let store: DefaultMessageStore;

  async function fill(
    topic: string,
    queueId: number,
    count: number,
    tagsOf: (i: number) => string | undefined = () => undefined,
    bodyBytes = 10,
  ): Promise<void> {
    for (let i = 0; i < count; i++)
      await store.putMessage(message(topic, queueId, Buffer.alloc(bodyBytes, i & 0xff), tagsOf(i)));
  }

  beforeEach(() => {
    home = tempStoreHome();
    store = openStore(testConfig(home, { mappedFileSizeCommitLog: 1024 * 1024 }));
  });
  afterEach(() => {
    store.shutdown();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('NO_MATCHED_LOGIC_QUEUE for a queue that does not exist', () => {
    const got = store.getMessage('g', 'missing', 0, 5, 32);
    expect(got).to.include({
      status: GetMessageStatus.NO_MATCHED_LOGIC_QUEUE,
      nextBeginOffset: 0,
      messageCount: 0,
    });
  });

  it('NO_MESSAGE_IN_QUEUE for a queue with no units', () => {
    store.shutdown();
    fs.mkdirSync(path.join(home, 'store', 'consumequeue', 'E', '0'), { recursive: true });
    store = openStore(testConfig(home, { mappedFileSizeCommitLog: 1024 * 1024 }));
    const got = store.getMessage('g', 'E', 0, 3, 32);
    expect(got).to.include({
      status: GetMessageStatus.NO_MESSAGE_IN_QUEUE,
      nextBeginOffset: 0,
      maxOffset: 0,
    });
  });

  it('OFFSET_OVERFLOW_ONE at the end, OFFSET_OVERFLOW_BADLY past it', async () => {
    await fill('T', 0, 3);
    expect(store.getMessage('g', 'T', 0, 3, 32)).to.include({
      status: GetMessageStatus.OFFSET_OVERFLOW_ONE,
      nextBeginOffset: 3,
    });
    // min == 0: the consumer is sent back to the start.
    expect(store.getMessage('g', 'T', 0, 10, 32)).to.include({
      status: GetMessageStatus.OFFSET_OVERFLOW_BADLY,
      nextBeginOffset: 0,
    });
  });

  it('FOUND honours maxMsgNums and returns the next offset', async () => {
    await fill('T', 0, 10);
    const got = store.getMessage('g', 'T', 0, 2, 5);
    expect(got).to.include({
      status: GetMessageStatus.FOUND,
      messageCount: 5,
      nextBeginOffset: 7,
      minOffset: 0,
      maxOffset: 10,
    });
    got.messageBuffers.forEach((buffer, i) =>
      expect(decodeMessageRecord(buffer, 0).record.queueOffset).to.equal(2 + i),
    );
  });

  it('caps a batch at 32 messages in memory', async () => {
    await fill('T', 0, 40);
    expect(store.getMessage('g', 'T', 0, 0, 64).messageCount).to.equal(32);
  });

  it('caps a batch at maxTransferBytesOnMessageInMemory, but returns at least one message', async () => {
    await fill('T', 0, 10, () => undefined, 30000);
    const got = store.getMessage('g', 'T', 0, 0, 32);
    expect(got.messageCount).to.equal(8);
    expect(got.bufferTotalSize).to.be.at.most(256 * 1024);
    expect(got.nextBeginOffset).to.equal(8);
  });

  it('skips non-matching tags but counts them in nextBeginOffset', async () => {
    await fill('T', 0, 6, (i) => (i % 3 === 2 ? 'b' : 'a'));
    const wanted = javaStringHashCode('b');
    const got = store.getMessage('g', 'T', 0, 0, 32, (tagsCode) => tagsCode === wanted);
    expect(got).to.include({ status: GetMessageStatus.FOUND, messageCount: 2, nextBeginOffset: 6 });
    expect(got.messageBuffers.map((b) => decodeMessageRecord(b, 0).record.queueOffset)).to.deep.equal([2, 5]);
  });

  it('scans past the first chunk of units for a sparse tag, at most 800 units per pull', async () => {
    store.shutdown();
    store = openStore(
      testConfig(home, { mappedFileSizeCommitLog: 1024 * 1024, mappedFileSizeConsumeQueue: 2000 * 20 }),
    );
    await fill('T', 0, 1000, (i) => (i % 97 === 96 ? 'rare' : 'common'));
    const rare = javaStringHashCode('rare');
    const got = store.getMessage('g', 'T', 0, 0, 32, (tagsCode) => tagsCode === rare);
    // 800 units scanned (Java's 16000 bytes); the rare ones among them, in order
    expect(got).to.include({ status: GetMessageStatus.FOUND, messageCount: 8, nextBeginOffset: 800 });
    expect(got.messageBuffers.map((b) => decodeMessageRecord(b, 0).record.queueOffset)).to.deep.equal([
      96, 193, 290, 387, 484, 581, 678, 775,
    ]);
    const rest = store.getMessage('g', 'T', 0, 800, 32, (tagsCode) => tagsCode === rare);
    expect(rest).to.include({ messageCount: 2, nextBeginOffset: 1000 });
    const none = store.getMessage('g', 'T', 0, 0, 32, () => false);
    expect(none).to.include({ status: GetMessageStatus.NO_MATCHED_MESSAGE, nextBeginOffset: 800 });
    const all = store.getMessage('g', 'T', 0, 990, 32);
    expect(all).to.include({ messageCount: 10, nextBeginOffset: 1000 });
  });

  it('NO_MATCHED_MESSAGE when nothing scanned matches', async () => {
    await fill('T', 0, 4, () => 'a');
    const got = store.getMessage('g', 'T', 0, 1, 32, () => false);
    expect(got).to.include({
      status: GetMessageStatus.NO_MATCHED_MESSAGE,
      messageCount: 0,
      nextBeginOffset: 4,
    });
  });

  it('stops at the end of a consume-queue file', async () => {
    await fill('T', 0, 130);
    const first = store.getMessage('g', 'T', 0, 95, 32);
    expect(first).to.include({
      status: GetMessageStatus.FOUND,
      messageCount: 5,
      nextBeginOffset: 100,
    });
    const second = store.getMessage('g', 'T', 0, 100, 32);
    expect(second).to.include({ messageCount: 30, nextBeginOffset: 130 });
    await store.flush(); // the units reach their files
    expect(fs.readdirSync(path.join(home, 'store', 'consumequeue', 'T', '0')).sort()).to.deep.equal([
      '00000000000000000000',
      '00000000000000002000',
    ]);
  });

  it('reads records interleaved with other queues', async () => {
    for (let i = 0; i < 20; i++) {
      await store.putMessage(message('T', i % 2, `m${i}`));
    }
    const got = store.getMessage('g', 'T', 1, 0, 32);
    expect(got.messageBuffers.map((b) => decodeMessageRecord(b, 0).record.body.toString())).to.deep.equal(
      [1, 3, 5, 7, 9, 11, 13, 15, 17, 19].map((i) => `m${i}`),
    );
    for (const buffer of got.messageBuffers) expect(buffer.length).to.equal(buffer.readInt32BE(0));
  });
});

describe('DefaultMessageStore expired files', () => {
  let home: string;
  let store: DefaultMessageStore;

  beforeEach(() => {
    home = tempStoreHome();
    store = openStore(
      testConfig(home, {
        mappedFileSizeCommitLog: 16 * 1024,
        mappedFileSizeConsumeQueue: 20 * 20,
        deleteWhen: '99',
        diskMaxUsedSpaceRatio: 100,
      }),
    );
  });
  afterEach(() => {
    store.shutdown();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('deletes old segments, then OFFSET_TOO_SMALL sends consumers to the new minimum', async () => {
    for (let i = 0; i < 100; i++) await store.putMessage(message('T', 0, Buffer.alloc(1000, 1)));
    expect(store.deleteExpiredFiles(Date.now())).to.equal(0); // not old enough, not the delete hour
    store.executeDeleteFilesManually();
    const deleted = store.deleteExpiredFiles(Date.now() + 73 * 3600 * 1000);
    expect(deleted).to.be.greaterThan(3);
    const minQueueOffset = store.getMinOffsetInQueue('T', 0);
    expect(minQueueOffset).to.be.greaterThan(0);
    expect(store.getMinPhyOffset()).to.be.greaterThan(0);
    const tooSmall = store.getMessage('g', 'T', 0, 0, 32);
    expect(tooSmall).to.include({
      status: GetMessageStatus.OFFSET_TOO_SMALL,
      nextBeginOffset: minQueueOffset,
    });
    const found = store.getMessage('g', 'T', 0, minQueueOffset, 32);
    expect(found.status).to.equal(GetMessageStatus.FOUND);
    expect(decodeMessageRecord(found.messageBuffers[0], 0).record.queueOffset).to.equal(minQueueOffset);
    expect(store.getMessage('g', 'T', 0, 1000, 32)).to.include({
      status: GetMessageStatus.OFFSET_OVERFLOW_BADLY,
      nextBeginOffset: 100,
    });
  });
});
