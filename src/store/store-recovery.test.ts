import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import { decodeMessageRecord } from '../codec/message/message-record';
import { DefaultMessageStore, GetMessageStatus, PutMessageStatus } from './message-store';
import { MessageStoreConfig } from './message-store-config';
import { message, openStore, tempStoreHome, testConfig } from './store-test-helpers';

interface Written {
  physicalOffset: number;
  sizeBytes: number;
}

function readAll(store: DefaultMessageStore, topic: string, queueId: number): string[] {
  const bodies: string[] = [];
  let next = store.getMinOffsetInQueue(topic, queueId);
  for (;;) {
    const got = store.getMessage('g', topic, queueId, next, 32);
    if (got.status !== GetMessageStatus.FOUND) return bodies;
    for (const buffer of got.messageBuffers)
      bodies.push(decodeMessageRecord(buffer, 0).record.body.toString());
    next = got.nextBeginOffset;
  }
}

function segmentPath(
  config: MessageStoreConfig,
  physicalOffset: number,
): { file: string; position: number } {
  const start = physicalOffset - (physicalOffset % config.mappedFileSizeCommitLog);
  return {
    file: path.join(config.storePathCommitLog, String(start).padStart(20, '0')),
    position: physicalOffset - start,
  };
}

function patchFile(file: string, position: number, bytes: Buffer): void {
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, bytes, 0, bytes.length, position);
  fs.closeSync(fd);
}

describe('DefaultMessageStore restart and recovery', () => {
  let home: string;
  let config: MessageStoreConfig;
  let store: DefaultMessageStore;

  async function writeMessages(
    count: number,
    topic = 'T',
    queueId = 0,
    first = 0,
  ): Promise<Written[]> {
    const written: Written[] = [];
    for (let i = first; i < first + count; i++) {
      const result = await store.putMessage(
        message(topic, queueId, `body-${i}-${'x'.repeat(i % 50)}`, `tag${i % 3}`),
      );
      expect(result.status).to.equal(PutMessageStatus.PUT_OK);
      written.push({
        physicalOffset: result.appendResult!.physicalOffset,
        sizeBytes: result.appendResult!.wroteBytes,
      });
    }
    return written;
  }

  const expectedBodies = (count: number) =>
    Array.from({ length: count }, (_, i) => `body-${i}-${'x'.repeat(i % 50)}`);

  beforeEach(() => {
    home = tempStoreHome();
    // No background flushes: each test decides what the checkpoint covers (store.flush()).
    config = testConfig(home, {
      mappedFileSizeCommitLog: 8 * 1024,
      flushIntervalCommitLog: 3600000,
      flushIntervalConsumeQueue: 3600000,
    });
    store = openStore(config);
  });
  afterEach(() => {
    store.shutdown();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('keeps everything across a clean restart', async () => {
    const written = await writeMessages(200);
    await writeMessages(10, 'U', 3);
    const maxPhyOffset = store.getMaxPhyOffset();
    store.shutdown();
    expect(fs.existsSync(path.join(config.storePathRootDir, 'abort'))).to.equal(false);
    const checkpoint = fs.readFileSync(path.join(config.storePathRootDir, 'checkpoint'));
    expect(checkpoint.length).to.equal(4096);
    expect(Number(checkpoint.readBigInt64BE(0))).to.be.greaterThan(1600000000000);
    store = openStore(config);
    expect(store.getMaxPhyOffset()).to.equal(maxPhyOffset);
    expect(store.getMaxOffsetInQueue('T', 0)).to.equal(200);
    expect(store.getMaxOffsetInQueue('U', 3)).to.equal(10);
    expect(readAll(store, 'T', 0)).to.deep.equal(expectedBodies(200));
    const next = await store.putMessage(message('T', 0, 'after'));
    expect(next.appendResult!.queueOffset).to.equal(200);
    expect(next.appendResult!.physicalOffset).to.be.at.least(
      written[199].physicalOffset + written[199].sizeBytes,
    );
  });

  it('keeps everything after a kill (abort left, nothing flushed on purpose)', async () => {
    await writeMessages(120);
    store.haltWithoutCleanup();
    expect(fs.existsSync(path.join(config.storePathRootDir, 'abort'))).to.equal(true);
    store = openStore(config);
    expect(store.getMaxOffsetInQueue('T', 0)).to.equal(120);
    expect(readAll(store, 'T', 0)).to.deep.equal(expectedBodies(120));
  });

  // Ways the tail of a segment looks after a torn write, a lost page or garbage. Each gets the
  // bytes of the last record written (and the 64 bytes after it) to spoil.
  const damages: Array<[string, (bytes: Buffer, sizeBytes: number) => void]> = [
    ['a header cut after TOTALSIZE', (bytes) => bytes.fill(0, 4)],
    ['a truncated header', (bytes) => bytes.fill(0, 10)],
    ['a truncated body', (bytes, size) => bytes.fill(0, size - 30)],
    // (the last body byte: properties are not covered by BODYCRC, in Java's format either)
    ['a torn write losing the last body byte', (bytes, size) => bytes.fill(0, size - 15)],
    [
      'a bad body CRC',
      (bytes, size) => {
        bytes[size - 30] ^= 0xff;
      },
    ],
    ['zero fill', (bytes) => bytes.fill(0)],
    [
      'random bytes',
      (bytes) => {
        for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) & 0xff;
      },
    ],
    ['a wrong TOTALSIZE', (bytes, size) => bytes.writeInt32BE(size + 3, 0)],
    ['a wrong MAGICCODE', (bytes) => bytes.writeInt32BE(0x12345678, 4)],
    [
      'a stale record from an older log (wrong PHYSICALOFFSET)',
      (bytes) => bytes.writeBigInt64BE(bytes.readBigInt64BE(28) + 4096n, 28),
    ],
    [
      'garbage after zeros',
      (bytes, size) => {
        bytes.fill(0, 0, size);
        bytes.fill(0xab, size);
      },
    ],
  ];

  for (const [name, damage] of damages) {
    for (const checkpointed of [false, true]) {
      const when = checkpointed ? 'behind a checkpoint' : 'without a checkpoint';
      it(`cuts the log at the last good record after a crash with ${name} (${when})`, async () => {
        const early = await writeMessages(20);
        if (checkpointed) await store.flush();
        const written = [...early, ...(await writeMessages(30, 'T', 0, 20))];
        const last = written[written.length - 1];
        store.haltWithoutCleanup();
        const { file, position } = segmentPath(config, last.physicalOffset);
        const segment = fs.readFileSync(file);
        const bytes = segment.subarray(position, Math.min(segment.length, position + last.sizeBytes + 64));
        damage(bytes, last.sizeBytes);
        patchFile(file, position, bytes);
        store = openStore(config);
        const checkedFrom = store.recovery!.checkedFromPhysicalOffset;
        if (checkpointed) expect(checkedFrom).to.equal(early[19].physicalOffset + early[19].sizeBytes);
        else expect(checkedFrom % config.mappedFileSizeCommitLog).to.equal(0);
        expect(store.getMaxPhyOffset()).to.equal(last.physicalOffset);
        expect(store.getMaxOffsetInQueue('T', 0)).to.equal(49);
        expect(readAll(store, 'T', 0)).to.deep.equal(expectedBodies(49));
        expect(store.lookMessageByOffset(last.physicalOffset)).to.equal(null);
        const rest = fs.readFileSync(file).subarray(position);
        expect(rest.equals(Buffer.alloc(rest.length))).to.equal(true); // cut = zeroed to the end
        const again = await store.putMessage(message('T', 0, 'replacement'));
        expect(again.appendResult).to.include({
          queueOffset: 49,
          physicalOffset: last.physicalOffset,
        });
        store.shutdown();
        store = openStore(config);
        expect(readAll(store, 'T', 0)).to.deep.equal([...expectedBodies(49), 'replacement']);
      });
    }
  }

  it('cuts everything after damage in an earlier segment', async () => {
    const written = await writeMessages(100);
    store.haltWithoutCleanup();
    const victim = written[20];
    const { file, position } = segmentPath(config, victim.physicalOffset);
    patchFile(file, position + 4, Buffer.from([0, 0, 0, 0]));
    store = openStore(config);
    expect(store.getMaxPhyOffset()).to.equal(victim.physicalOffset);
    expect(store.getMaxOffsetInQueue('T', 0)).to.equal(20);
    const segments = fs.readdirSync(config.storePathCommitLog);
    expect(segments.length).to.equal(
      Math.floor(victim.physicalOffset / config.mappedFileSizeCommitLog) + 1,
    );
  });

  it('rebuilds a lost consume queue from the commit log after a crash', async () => {
    await writeMessages(150);
    await store.flush(); // units on disk, so there are files to lose
    store.haltWithoutCleanup();
    fs.rmSync(path.join(config.storePathRootDir, 'consumequeue'), { recursive: true });
    store = openStore(config);
    expect(store.getMaxOffsetInQueue('T', 0)).to.equal(150);
    expect(readAll(store, 'T', 0)).to.deep.equal(expectedBodies(150));
  });

  it('rebuilds missing tail units after a crash', async () => {
    await writeMessages(150);
    await store.flush(); // units on disk, so there are files to lose
    store.haltWithoutCleanup();
    const cqDir = path.join(config.storePathRootDir, 'consumequeue', 'T', '0');
    const cqFile = path.join(cqDir, '00000000000000002000'); // units 100.. (100 units per file)
    fs.rmSync(cqFile);
    const first = path.join(cqDir, '00000000000000000000');
    const fd = fs.openSync(first, 'r+');
    fs.writeSync(fd, Buffer.alloc(40 * 20), 0, 40 * 20, 60 * 20); // zero units 60..99
    fs.closeSync(fd);
    store = openStore(config);
    expect(store.getMaxOffsetInQueue('T', 0)).to.equal(150);
    expect(readAll(store, 'T', 0)).to.deep.equal(expectedBodies(150));
  });

  it('rebuilds a queue whose oldest segments are gone, with Java pre-blank units in front', async () => {
    await writeMessages(150);
    store.executeDeleteFilesManually();
    expect(store.deleteExpiredFiles(Date.now() + 100 * 3600 * 1000)).to.be.greaterThan(0);
    const minQueueOffset = store.getMinOffsetInQueue('T', 0);
    expect(minQueueOffset).to.be.greaterThan(0);
    await store.flush(); // units on disk, so there are files to lose
    store.haltWithoutCleanup();
    fs.rmSync(path.join(config.storePathRootDir, 'consumequeue'), { recursive: true });
    store = openStore(config);
    expect(store.getMinOffsetInQueue('T', 0)).to.equal(minQueueOffset);
    expect(store.getMaxOffsetInQueue('T', 0)).to.equal(150);
    expect(readAll(store, 'T', 0)).to.deep.equal(expectedBodies(150).slice(minQueueOffset));
    expect(store.getMessage('g', 'T', 0, 0, 32)).to.include({
      status: GetMessageStatus.OFFSET_TOO_SMALL,
      nextBeginOffset: minQueueOffset,
    });
    const fileStart = minQueueOffset - (minQueueOffset % 100);
    const cqName = String(fileStart * 20).padStart(20, '0');
    const cq = fs.readFileSync(
      path.join(config.storePathRootDir, 'consumequeue', 'T', '0', cqName),
    );
    for (let unit = 0; unit < minQueueOffset - fileStart; unit++) {
      expect(cq.readBigInt64BE(unit * 20)).to.equal(0n);
      expect(cq.readInt32BE(unit * 20 + 8)).to.equal(0x7fffffff);
    }
    store.shutdown();
    store = openStore(config);
    expect(store.getMinOffsetInQueue('T', 0)).to.equal(minQueueOffset);
    expect(store.getMaxOffsetInQueue('T', 0)).to.equal(150);
  });

  it('drops consume-queue units that point past the recovered log end', async () => {
    const written = await writeMessages(30);
    store.haltWithoutCleanup();
    const { file, position } = segmentPath(config, written[25].physicalOffset);
    const fd = fs.openSync(file, 'r+');
    fs.ftruncateSync(fd, position);
    fs.ftruncateSync(fd, config.mappedFileSizeCommitLog);
    fs.closeSync(fd);
    for (const later of fs.readdirSync(config.storePathCommitLog)) {
      if (Number(later) > Number(path.basename(file)))
        fs.rmSync(path.join(config.storePathCommitLog, later));
    }
    store = openStore(config);
    expect(store.getMaxOffsetInQueue('T', 0)).to.equal(25);
    expect(readAll(store, 'T', 0)).to.deep.equal(expectedBodies(25));
    const cq = fs.readFileSync(
      path.join(config.storePathRootDir, 'consumequeue', 'T', '0', '00000000000000000000'),
    );
    expect(cq.subarray(25 * 20, 30 * 20).equals(Buffer.alloc(100))).to.equal(true);
  });

  it('recovers a clean store that ends exactly at a segment boundary', async () => {
    await writeMessages(60);
    store.shutdown();
    store = openStore(config);
    const before = store.getMaxPhyOffset();
    store.shutdown();
    store = openStore(config);
    expect(store.getMaxPhyOffset()).to.equal(before);
    expect(readAll(store, 'T', 0)).to.deep.equal(expectedBodies(60));
  });

  it('refuses to load a commit log with a wrongly sized middle segment', async () => {
    await writeMessages(100);
    store.shutdown();
    fs.truncateSync(path.join(config.storePathCommitLog, '00000000000000000000'), 100);
    const broken = new DefaultMessageStore(config);
    expect(broken.load()).to.equal(false);
    fs.truncateSync(
      path.join(config.storePathCommitLog, '00000000000000000000'),
      config.mappedFileSizeCommitLog,
    );
    store = openStore(config);
  });
});
