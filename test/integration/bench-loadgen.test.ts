// The benchmark's load generator (bench/loadgen) against a real broker: its patched frames decode as
// the SEND_MESSAGE_V2 the 4.7.1 client sends, every acknowledged send is counted once, the pulls
// read those messages back, and the lag sampler's GET_BROKER_RUNTIME_INFO answers.
import { expect } from 'chai';
import { runtimeInfo } from '../../bench/lib/admin';
import { secondsToRead } from '../../bench/lib/backlog';
import { connectFrames, newCounters, PullConnection, SendConnection } from '../../bench/loadgen/connections';
import { FrameReader } from '../../bench/loadgen/frame-reader';
import { Histogram, PerSecondLatency, quantileOfSeconds } from '../../bench/loadgen/histogram';
import { countRecords, FIRST_OPAQUE, pullAnswerHead, responseHead, SendFrames } from '../../bench/loadgen/wire';
import { decodeSendMessageRequestHeader } from '../../src/codec/headers/send-message-request-header';
import {
  createResponseCommand,
  createRequestCommand,
  decodeRemotingCommand,
  encodeRemotingCommand,
  SerializeType,
} from '../../src/codec/remoting-command';
import { Cluster } from './harness';

const TOPIC = 'BenchmarkTest';

async function until(cond: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

describe('bench load generator', function () {
  this.timeout(20_000);
  const cluster = new Cluster();
  before(() => cluster.start());
  after(() => cluster.stop());

  it('patches opaque, born time and UNIQ_KEY into frames that decode as SEND_MESSAGE_V2', () => {
    const body = Buffer.from('hello');
    const frames = new SendFrames({ topic: TOPIC, producerGroup: 'g', body, uniqPrefix: 'AB'.repeat(12) }, [3, 12]);
    const out = Buffer.alloc(frames.frameBytes(12));
    frames.write(out, 0, 12, FIRST_OPAQUE + 77, 1_700_000_000_123, 0x1f);
    const command = decodeRemotingCommand(out.subarray(4));
    expect(out.readInt32BE(0)).to.equal(out.length - 4);
    expect(command.code).to.equal(310);
    expect(command.opaque).to.equal(FIRST_OPAQUE + 77);
    expect(command.body?.toString()).to.equal('hello');
    const header = decodeSendMessageRequestHeader(command);
    expect(header.queueId).to.equal(12);
    expect(header.topic).to.equal(TOPIC);
    expect(header.bornTimestamp).to.equal(1_700_000_000_123);
    expect(header.properties).to.equal(`UNIQ_KEY\u0001${'AB'.repeat(12)}0000001F\u0002WAIT\u0001true\u0002`);
  });

  it('reads code and opaque from JSON and ROCKETMQ answers', () => {
    for (const serializeType of [SerializeType.JSON, SerializeType.ROCKETMQ]) {
      const request = createRequestCommand(310, 1_234_567_890);
      const answer = createResponseCommand(request, 14, {
        remark: 'a "code":99 "opaque":5 remark',
        serializeType,
        extFields: { msgId: 'x' },
      });
      expect(responseHead(encodeRemotingCommand(answer).subarray(4))).to.deep.equal({
        code: 14,
        opaque: 1_234_567_890,
      });
    }
  });

  it("reads a pull answer's offsets and finds its records, JSON and ROCKETMQ", () => {
    const record = (size: number) => {
      const bytes = Buffer.alloc(size);
      bytes.writeInt32BE(size, 0);
      return bytes;
    };
    for (const serializeType of [SerializeType.JSON, SerializeType.ROCKETMQ]) {
      const request = createRequestCommand(11, 1_000_000_123);
      const answer = createResponseCommand(request, 0, {
        remark: 'FOUND',
        serializeType,
        extFields: { suggestWhichBrokerId: '0', nextBeginOffset: '1234567', minOffset: '0', maxOffset: '9876543' },
        body: Buffer.concat([record(100), record(60), record(300)]),
      });
      const frame = encodeRemotingCommand(answer).subarray(4);
      const head = pullAnswerHead(frame);
      expect(head).to.deep.include({ code: 0, opaque: 1_000_000_123, nextBeginOffset: 1_234_567, minOffset: 0 });
      expect(head.maxOffset).to.equal(9_876_543);
      expect(countRecords(frame, head.bodyAt)).to.equal(3);
      expect(frame.length - head.bodyAt).to.equal(460);
    }
    const notFound = createResponseCommand(createRequestCommand(11, 7), 19, { extFields: { minOffset: '5' } });
    const head = pullAnswerHead(encodeRemotingCommand(notFound).subarray(4));
    expect(head.code).to.equal(19);
    expect(head.nextBeginOffset).to.be.NaN;
    expect(head.minOffset).to.equal(5);
  });

  it('sends a bounded count through a window, counts each answer once, and pulls them back', async () => {
    const counters = newCounters();
    counters.measuring = true;
    const limit = { remaining: 500 };
    const [host, port] = cluster.brokerAddr.split(':');
    let sender: SendConnection | undefined;
    const socket = await connectFrames(host, Number(port), () => sender);
    sender = new SendConnection(
      socket,
      { topic: TOPIC, producerGroup: 'g', body: Buffer.alloc(100, 1), uniqPrefix: 'CD'.repeat(12) },
      8,
      [0, 1, 2, 3],
      counters,
      undefined,
      limit,
      3,
    );
    sender.fill();
    await until(() => counters.sent + counters.sendErrors === 500, 10_000);
    sender.close();
    expect(counters.sendErrors).to.equal(0);
    expect(counters.sent).to.equal(500);
    expect(counters.sendLatency.count).to.equal(500);

    let puller: PullConnection | undefined;
    const pullSocket = await connectFrames(host, Number(port), () => puller);
    puller = new PullConnection(
      pullSocket,
      { topic: TOPIC, consumerGroup: 'cg', maxMsgNums: 32, suspendMs: 0 },
      [0, 1, 2, 3],
      counters,
      false,
      1,
    );
    puller.start();
    await until(() => counters.pulled >= 500, 10_000);
    puller.close();
    expect(counters.pulled).to.equal(500);

    const info = await runtimeInfo(cluster.brokerAddr);
    expect(Number(info.commitLogMaxOffset)).to.be.greaterThan(500 * 100);
  });

  it('reads frames in place whatever the reads cut, growing for a frame larger than its buffer', () => {
    const frames = [10, 70_000, 5, 300_000, 4, 128 * 1024].map((n, i) => Buffer.alloc(n, i + 1));
    const stream = Buffer.concat(
      frames.flatMap((content) => {
        const length = Buffer.alloc(4);
        length.writeInt32BE(content.length);
        return [length, content];
      }),
    );
    for (const cut of [1, 3, 4096, 65_537]) {
      const reader = new FrameReader(128 * 1024);
      const seen: Buffer[] = [];
      for (let at = 0; at < stream.length; ) {
        const room = reader.room();
        const n = Math.min(cut, room.length, stream.length - at);
        stream.copy(room, 0, at, at + n);
        at += n;
        reader.read(n, (content) => seen.push(Buffer.from(content)));
      }
      expect(seen.map((b) => b.length)).to.deep.equal(frames.map((b) => b.length));
      seen.forEach((b, i) => expect(b.equals(frames[i]), `frame ${i} with reads of ${cut}`).to.equal(true));
    }
  });

  it('gives latency quantiles from its buckets', () => {
    const h = new Histogram();
    for (let us = 1; us <= 1000; us++) h.record(us * 10);
    const s = h.summary();
    expect(s.count).to.equal(1000);
    expect(s.p50Ms).to.be.closeTo(5, 0.02);
    expect(s.p99Ms).to.be.closeTo(9.9, 0.02);
    expect(s.maxMs).to.equal(10);
  });

  it('times a cold read by when the backlog was read, not by the trickle after it', () => {
    // 1M read in 2.5 s, then the open-loop sender's 2,000/s trickle for the rest of the window
    const ticks = [400_000, 400_000, 400_000, 2_000, 2_000, 2_000, 2_000, 2_000];
    expect(secondsToRead(ticks, 1_000_000)).to.equal(2.5);
    expect(secondsToRead(ticks, 1_200_000)).to.equal(3);
    expect(secondsToRead(ticks, 2_000_000)).to.equal(undefined); // not read within the window
    expect(secondsToRead([], 1)).to.equal(undefined);
  });

  it('keeps send latencies second by second, for a quantile over only the seconds a cold read lasted', () => {
    const bySecond = new PerSecondLatency();
    for (let i = 0; i < 1000; i++) bySecond.record(400 + (i % 10)); // a quiet second: 0.40–0.41 ms
    bySecond.endSecond();
    for (let i = 0; i < 1000; i++) bySecond.record(i < 950 ? 500 : 3_000); // 5 % at 3 ms
    bySecond.endSecond();
    bySecond.record(250_000); // past the last bucket (100 ms)
    bySecond.endSecond();
    bySecond.endSecond(); // a second without sends
    expect(bySecond.seconds.length).to.equal(4);
    expect(bySecond.seconds[0], 'pairs of [50 µs bucket, count]').to.deep.equal([[8, 1000]]);
    expect(quantileOfSeconds(bySecond.seconds.slice(1, 2), 0.99)).to.equal(3.05);
    expect(quantileOfSeconds(bySecond.seconds.slice(0, 2), 0.99), 'diluted by the quiet second').to.equal(3.05);
    expect(quantileOfSeconds(bySecond.seconds.slice(0, 2), 0.9)).to.equal(0.55);
    expect(quantileOfSeconds(bySecond.seconds.slice(0, 1), 0.99)).to.equal(0.45);
    expect(quantileOfSeconds(bySecond.seconds.slice(2, 3), 0.5), 'the last bucket').to.equal(100.05);
    expect(quantileOfSeconds(bySecond.seconds.slice(3), 0.99)).to.be.NaN;
  });
});
