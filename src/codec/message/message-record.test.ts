import { expect } from 'chai';
import { CodecError } from '../codec-error';
import { portableCrc32, messageBodyCrc } from './body-crc';
import { parseHostAddress } from './host-address';
import { createMessageId } from './message-id';
import { MessageCodecError } from './message-codec-error';
import {
  type MessageRecord,
  decodeMessageRecord,
  encodeMessageRecord,
  patchRecordOffsets,
  patchRecordStoreTimestamp,
} from './message-record';
import {
  MIN_RECORD_SIZE_BYTES,
  PHYSICALOFFSET_POSITION,
  QUEUEOFFSET_POSITION,
  SYSFLAG_POSITION,
  messageRecordSize,
  recordLayout,
  storeTimestampPosition,
} from './message-record-layout';
import { checkMessageRecord } from './message-record-check';
import { MessageSysFlag } from './message-sys-flag';

// Appendix A of protocol-4.7.1.md: MessageDecoder.encode output of the real 4.7.1 classes.
const APPENDIX_RECORD_HEX = (
  '00000068 daa320a7 3610a686 00000001 00000000 0000000000000005 00000000000003e8 00000000 ' +
  '00000174876e8000 0a000001 0000c350 00000174876e8064 0a000002 00002a9f 00000000 ' +
  '0000000000000000 00000005 68656c6c6f 01 54 0007 54414753016102'
).replace(/ /g, '');

function host(text: string) {
  const parsed = parseHostAddress(text);
  if (parsed === null) throw new Error(`bad host ${text}`);
  return parsed;
}

export function appendixRecord(): MessageRecord {
  return {
    queueId: 1,
    flag: 0,
    queueOffset: 5,
    physicalOffset: 1000,
    sysFlag: 0,
    bornTimestampMs: 1600000000000,
    bornHost: host('10.0.0.1:50000'),
    storeTimestampMs: 1600000000100,
    storeHost: host('10.0.0.2:10911'),
    reconsumeTimes: 0,
    preparedTransactionOffset: 0,
    body: Buffer.from('hello'),
    topic: 'T',
    propertiesString: 'TAGS\u0001a\u0002',
  };
}

function ipv6Record(): MessageRecord {
  return {
    ...appendixRecord(),
    sysFlag: MessageSysFlag.BORNHOST_V6_FLAG | MessageSysFlag.STOREHOSTADDRESS_V6_FLAG | 0x8,
    bornHost: host('[fd00::1]:50000'),
    storeHost: host('[fd00::2]:10911'),
    queueOffset: 2 ** 40 + 3,
    physicalOffset: 2 ** 45 + 7,
    preparedTransactionOffset: 99,
    topic: 'Tópico',
    propertiesString: 'KEYS\u0001ключ\u0002',
    body: Buffer.alloc(300, 7),
  };
}

function expectCodecError(fn: () => unknown, reason: string): void {
  try {
    fn();
  } catch (error) {
    expect(error).to.be.instanceOf(MessageCodecError);
    expect(error).to.be.instanceOf(CodecError);
    expect((error as MessageCodecError).reason).to.equal(reason);
    expect((error as MessageCodecError).position).to.be.at.least(0);
    return;
  }
  expect.fail(`expected MessageCodecError ${reason}`);
}

describe('message record codec', () => {
  it('encodes the Appendix A record byte for byte', () => {
    const bytes = encodeMessageRecord(appendixRecord());
    expect(bytes.toString('hex')).to.equal(APPENDIX_RECORD_HEX);
    expect(bytes.length).to.equal(104);
  });

  it('decodes the Appendix A record', () => {
    const { record, sizeBytes } = decodeMessageRecord(Buffer.from(APPENDIX_RECORD_HEX, 'hex'), 0);
    expect(sizeBytes).to.equal(104);
    expect(record.bodyCrc).to.equal(907060870);
    expect(record.magicCode).to.equal(0xdaa320a7 | 0);
    const { magicCode, bodyCrc, ...fields } = record;
    void magicCode;
    void bodyCrc;
    expect(fields).to.deep.equal(appendixRecord());
    expect(createMessageId(record.storeHost, record.physicalOffset)).to.equal('0A00000200002A9F00000000000003E8');
  });

  it('computes BODYCRC like java.util.zip.CRC32 & 0x7FFFFFFF', () => {
    expect(messageBodyCrc(Buffer.from('hello'))).to.equal(907060870);
    const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 37) & 0xff));
    expect(portableCrc32(data) & 0x7fffffff).to.equal(messageBodyCrc(data));
    expect(messageBodyCrc(Buffer.alloc(0))).to.equal(0);
  });

  it('round-trips IPv6 hosts, large offsets and UTF-8 topic/properties', () => {
    const original = ipv6Record();
    const bytes = encodeMessageRecord(original);
    const layout = recordLayout(original.sysFlag);
    expect(layout.storeTimestampPosition).to.equal(68);
    expect(layout.bodyLengthPosition).to.equal(84 + 24);
    expect(bytes.length).to.equal(messageRecordSize(original.sysFlag, 300, 7, 14));
    const { record } = decodeMessageRecord(bytes, 0);
    const { magicCode, bodyCrc, ...fields } = record;
    void magicCode;
    void bodyCrc;
    expect(fields).to.deep.equal(original);
  });

  it('decodes a record in the middle of a larger buffer', () => {
    const bytes = encodeMessageRecord(appendixRecord());
    const wrapped = Buffer.concat([Buffer.alloc(13, 0xee), bytes, Buffer.alloc(5)]);
    expect(decodeMessageRecord(wrapped, 13).record.topic).to.equal('T');
  });

  it('has the documented field positions for IPv4 hosts', () => {
    const layout = recordLayout(0);
    expect(QUEUEOFFSET_POSITION).to.equal(20);
    expect(PHYSICALOFFSET_POSITION).to.equal(28);
    expect(SYSFLAG_POSITION).to.equal(36);
    expect(layout.storeTimestampPosition).to.equal(56);
    expect(layout.storeHostPosition).to.equal(64);
    expect(layout.reconsumeTimesPosition).to.equal(72);
    expect(layout.preparedTransactionOffsetPosition).to.equal(76);
    expect(layout.bodyLengthPosition).to.equal(84);
    expect(storeTimestampPosition(MessageSysFlag.STOREHOSTADDRESS_V6_FLAG)).to.equal(56);
    expect(storeTimestampPosition(MessageSysFlag.BORNHOST_V6_FLAG)).to.equal(68);
    expect(messageRecordSize(0, 0, 0, 0)).to.equal(MIN_RECORD_SIZE_BYTES);
  });

  it('patches offsets and store time in place', () => {
    for (const original of [appendixRecord(), ipv6Record()]) {
      const bytes = encodeMessageRecord(original);
      patchRecordOffsets(bytes, 77, 2 ** 33 + 1);
      patchRecordStoreTimestamp(bytes, 1234567890123);
      const { record } = decodeMessageRecord(bytes, 0);
      expect([record.queueOffset, record.physicalOffset]).to.deep.equal([77, 2 ** 33 + 1]);
      expect(record.storeTimestampMs).to.equal(1234567890123);
      expect(record.bornTimestampMs).to.equal(original.bornTimestampMs);
    }
  });

  it('rejects over-long topics and properties on encode', () => {
    expect(() => encodeMessageRecord({ ...appendixRecord(), topic: 'x'.repeat(128) })).to.throw(RangeError);
    const properties = `K\u0001${'v'.repeat(32766)}\u0002`;
    expect(() => encodeMessageRecord({ ...appendixRecord(), propertiesString: properties })).to.throw(RangeError);
    expect(encodeMessageRecord({ ...appendixRecord(), topic: 'x'.repeat(127) }).length).to.equal(230);
  });

  it('throws truncated for every proper prefix', () => {
    const bytes = encodeMessageRecord(appendixRecord());
    for (let length = 0; length < bytes.length; length++) {
      expectCodecError(() => decodeMessageRecord(bytes.subarray(0, length), 0), 'truncated');
    }
  });

  it('throws bad-magic and bad-length for inconsistent headers', () => {
    const badMagic = encodeMessageRecord(appendixRecord());
    badMagic.writeInt32BE(0x12345678, 4);
    expectCodecError(() => decodeMessageRecord(badMagic, 0), 'bad-magic');
    const badBody = encodeMessageRecord(appendixRecord());
    badBody.writeInt32BE(50, 84);
    expectCodecError(() => decodeMessageRecord(badBody, 0), 'bad-length');
    const badTotal = Buffer.concat([encodeMessageRecord(appendixRecord()), Buffer.alloc(4)]);
    badTotal.writeInt32BE(108, 0);
    expectCodecError(() => decodeMessageRecord(badTotal, 0), 'bad-length');
    const negativeTopic = encodeMessageRecord(appendixRecord());
    negativeTopic.writeInt8(-1, 84 + 4 + 5);
    expectCodecError(() => decodeMessageRecord(negativeTopic, 0), 'bad-length');
  });

  it('never throws anything but MessageCodecError on random bytes', () => {
    let seed = 12345;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
    const template = encodeMessageRecord(appendixRecord());
    for (let round = 0; round < 2000; round++) {
      const bytes = Buffer.from(template);
      for (let flips = 0; flips < 1 + (round % 6); flips++) bytes[random() % bytes.length] = random();
      try {
        decodeMessageRecord(bytes, 0);
      } catch (error) {
        expect(error).to.be.instanceOf(MessageCodecError);
      }
      checkMessageRecord(bytes, 0);
    }
  });
});

describe('checkMessageRecord', () => {
  const good = () => encodeMessageRecord(appendixRecord());

  it('accepts a good record and checks its physical offset when asked', () => {
    expect(checkMessageRecord(good(), 0)).to.deep.equal({ status: 'ok', sizeBytes: 104 });
    expect(checkMessageRecord(good(), 0, { expectedPhysicalOffset: 1000 }).status).to.equal('ok');
    expect(checkMessageRecord(good(), 0, { expectedPhysicalOffset: 0 }).status).to.equal('bad-offset');
  });

  it('recognises the blank filler and zero space', () => {
    const blank = Buffer.alloc(16);
    blank.writeInt32BE(4000, 0);
    blank.writeInt32BE(0xcbd43194 | 0, 4);
    expect(checkMessageRecord(blank, 0)).to.deep.equal({ status: 'blank', sizeBytes: 4000 });
    expect(checkMessageRecord(Buffer.alloc(200), 0).status).to.equal('empty');
  });

  it('reports truncation, bad CRC, bad magic and bad length', () => {
    expect(checkMessageRecord(good().subarray(0, 50), 0)).to.deep.equal({
      status: 'truncated',
      sizeBytes: 104,
    });
    expect(checkMessageRecord(good().subarray(0, 5), 0).status).to.equal('truncated');
    const badCrc = good();
    badCrc[89] ^= 1;
    expect(checkMessageRecord(badCrc, 0).status).to.equal('bad-crc');
    expect(checkMessageRecord(badCrc, 0, { checkCrc: false }).status).to.equal('ok');
    const badMagic = good();
    badMagic[5] = 0;
    expect(checkMessageRecord(badMagic, 0).status).to.equal('bad-magic');
    const badLength = good();
    badLength.writeInt32BE(20, 0);
    expect(checkMessageRecord(badLength, 0).status).to.equal('bad-length');
    expect(checkMessageRecord(good(), 0, { maxSizeBytes: 100 }).status).to.equal('bad-length');
  });
});
