import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConsumeQueue } from './consume-queue';
import { CQ_STORE_UNIT_SIZE } from './consume-queue-unit';
import { FileHandleCache } from './file-handle-cache';
import { message, useTempStore } from './store-test-helpers';

/** 1000 units (20000 bytes: four whole 4 KiB pages and a part) per file. */
const UNITS_PER_FILE = 1000;
/** Units that fit below byte 8192, the end of the second 4 KiB page (unit 409 crosses it). */
const UNITS_IN_TWO_PAGES = Math.floor((2 * 4096) / CQ_STORE_UNIT_SIZE);

describe('ConsumeQueue.needsFlush (Java flushConsumeQueueLeastPages)', () => {
  let home: string;
  let queue: ConsumeQueue;

  function write(from: number, to: number): void {
    for (let queueOffset = from; queueOffset < to; queueOffset++)
      queue.stageUnit(queueOffset, queueOffset * 100, 100, 0);
    queue.publish();
    queue.commit();
  }

  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'rmq-cq-flush-'));
    queue = new ConsumeQueue(home, 'T', 0, UNITS_PER_FILE * CQ_STORE_UNIT_SIZE, new FileHandleCache());
  });
  afterEach(() => {
    queue.close();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('waits for two new pages, unless asked for any unit (0)', async () => {
    expect(queue.needsFlush(0)).to.equal(false);
    write(0, 10);
    expect(queue.needsFlush(2)).to.equal(false);
    expect(queue.needsFlush(0)).to.equal(true);
    write(10, UNITS_IN_TWO_PAGES); // one whole page and most of the second
    expect(queue.needsFlush(2)).to.equal(false);
    write(UNITS_IN_TWO_PAGES, UNITS_IN_TWO_PAGES + 1); // this unit ends in the third page
    expect(queue.needsFlush(2)).to.equal(true);
    await queue.flush();
    expect(queue.flushedQueueOffset).to.equal(UNITS_IN_TWO_PAGES + 1);
    expect(queue.needsFlush(0)).to.equal(false);
  });

  it('flushes a file completed since the last flush, however few its new units', async () => {
    write(0, UNITS_PER_FILE - 5);
    await queue.flush();
    write(UNITS_PER_FILE - 5, UNITS_PER_FILE + 3); // 8 units: the old file's last 5, 3 in the next
    expect(queue.needsFlush(2)).to.equal(true);
  });
});

describe('FlushService consume-queue passes', () => {
  const fx = useTempStore({
    flushIntervalConsumeQueue: 3600000,
    flushConsumeQueueLeastPages: 2,
    flushConsumeQueueThoroughInterval: 3600000,
  });

  interface Internals {
    flushService: { flushConsumeQueues(thorough?: boolean): Promise<void> };
    checkpoint: { logicsOffset: number };
    consumeQueues: { find(topic: string, queueId: number): ConsumeQueue | undefined };
  }
  const internals = (): Internals => fx.store as unknown as Internals;

  it("leaves a quiet queue unflushed (and the checkpoint's logics offset still) until a thorough pass", async () => {
    await internals().flushService.flushConsumeQueues(); // the first pass is thorough
    for (let i = 0; i < 5; i++) await fx.store.putMessage(message('T', 0, `m${i}`));
    const queue = internals().consumeQueues.find('T', 0)!;
    await internals().flushService.flushConsumeQueues();
    expect(queue.writtenQueueOffset).to.equal(5);
    expect(queue.flushedQueueOffset).to.equal(0);
    expect(internals().checkpoint.logicsOffset).to.be.lessThan(fx.store.getMaxPhyOffset());
    await internals().flushService.flushConsumeQueues(true);
    expect(queue.flushedQueueOffset).to.equal(5);
    expect(internals().checkpoint.logicsOffset).to.equal(fx.store.getMaxPhyOffset());
  });
});
