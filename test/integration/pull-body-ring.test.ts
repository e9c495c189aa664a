// Pull answers whose records sit in the reused body ring (src/common/body-ring.ts): an answer queued
// on a socket whose peer does not read must go out intact even after other pulls have gone round the
// ring several times. Runs in-line and (run-tests.mjs) again with the connection workers.
import { expect } from 'chai';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { RequestCode } from '../../src/codec/request-code';
import { ResponseCode } from '../../src/codec/response-code';
import { decodeMessageRecord } from '../../src/codec/message/message-record';
import { PULL_BODY_RING_BYTES, pullBodyRing } from '../../src/common/body-ring';
import type { RemotingCommand } from '../../src/codec/remoting-command';
import { until } from './consumption-support';
import { Cluster, pullHeader, sendHeader } from './harness';
import { RawPeer } from './raw-peer';

const TOPIC = 'BodyRingTopic';
const MESSAGES = 300;
const BODY_BYTES = 60 * 1024; // 18 MB of answers for the peer that does not read: past the kernel's buffers

function bodyOf(index: number): Buffer {
  const body = Buffer.alloc(BODY_BYTES);
  for (let i = 0; i < BODY_BYTES; i += 4) body.writeUInt32BE((index * 7919 + i) >>> 0, i);
  return body;
}

function expectMessage(answer: RemotingCommand, index: number): void {
  expect(answer.code, `answer for offset ${index}`).to.equal(ResponseCode.SUCCESS);
  const { record } = decodeMessageRecord(answer.body!, 0);
  expect(record.queueOffset).to.equal(index);
  if (!record.body.equals(bodyOf(index))) expect.fail(`the body of message ${index} changed`);
}

describe('pull answers in reused memory (body ring)', function () {
  this.timeout(60000);
  const cluster = new Cluster();

  before(async () => {
    await cluster.start();
    for (let index = 0; index < MESSAGES; index++) {
      const answer = await cluster.toBroker(RequestCode.SEND_MESSAGE_V2, sendHeader(TOPIC, 0), bodyOf(index));
      expect(answer.code).to.equal(ResponseCode.SUCCESS);
    }
  });
  after(() => cluster.stop());

  it("keeps a queued answer's bytes while other pulls go round the ring, then frees them all", async () => {
    const slow = await RawPeer.connect(cluster.brokerAddr);
    slow.socket.pause(); // reads nothing until the others are done
    const oneMessage = { maxMsgNums: '1', sysFlag: '4', suspendTimeoutMillis: '0' }; // subscription in the request
    const slowAnswers = Array.from({ length: MESSAGES }, (_, index) =>
      slow.request(RequestCode.PULL_MESSAGE, pullHeader('ringSlow', TOPIC, 0, index, oneMessage)),
    );
    const fast = await RawPeer.connect(cluster.brokerAddr);
    let pulledBytes = 0;
    for (let lap = 0; pulledBytes < 3 * PULL_BODY_RING_BYTES; lap++) {
      const answers = await Promise.all(
        Array.from({ length: MESSAGES / 10 }, (_, i) =>
          fast.request(
            RequestCode.PULL_MESSAGE,
            pullHeader('ringFast', TOPIC, 0, i * 10, { ...oneMessage, maxMsgNums: '10' }),
          ),
        ),
      );
      for (const [i, answer] of answers.entries()) {
        expect(answer.code).to.equal(ResponseCode.SUCCESS);
        pulledBytes += answer.body!.length;
        if (lap === 0) expectMessage(answer, i * 10);
      }
    }
    slow.socket.resume();
    const answers = await Promise.all(slowAnswers);
    answers.forEach((answer, index) => expectMessage(answer, index));
    slow.close();
    fast.close();
    await nextTurn();
    await until('every body lease to end', () => pullBodyRing.liveCount === 0, 5000);
  });
});
