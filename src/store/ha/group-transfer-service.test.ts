import { expect } from 'chai';
import { type PutMessageResult, PutMessageStatus } from '../put-message-status';
import type { PendingPut } from '../sync-flush-queue';
import { GroupTransferService } from './group-transfer-service';

function put(
  endPhysicalOffset: number,
  answers: Array<[number, PutMessageStatus]>,
  status = PutMessageStatus.PUT_OK,
): PendingPut {
  const result: PutMessageResult = {
    status,
    appendResult: {
      physicalOffset: endPhysicalOffset - 10,
      wroteBytes: 10,
      msgId: 'id',
      queueOffset: 0,
      storeTimestampMs: 0,
      msgNum: 1,
    },
  };
  return {
    result,
    endPhysicalOffset,
    waitForFlush: false,
    waitForSlave: true,
    resolve: (answer) => answers.push([endPhysicalOffset, answer.status]),
  };
}

describe('GroupTransferService (SYNC_MASTER waits for the slave, grouped like the group commit)', () => {
  it('answers the prefix an acknowledgement covers, in commit-log order, once each', () => {
    const answers: Array<[number, PutMessageStatus]> = [];
    const service = new GroupTransferService(() => 5000);
    service.add([put(10, answers), put(20, answers), put(30, answers)], Date.now());
    service.add([put(40, answers)], Date.now());
    expect(service.waitingCount).to.equal(4);
    service.notifyTransferSome(25);
    expect(answers).to.deep.equal([
      [10, 'PUT_OK'],
      [20, 'PUT_OK'],
    ]);
    service.notifyTransferSome(25); // the same offset again: nothing
    service.notifyTransferSome(15); // lower: nothing (the acknowledged offset never goes back)
    service.notifyTransferSome(40);
    expect(answers.map(([end]) => end)).to.deep.equal([10, 20, 30, 40]);
    expect(service.waitingCount).to.equal(0);
    service.shutdown();
    expect(answers).to.have.length(4);
  });

  it('answers at once a put already covered by the acknowledged offset', () => {
    const answers: Array<[number, PutMessageStatus]> = [];
    const service = new GroupTransferService(() => 5000);
    service.notifyTransferSome(100);
    service.add([put(50, answers), put(100, answers), put(101, answers)], Date.now());
    expect(answers).to.deep.equal([
      [50, 'PUT_OK'],
      [100, 'PUT_OK'],
    ]);
    expect(service.waitingCount).to.equal(1);
    service.clear();
  });

  it('keeps the status a put carries (FLUSH_DISK_TIMEOUT after the group commit timed out)', () => {
    const answers: Array<[number, PutMessageStatus]> = [];
    const service = new GroupTransferService(() => 5000);
    service.add([put(10, answers, PutMessageStatus.FLUSH_DISK_TIMEOUT)], Date.now());
    service.notifyTransferSome(10);
    expect(answers).to.deep.equal([[10, 'FLUSH_DISK_TIMEOUT']]);
  });

  it('answers FLUSH_SLAVE_TIMEOUT syncFlushTimeout ms after the write, with one timer for the oldest', async () => {
    const answers: Array<[number, PutMessageStatus]> = [];
    const service = new GroupTransferService(() => 100);
    const writtenAtMs = Date.now();
    service.add([put(10, answers), put(20, answers)], writtenAtMs);
    service.add([put(30, answers)], writtenAtMs + 150);
    await new Promise((resolve) => setTimeout(resolve, 130));
    expect(answers).to.deep.equal([
      [10, 'FLUSH_SLAVE_TIMEOUT'],
      [20, 'FLUSH_SLAVE_TIMEOUT'],
    ]);
    service.notifyTransferSome(30);
    expect(answers[2]).to.deep.equal([30, 'PUT_OK']);
  });

  it('refuses waiters out of commit-log order (an invariant of the put path)', () => {
    const service = new GroupTransferService(() => 5000);
    service.add([put(20, [])], Date.now());
    expect(() => service.add([put(10, [])], Date.now())).to.throw(/commit-log order/);
    service.clear();
  });

  it('answers whatever still waits at shutdown with FLUSH_SLAVE_TIMEOUT', () => {
    const answers: Array<[number, PutMessageStatus]> = [];
    const service = new GroupTransferService(() => 5000);
    service.add([put(10, answers), put(20, answers)], Date.now());
    service.shutdown();
    expect(answers).to.deep.equal([
      [10, 'FLUSH_SLAVE_TIMEOUT'],
      [20, 'FLUSH_SLAVE_TIMEOUT'],
    ]);
  });
});
