import { expect } from 'chai';
import type { MessageFilter } from './get-message';
import { GetMessageMemo } from './get-message-memo';
import { type GetMessageResult, GetMessageStatus } from './message-store';
import { message, useTempStore } from './store-test-helpers';

describe('GetMessageMemo (filter-less pulls of the same records share one read)', () => {
  const fx = useTempStore({ mappedFileSizeCommitLog: 256 * 1024 });

  async function fill(count: number): Promise<void> {
    for (let i = 0; i < count; i++) await fx.store.putMessage(message('M', 0, Buffer.alloc(64, i & 0xff), 'a'));
  }

  /** A pull of queue M/0 (answered in line: the records are hot). */
  function pull(queueOffset: number, maxMsgNums: number, filter?: MessageFilter): GetMessageResult {
    return fx.store.getMessageNonBlocking({
      topic: 'M',
      queueId: 0,
      queueOffset,
      maxMsgNums,
      filter,
    }) as GetMessageResult;
  }

  it('answers a second identical pull of the same synchronous job with the same answer', async () => {
    await fill(5);
    const first = pull(0, 32);
    const hitsBefore = fx.store.getMessageMemo.hits;
    const second = pull(0, 32);
    expect(second).to.equal(first);
    expect(fx.store.getMessageMemo.hits).to.equal(hitsBefore + 1);
    expect(first).to.include({ status: GetMessageStatus.FOUND, messageCount: 5 });
  });

  it('forgets every answer when the job ends', async () => {
    await fill(3);
    const first = pull(0, 32);
    await Promise.resolve();
    expect(fx.store.getMessageMemo.size).to.equal(0);
    const later = pull(0, 32);
    expect(later).to.not.equal(first);
    expect(later.messageCount).to.equal(3);
  });

  it('does not share across a different offset, batch size or a longer queue', async () => {
    await fill(4);
    const first = pull(0, 32);
    expect(pull(1, 32)).to.not.equal(first);
    expect(pull(0, 2)).to.not.equal(first);
    // a record appended in between makes another key: the queue's max offset is part of it
    expect(GetMessageMemo.key('M', 0, 0, 32, 4)).to.not.equal(GetMessageMemo.key('M', 0, 0, 32, 5));
    expect(GetMessageMemo.key('M', 1, 0, 32, 4)).to.not.equal(GetMessageMemo.key('M', 0, 0, 32, 4));
  });

  it('never shares a filtered pull', async () => {
    await fill(2);
    const all: MessageFilter = () => true;
    const first = pull(0, 32, all);
    const second = pull(0, 32, all);
    expect(second).to.not.equal(first);
  });
});
