import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeMessageRecord } from '../codec/message/message-record';
import { DefaultMessageStore, GetMessageStatus, PutMessageStatus } from './message-store';
import type { MessageStoreConfig } from './message-store-config';
import type { StoreCheckpoint } from './store-checkpoint';
import { message, useTempStore } from './store-test-helpers';
import { storeProgressSink } from '../common/progress-log';

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
    for (const buffer of got.messageBuffers) bodies.push(decodeMessageRecord(buffer, 0).record.body.toString());
    next = got.nextBeginOffset;
  }
}

function segmentPath(config: MessageStoreConfig, physicalOffset: number): { file: string; position: number } {
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
  // No background flushes: each test decides what the checkpoint covers (store.flush()).
  const fx = useTempStore({
    mappedFileSizeCommitLog: 8 * 1024,
    flushIntervalCommitLog: 3600000,
    flushIntervalConsumeQueue: 3600000,
  });

  async function writeMessages(count: number, topic = 'T', queueId = 0, first = 0): Promise<Written[]> {
    const written: Written[] = [];
    for (let i = first; i < first + count; i++) {
      const result = await fx.store.putMessage(
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

  const expectedBodies = (count: number) => Array.from({ length: count }, (_, i) => `body-${i}-${'x'.repeat(i % 50)}`);

  it('keeps everything across a clean restart', async () => {
    const written = await writeMessages(200);
    await writeMessages(10, 'U', 3);
    const maxPhyOffset = fx.store.getMaxPhyOffset();
    fx.close('clean');
    expect(fs.existsSync(path.join(fx.config().storePathRootDir, 'abort'))).to.equal(false);
    const checkpoint = fs.readFileSync(path.join(fx.config().storePathRootDir, 'checkpoint'));
    expect(checkpoint.length).to.equal(4096);
    expect(Number(checkpoint.readBigInt64BE(0))).to.be.greaterThan(1600000000000);
    fx.open();
    expect(fx.store.getMaxPhyOffset()).to.equal(maxPhyOffset);
    expect(fx.store.getMaxOffsetInQueue('T', 0)).to.equal(200);
    expect(fx.store.getMaxOffsetInQueue('U', 3)).to.equal(10);
    expect(readAll(fx.store, 'T', 0)).to.deep.equal(expectedBodies(200));
    const next = await fx.store.putMessage(message('T', 0, 'after'));
    expect(next.appendResult!.queueOffset).to.equal(200);
    expect(next.appendResult!.physicalOffset).to.be.at.least(written[199].physicalOffset + written[199].sizeBytes);
  });

  it('keeps everything after a kill (abort left, nothing flushed on purpose)', async () => {
    await writeMessages(120);
    fx.close('kill');
    expect(fs.existsSync(path.join(fx.config().storePathRootDir, 'abort'))).to.equal(true);
    fx.open();
    expect(fx.store.getMaxOffsetInQueue('T', 0)).to.equal(120);
    expect(readAll(fx.store, 'T', 0)).to.deep.equal(expectedBodies(120));
  });

  it('prints progress lines while it recovers (every intervalMs; 5 s outside tests)', async () => {
    await writeMessages(1200);
    fx.close('kill');
    const lines: string[] = [];
    const saved = { ...storeProgressSink };
    Object.assign(storeProgressSink, { intervalMs: 0, print: (line: string) => lines.push(line) });
    try {
      fx.open();
    } finally {
      Object.assign(storeProgressSink, saved);
    }
    expect(fx.store.getMaxOffsetInQueue('T', 0)).to.equal(1200);
    const steps = lines.filter((l) => /^recovering commit log .*: \d+\/\d+ bytes \(\d+\.\d%\), \d+\.\d s$/.test(l));
    expect(steps.length, lines.join('\n')).to.be.at.least(3);
    expect(lines[lines.length - 1]).to.match(/^recovering commit log .*: done in \d+\.\d s, log ends at \d+$/);
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
        if (checkpointed) await fx.store.flush();
        const written = [...early, ...(await writeMessages(30, 'T', 0, 20))];
        const last = written[written.length - 1];
        fx.close('kill');
        const { file, position } = segmentPath(fx.config(), last.physicalOffset);
        const segment = fs.readFileSync(file);
        const bytes = segment.subarray(position, Math.min(segment.length, position + last.sizeBytes + 64));
        damage(bytes, last.sizeBytes);
        patchFile(file, position, bytes);
        fx.open();
        const checkedFrom = fx.store.recovery!.checkedFromPhysicalOffset;
        if (checkpointed) expect(checkedFrom).to.equal(early[19].physicalOffset + early[19].sizeBytes);
        else expect(checkedFrom % fx.config().mappedFileSizeCommitLog).to.equal(0);
        expect(fx.store.getMaxPhyOffset()).to.equal(last.physicalOffset);
        expect(fx.store.getMaxOffsetInQueue('T', 0)).to.equal(49);
        expect(readAll(fx.store, 'T', 0)).to.deep.equal(expectedBodies(49));
        expect(fx.store.lookMessageByOffset(last.physicalOffset)).to.equal(null);
        const rest = fs.readFileSync(file).subarray(position);
        expect(rest.equals(Buffer.alloc(rest.length))).to.equal(true); // cut = zeroed to the end
        const again = await fx.store.putMessage(message('T', 0, 'replacement'));
        expect(again.appendResult).to.include({
          queueOffset: 49,
          physicalOffset: last.physicalOffset,
        });
        fx.reopen('clean');
        expect(readAll(fx.store, 'T', 0)).to.deep.equal([...expectedBodies(49), 'replacement']);
      });
    }
  }

  it('cuts everything after damage in an earlier segment', async () => {
    const written = await writeMessages(100);
    fx.close('kill');
    const victim = written[20];
    const { file, position } = segmentPath(fx.config(), victim.physicalOffset);
    patchFile(file, position + 4, Buffer.from([0, 0, 0, 0]));
    fx.open();
    expect(fx.store.getMaxPhyOffset()).to.equal(victim.physicalOffset);
    expect(fx.store.getMaxOffsetInQueue('T', 0)).to.equal(20);
    const segments = fs.readdirSync(fx.config().storePathCommitLog);
    expect(segments.length).to.equal(Math.floor(victim.physicalOffset / fx.config().mappedFileSizeCommitLog) + 1);
  });

  it('rebuilds a lost consume queue from the commit log after a crash', async () => {
    await writeMessages(150);
    await fx.store.flush(); // units on disk, so there are files to lose
    fx.close('kill');
    fs.rmSync(path.join(fx.config().storePathRootDir, 'consumequeue'), { recursive: true });
    fx.open();
    expect(fx.store.getMaxOffsetInQueue('T', 0)).to.equal(150);
    expect(readAll(fx.store, 'T', 0)).to.deep.equal(expectedBodies(150));
  });

  it('after losing the log tail its queues had flushed (power loss), keeps the checkpoint inside the log', async () => {
    const written = await writeMessages(60);
    await fx.store.flush(); // units and checkpoint on disk up to the log end
    fx.close('kill');
    // The commit log was synced only up to record 30 when the checkpoint was written, and its
    // records from 40 on never reached the disk; the queues' units did (checkpoint logics offset).
    const cut = written[40];
    const { file, position } = segmentPath(fx.config(), cut.physicalOffset);
    fs.truncateSync(file, position);
    const page = fs.readFileSync(path.join(fx.config().storePathRootDir, 'checkpoint'));
    page.writeBigInt64BE(BigInt(written[30].physicalOffset), 48); // PHYSICOFFSET (ours)
    expect(Number(page.readBigInt64BE(56))).to.be.greaterThan(cut.physicalOffset); // LOGICSOFFSET
    fs.writeFileSync(path.join(fx.config().storePathRootDir, 'checkpoint'), page);
    fx.open();
    expect(fx.store.getMaxPhyOffset()).to.equal(cut.physicalOffset);
    expect(fx.store.getMaxOffsetInQueue('T', 0)).to.equal(40);
    const held = (fx.store as unknown as { checkpoint: StoreCheckpoint }).checkpoint;
    expect(held.logicsOffset).to.be.at.most(cut.physicalOffset);
    expect(held.recoveryOffset()).to.be.at.most(cut.physicalOffset);
  });

  it('rebuilds missing tail units after a crash', async () => {
    await writeMessages(150);
    await fx.store.flush(); // units on disk, so there are files to lose
    fx.close('kill');
    const cqDir = path.join(fx.config().storePathRootDir, 'consumequeue', 'T', '0');
    const cqFile = path.join(cqDir, '00000000000000002000'); // units 100.. (100 units per file)
    fs.rmSync(cqFile);
    const first = path.join(cqDir, '00000000000000000000');
    const fd = fs.openSync(first, 'r+');
    fs.writeSync(fd, Buffer.alloc(40 * 20), 0, 40 * 20, 60 * 20); // zero units 60..99
    fs.closeSync(fd);
    fx.open();
    expect(fx.store.getMaxOffsetInQueue('T', 0)).to.equal(150);
    expect(readAll(fx.store, 'T', 0)).to.deep.equal(expectedBodies(150));
  });

  it('rebuilds a queue whose oldest segments are gone, with Java pre-blank units in front', async () => {
    await writeMessages(150);
    fx.store.executeDeleteFilesManually();
    expect(fx.store.deleteExpiredFiles(Date.now() + 100 * 3600 * 1000)).to.be.greaterThan(0);
    const minQueueOffset = fx.store.getMinOffsetInQueue('T', 0);
    expect(minQueueOffset).to.be.greaterThan(0);
    await fx.store.flush(); // units on disk, so there are files to lose
    fx.close('kill');
    fs.rmSync(path.join(fx.config().storePathRootDir, 'consumequeue'), { recursive: true });
    fx.open();
    expect(fx.store.getMinOffsetInQueue('T', 0)).to.equal(minQueueOffset);
    expect(fx.store.getMaxOffsetInQueue('T', 0)).to.equal(150);
    expect(readAll(fx.store, 'T', 0)).to.deep.equal(expectedBodies(150).slice(minQueueOffset));
    expect(fx.store.getMessage('g', 'T', 0, 0, 32)).to.include({
      status: GetMessageStatus.OFFSET_TOO_SMALL,
      nextBeginOffset: minQueueOffset,
    });
    const fileStart = minQueueOffset - (minQueueOffset % 100);
    const cqName = String(fileStart * 20).padStart(20, '0');
    const cq = fs.readFileSync(path.join(fx.config().storePathRootDir, 'consumequeue', 'T', '0', cqName));
    for (let unit = 0; unit < minQueueOffset - fileStart; unit++) {
      expect(cq.readBigInt64BE(unit * 20)).to.equal(0n);
      expect(cq.readInt32BE(unit * 20 + 8)).to.equal(0x7fffffff);
    }
    fx.reopen('clean');
    expect(fx.store.getMinOffsetInQueue('T', 0)).to.equal(minQueueOffset);
    expect(fx.store.getMaxOffsetInQueue('T', 0)).to.equal(150);
  });

  it('drops consume-queue units that point past the recovered log end', async () => {
    const written = await writeMessages(30);
    fx.close('kill');
    const { file, position } = segmentPath(fx.config(), written[25].physicalOffset);
    const fd = fs.openSync(file, 'r+');
    fs.ftruncateSync(fd, position);
    fs.ftruncateSync(fd, fx.config().mappedFileSizeCommitLog);
    fs.closeSync(fd);
    for (const later of fs.readdirSync(fx.config().storePathCommitLog)) {
      if (Number(later) > Number(path.basename(file))) fs.rmSync(path.join(fx.config().storePathCommitLog, later));
    }
    fx.open();
    expect(fx.store.getMaxOffsetInQueue('T', 0)).to.equal(25);
    expect(readAll(fx.store, 'T', 0)).to.deep.equal(expectedBodies(25));
    const cq = fs.readFileSync(
      path.join(fx.config().storePathRootDir, 'consumequeue', 'T', '0', '00000000000000000000'),
    );
    expect(cq.subarray(25 * 20, 30 * 20).equals(Buffer.alloc(100))).to.equal(true);
  });

  it('recovers a clean store that ends exactly at a segment boundary', async () => {
    await writeMessages(60);
    fx.reopen('clean');
    const before = fx.store.getMaxPhyOffset();
    fx.reopen('clean');
    expect(fx.store.getMaxPhyOffset()).to.equal(before);
    expect(readAll(fx.store, 'T', 0)).to.deep.equal(expectedBodies(60));
  });

  it('refuses to load a commit log with a wrongly sized middle segment', async () => {
    await writeMessages(100);
    fx.close('clean');
    fs.truncateSync(path.join(fx.config().storePathCommitLog, '00000000000000000000'), 100);
    const broken = new DefaultMessageStore(fx.config());
    expect(broken.load()).to.equal(false);
    fs.truncateSync(
      path.join(fx.config().storePathCommitLog, '00000000000000000000'),
      fx.config().mappedFileSizeCommitLog,
    );
    fx.open();
  });
});
