import { expect } from 'chai';
import { createRequestCommand, encodeRemotingCommand } from '../../codec/remoting-command';
import { writeMessageRecord } from '../../codec/message/message-record';
import { patchMessageRecord } from '../../codec/message/message-record-patch';
import { RequestCode } from '../../codec/request-code';
import { putMessageProperty } from '../../codec/message/put-message-property';
import { encodeSendFrame, type SendWorkerInit } from './send-encoding';
import { ENTRY_BYTES, readAnswerEntry, writeAnswerEntry } from './send-answer-format';

const init: SendWorkerInit = {
  brokerClusterName: 'DefaultCluster',
  storeHost: { address: Buffer.from([127, 0, 0, 1]), port: 10911 },
  maxMessageSize: 4 * 1024 * 1024,
  mappedFileSizeCommitLog: 1024 * 1024 * 1024,
};
const bornHost = { address: Buffer.from([10, 1, 2, 3]), port: 50123 };
const bornHostV6 = { address: Buffer.from('20010db8000000000000000000000001', 'hex'), port: 50124 };

function sendFrame(
  fields: Record<string, string> = {},
  code: number = RequestCode.SEND_MESSAGE_V2,
  body = Buffer.from('hello'),
): Buffer {
  const extFields = {
    a: 'pg',
    b: 'TopicA',
    c: 'TBW102',
    d: '4',
    e: '3',
    f: '0',
    g: '1700000000000',
    h: '5',
    i: 'TAGS\u0001TagA\u0002KEYS\u0001k1\u0002',
    j: '0',
    k: 'false',
    m: 'false',
    ...fields,
  };
  return encodeRemotingCommand(createRequestCommand(code, 42, { extFields, body })).subarray(4);
}

describe('send worker encoding', () => {
  it('encodes the record the in-line path writes, once patched with offsets and store time', () => {
    for (const host of [bornHost, bornHostV6]) {
      const target = Buffer.alloc(4096);
      const encoded = encodeSendFrame(sendFrame(), host, init, target, 100)!;
      expect(encoded).to.not.equal(null);
      expect(encoded.propertiesString).to.equal(
        putMessageProperty('TAGS\u0001TagA\u0002KEYS\u0001k1\u0002', 'CLUSTER', 'DefaultCluster'),
      );
      patchMessageRecord(target, 100, encoded.sysFlag | 0x2, 17, 123456789, 1700000001234);
      const expected = Buffer.alloc(4096);
      const size = writeMessageRecord(
        expected,
        0,
        {
          queueId: 3,
          flag: 5,
          sysFlag: encoded.sysFlag | 0x2,
          bornTimestampMs: 1700000000000,
          bornHost: host,
          storeHost: init.storeHost,
          reconsumeTimes: 0,
          preparedTransactionOffset: 0,
          body: Buffer.from('hello'),
          topic: 'TopicA',
          propertiesString: encoded.propertiesString,
        },
        6,
        Buffer.byteLength(encoded.propertiesString),
        17,
        123456789,
        1700000001234,
      );
      expect(encoded.recordSizeBytes).to.equal(size);
      expect(target.subarray(100, 100 + size).equals(expected.subarray(0, size))).to.equal(true);
    }
  });

  it('carries what the writer needs through an answer slot', () => {
    const records = Buffer.alloc(4096);
    const encoded = encodeSendFrame(sendFrame({ k: 'true', d: '8' }), bornHost, init, records, 0)!;
    records.write('TBW102', encoded.recordSizeBytes);
    const slots = Buffer.alloc(2 * ENTRY_BYTES);
    writeAnswerEntry(slots, 1, encoded, 0, encoded.recordSizeBytes, 6);
    expect(readAnswerEntry(slots, 0, records)).to.equal(null);
    const entry = readAnswerEntry(slots, 1, records)!;
    expect(entry.request).to.include({
      code: RequestCode.SEND_MESSAGE_V2,
      opaque: 42,
      flag: 0,
      language: 'JAVA',
      version: 355,
      serializeType: 0,
    });
    expect(entry.header).to.include({
      topic: 'TopicA',
      defaultTopic: 'TBW102',
      defaultTopicQueueNums: 8,
      queueId: 3,
      sysFlag: 0,
      unitMode: true,
    });
    expect(entry.propertiesString).to.equal(encoded.propertiesString);
    expect(entry.record.length).to.equal(encoded.recordSizeBytes);
  });

  it('leaves to the in-line path what needs broker state or rewrites the message', () => {
    const target = Buffer.alloc(8192);
    const inLine = [
      sendFrame({ b: '%RETRY%group' }),
      sendFrame({ i: 'TRAN_MSG\u0001true\u0002' }),
      sendFrame({ i: 'DELAY\u00013\u0002' }),
      sendFrame({ i: 'TIMER_DELAY_SEC\u000110\u0002' }),
      sendFrame({ i: '__STARTDELIVERTIME\u00011\u0002' }),
      sendFrame({ f: '4' }),
      sendFrame({ e: '-1' }),
      sendFrame({ m: 'true' }),
      sendFrame({}, RequestCode.SEND_BATCH_MESSAGE),
      sendFrame({}, RequestCode.CONSUMER_SEND_MSG_BACK),
      sendFrame({ b: '' }),
      sendFrame({ g: 'not a number' }),
      sendFrame({}, RequestCode.SEND_MESSAGE_V2, Buffer.alloc(5000)),
      Buffer.from([0, 0, 0, 3, 0x7b, 0x7d, 0x7d]),
    ];
    for (const [i, frame] of inLine.entries()) {
      const small = { ...init, maxMessageSize: 4096 };
      expect(encodeSendFrame(frame, bornHost, small, target, 0), `frame ${i}`).to.equal(null);
    }
    expect(encodeSendFrame(sendFrame(), bornHost, init, Buffer.alloc(64), 0), 'no room').to.equal(null);
  });
});
