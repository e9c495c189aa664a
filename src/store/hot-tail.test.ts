import { expect } from 'chai';
import fc from 'fast-check';
import { decodeMessageRecord } from '../codec/message/message-record';
import type { CommitLog } from './commit-log';
import { GatherCopy } from './gather-copy';
import { HotTail, HotTailReader } from './hot-tail';
import { PutMessageStatus } from './message-store';
import { message, useTempStore } from './store-test-helpers';

function bytes(from: number, length: number): Buffer {
  return Buffer.from(Array.from({ length }, (_, i) => (from + i) % 251));
}

function read(tail: HotTail, physicalOffset: number, length: number): Buffer | null {
  const target = Buffer.alloc(length);
  return tail.copyTo(target, 0, physicalOffset, length) ? target : null;
}

describe('HotTail', () => {
  it('holds the last capacityBytes of contiguous appends, across the ring wrap', () => {
    const tail = new HotTail(100);
    tail.append(1000, bytes(1000, 60), 0, 60);
    tail.append(1060, bytes(1060, 70), 0, 70); // wraps: 130 bytes appended, the first 30 dropped
    expect(tail.range).to.deep.equal([1030, 1130]);
    expect(read(tail, 1030, 100)).to.deep.equal(bytes(1030, 100));
    expect(read(tail, 1095, 20)).to.deep.equal(bytes(1095, 20));
    expect(read(tail, 1029, 2), 'partly dropped').to.equal(null);
    expect(read(tail, 1120, 11), 'partly not written').to.equal(null);
  });

  it('starts again where an append does not continue the tail (segment roll, slave start, truncation)', () => {
    const tail = new HotTail(100);
    tail.append(0, bytes(0, 50), 0, 50);
    tail.append(200, bytes(200, 10), 0, 10);
    expect(tail.range).to.deep.equal([200, 210]);
    expect(read(tail, 40, 5)).to.equal(null);
    expect(read(tail, 200, 10)).to.deep.equal(bytes(200, 10));
    tail.reset(205);
    expect(read(tail, 200, 5), 'truncated away').to.equal(null);
  });

  it('keeps only the end of an append larger than the ring, and nothing with capacity 0', () => {
    const tail = new HotTail(16);
    tail.append(7, bytes(7, 40), 0, 40);
    expect(tail.range).to.deep.equal([31, 47]);
    expect(read(tail, 31, 16)).to.deep.equal(bytes(31, 16));
    const off = new HotTail(0);
    off.append(0, bytes(0, 10), 0, 10);
    expect(read(off, 0, 1)).to.equal(null);
  });

  it('answers every held range with the bytes appended there (random appends and reads)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.array(fc.integer({ min: 1, max: 90 }), { minLength: 1, maxLength: 30 }),
        fc.array(fc.tuple(fc.nat(2000), fc.integer({ min: 1, max: 64 })), { maxLength: 30 }),
        (capacity, appends, reads) => {
          const tail = new HotTail(capacity);
          let end = 0;
          for (const length of appends) {
            tail.append(end, bytes(end, length), 0, length);
            end += length;
          }
          for (const [offset, length] of reads) {
            const got = read(tail, offset, length);
            const held = offset >= Math.max(0, end - capacity) && offset + length <= end;
            expect(got === null ? null : got.equals(bytes(offset, length))).to.equal(held ? true : null);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('HotTail in the commit log', () => {
  const fx = useTempStore({ mappedFileSizeCommitLog: 4096 });

  it('shares its bytes with a reader of another thread, never those about to be overwritten', () => {
    const MiB = 1024 * 1024;
    const tail = new HotTail(4 * MiB);
    tail.append(0, bytes(0, MiB), 0, MiB); // before the share: copied into shared memory
    const reader = new HotTailReader(tail.share());
    const gather = new GatherCopy();
    const readShared = (physicalOffset: number, length: number): Buffer | null => {
      const target = Buffer.alloc(length);
      reader.begin();
      gather.begin(target);
      const claimed = reader.gatherTo(gather, 0, physicalOffset, length);
      gather.end();
      return claimed && reader.intact() ? target : null;
    };
    expect(readShared(10, 100)).to.deep.equal(bytes(10, 100));
    tail.append(MiB, bytes(MiB, 3 * MiB), 0, 3 * MiB); // full, not wrapped yet
    expect(readShared(10, 100), 'the next to be overwritten').to.equal(null);
    expect(readShared(MiB, 100)).to.deep.equal(bytes(MiB, 100));
    expect(readShared(4 * MiB - 10, 20), 'not written').to.equal(null);
    tail.append(4 * MiB, bytes(4 * MiB, MiB / 2), 0, MiB / 2); // wraps
    expect(readShared(MiB, 100), 'within the margin now').to.equal(null);
    expect(readShared(4 * MiB - 10, 20), 'across the wrap').to.deep.equal(bytes(4 * MiB - 10, 20));
    tail.reset(10 * MiB); // a segment roll: nothing of before is readable
    expect(readShared(4 * MiB, 100)).to.equal(null);
    tail.append(10 * MiB, bytes(10 * MiB, 500), 0, 500);
    expect(readShared(10 * MiB, 500)).to.deep.equal(bytes(10 * MiB, 500));
    expect(tail.share().ring, 'shared once').to.equal(tail.share().ring);
    reader.begin();
    gather.begin(Buffer.alloc(10));
    expect(reader.gatherTo(gather, 0, 10 * MiB, 10)).to.equal(true);
    gather.end();
    tail.append(10 * MiB + 500, Buffer.alloc(5 * MiB), 0, 5 * MiB); // overwrote it during the "copy"
    expect(reader.intact()).to.equal(false);
    // the same through a gather, the writer passing while the runs wait for their flush
    reader.begin();
    gather.begin(Buffer.alloc(10));
    expect(reader.gatherTo(gather, 0, 10 * MiB + 5 * MiB, 10)).to.equal(true);
    tail.append(15 * MiB + 500, Buffer.alloc(5 * MiB), 0, 5 * MiB);
    gather.end();
    expect(reader.intact()).to.equal(false);
  });

  it('serves pulls of just-written records from memory, equal to the file, across segment rolls', async () => {
    const store = fx.store;
    const commitLog = (store as unknown as { commitLog: CommitLog }).commitLog;
    for (let i = 0; i < 40; i++) {
      const result = await store.putMessage(message('T', 0, `body-${i}-${'x'.repeat(i * 7)}`));
      expect(result.status).to.equal(PutMessageStatus.PUT_OK);
    }
    expect(commitLog.files.last()!.fileFromOffset, 'several 4 KiB segments').to.be.at.least(2 * 4096);
    const [tailStart, tailEnd] = commitLog.hotTail.range;
    expect(tailStart % 4096, 'the tail starts again at each segment').to.equal(0);
    expect(tailEnd).to.equal(commitLog.writtenPhysicalOffset);
    let hits = 0;
    for (let queueOffset = 0; queueOffset < 40; queueOffset++) {
      const hitsBefore = commitLog.hotTail.hits;
      const got = store.getMessage('g', 'T', 0, queueOffset, 1);
      expect(got.messageCount).to.equal(1);
      const buffer = got.messageBuffers[0];
      const { record } = decodeMessageRecord(buffer, 0);
      const fromFile = Buffer.alloc(buffer.length);
      const file = commitLog.files.findFile(record.physicalOffset)!;
      file.read(fromFile, 0, buffer.length, record.physicalOffset - file.fileFromOffset);
      expect(buffer.equals(fromFile), `record at ${record.physicalOffset}`).to.equal(true);
      expect(record.body.toString()).to.equal(`body-${queueOffset}-${'x'.repeat(queueOffset * 7)}`);
      const fromTail = commitLog.hotTail.hits > hitsBefore;
      expect(fromTail, `record at ${record.physicalOffset}`).to.equal(record.physicalOffset >= tailStart);
      if (fromTail) hits++;
    }
    expect(hits, 'the newest segment is read from memory').to.be.greaterThan(0);
  });
});
