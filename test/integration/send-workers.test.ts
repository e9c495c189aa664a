// Sends processed off the main thread against the in-line path, in both modes: the send workers
// (sendMessageThreadPoolNums=2) and the connection workers (connectionWorkerThreads=2). The same
// pipelined sequence of sends — plain, delayed, transactional, retry-less batch, to two queues —
// sent to one broker of each kind gives the same answers and the same commit-log records, in the
// same order.
import { expect } from 'chai';
import { decodeMessageRecord } from '../../src/codec/message/message-record';
import { encodeMessageBatch } from '../../src/codec/message/message-batch';
import { RequestCode } from '../../src/codec/request-code';
import { ResponseCode } from '../../src/codec/response-code';
import { Cluster, pullHeader, sendHeader } from './harness';

const SENDS = 240;
/** maxPropertiesLength of every broker here (a send past it is answered MESSAGE_ILLEGAL) */
const MAX_PROPERTIES_LENGTH = 200;

function sendsOf(topic: string): { code: number; fields: Record<string, string>; body: Buffer }[] {
  const sends = [];
  for (let i = 0; i < SENDS; i++) {
    const queueId = i % 2;
    let properties = `KEYS\u0001k${i}\u0002TAGS\u0001T${i % 3}\u0002WAIT\u0001true\u0002`;
    if (i % 37 === 5) properties += 'DELAY\u000118\u0002'; // 2 h: not delivered while the test runs
    if (i % 41 === 7) properties += 'TRAN_MSG\u0001true\u0002PGROUP\u0001pg\u0002';
    if (i % 43 === 11) properties += `LONG\u0001${'p'.repeat(MAX_PROPERTIES_LENGTH)}\u0002`; // MESSAGE_ILLEGAL
    const fields = sendHeader(topic, queueId, properties);
    if (i % 53 === 9) {
      fields.m = 'true';
      sends.push({
        code: RequestCode.SEND_BATCH_MESSAGE,
        fields,
        body: encodeMessageBatch([
          { body: Buffer.from(`b${i}a`), propertiesString: `KEYS\u0001k${i}\u0002`, flag: 0 },
          { body: Buffer.from(`b${i}b`), propertiesString: '', flag: 0 },
        ]),
      });
    } else
      sends.push({ code: RequestCode.SEND_MESSAGE_V2, fields, body: Buffer.from(`message ${i} `.repeat(1 + (i % 7))) });
  }
  return sends;
}

async function run(cluster: Cluster, topic: string): Promise<{ answers: string[]; records: string[] }> {
  const answers = await Promise.all(
    sendsOf(topic).map((send) => cluster.toBroker(send.code, send.fields, send.body, 15000)),
  );
  const records: string[] = [];
  for (const queueId of [0, 1]) {
    for (let offset = 0; ; ) {
      const response = await cluster.toBroker(
        RequestCode.PULL_MESSAGE,
        pullHeader('g', topic, queueId, offset, { maxMsgNums: '32', suspendTimeoutMillis: '0' }),
      );
      if (response.code !== ResponseCode.SUCCESS) break;
      for (let at = 0; at < response.body!.length; ) {
        const { record, sizeBytes } = decodeMessageRecord(response.body!, at);
        records.push(
          JSON.stringify([
            record.queueId,
            record.queueOffset,
            record.physicalOffset,
            record.sysFlag,
            record.flag,
            record.bodyCrc,
            record.body.toString(),
            record.topic,
            record.propertiesString,
          ]),
        );
        at += sizeBytes;
        offset = record.queueOffset + 1;
      }
    }
  }
  return {
    answers: answers.map((a) =>
      JSON.stringify([
        a.code,
        a.remark,
        a.extFields?.queueId,
        a.extFields?.queueOffset,
        a.extFields?.msgId?.slice(-16),
      ]),
    ),
    records,
  };
}

interface Mode {
  name: string;
  config: Record<string, number>;
  /** sends the broker processed off the main thread so far */
  offloaded: (cluster: Cluster) => number | undefined;
}

const MODES: Mode[] = [
  {
    name: 'send workers (sendMessageThreadPoolNums=2)',
    config: { sendMessageThreadPoolNums: 2, connectionWorkerThreads: 0 },
    offloaded: (cluster) => cluster.broker.workers.sendWorkerPool?.posted.entries,
  },
  {
    name: 'connection workers (connectionWorkerThreads=2)',
    config: { connectionWorkerThreads: 2 },
    offloaded: (cluster) => cluster.broker.workers.connectionWorkerPool?.received.sends,
  },
];

for (const mode of MODES) {
  describe(`${mode.name} over real sockets`, function () {
    this.timeout(60000);
    const inLine = new Cluster();
    const workers = new Cluster();
    const topic = `SendWorkers_${Date.now()}`;

    before(async () => {
      const limits = { maxPropertiesLength: MAX_PROPERTIES_LENGTH };
      await inLine.start({ sendMessageThreadPoolNums: 1, connectionWorkerThreads: 0, ...limits });
      await workers.start({ ...mode.config, ...limits });
    });
    after(async () => {
      await inLine.stop();
      await workers.stop();
    });

    it('stores and answers a pipelined mix of sends exactly as the in-line path does', async () => {
      expect(mode.offloaded(inLine)).to.equal(undefined);
      const expected = await run(inLine, topic);
      const actual = await run(workers, topic);
      expect(mode.offloaded(workers)).to.be.greaterThan(SENDS / 2);
      expect(expected.records.length).to.be.greaterThan(SENDS / 2);
      expect(expected.answers.filter((answer) => answer.startsWith('[13,'))).to.have.length(6);
      expect(actual.answers).to.deep.equal(expected.answers);
      expect(actual.records).to.deep.equal(expected.records);
    });

    it('keeps answering after a restart of the broker with its workers', async () => {
      const port = workers.broker.listenPort;
      await workers.broker.shutdown();
      workers.client.close(workers.brokerAddr);
      await workers.startBroker({ listenPort: port, ...mode.config });
      const answer = await workers.toBroker(
        RequestCode.SEND_MESSAGE_V2,
        sendHeader(topic, 0),
        Buffer.from('after restart'),
      );
      expect(answer.code, answer.remark).to.equal(ResponseCode.SUCCESS);
      expect(mode.offloaded(workers)).to.equal(1);
    });
  });
}
