import { expect } from 'chai';
import {
  allocTransfer,
  encodeReport,
  type HaProtocolError,
  MAX_TRANSFER_BODY_BYTES,
  ReportParser,
  type TransferFrame,
  TransferParser,
} from './ha-protocol';

function transfer(physicalOffset: number, body: Buffer): Buffer {
  const frame = allocTransfer(physicalOffset, body.length);
  body.copy(frame, 12);
  return frame;
}

/** Every way to cut `bytes` in two, plus byte-by-byte. */
function splits(bytes: Buffer): Buffer[][] {
  const result: Buffer[][] = [[bytes]];
  for (let cut = 1; cut < bytes.length; cut++) result.push([bytes.subarray(0, cut), bytes.subarray(cut)]);
  result.push([...bytes].map((byte) => Buffer.from([byte])));
  return result;
}

function parseAll(parser: TransferParser, chunks: Buffer[]): TransferFrame[] | HaProtocolError {
  const frames: TransferFrame[] = [];
  for (const chunk of chunks) {
    const got = parser.push(chunk);
    if ('error' in got) return got;
    frames.push(...got.map((frame) => ({ physicalOffset: frame.physicalOffset, body: Buffer.from(frame.body) })));
  }
  return frames;
}

describe('HA protocol (Java 4.7.1 HAService / HAConnection frames)', () => {
  it('encodes a report as one big-endian int64 and a transfer as offset, size, body', () => {
    expect(encodeReport(0x0102030405).toString('hex')).to.equal('0000000102030405');
    expect(transfer(1024 ** 3, Buffer.from('ab')).toString('hex')).to.equal('0000000040000000' + '00000002' + '6162');
    expect(allocTransfer(7, 0).toString('hex')).to.equal('0000000000000007' + '00000000');
  });

  it('parses transfers and heartbeats split anywhere into the same frames', () => {
    const stream = Buffer.concat([
      transfer(0, Buffer.from('hello')),
      allocTransfer(5, 0),
      transfer(5, Buffer.alloc(40, 7)),
      allocTransfer(45, 0),
    ]);
    const expected = [
      { physicalOffset: 0, body: Buffer.from('hello') },
      { physicalOffset: 5, body: Buffer.alloc(0) },
      { physicalOffset: 5, body: Buffer.alloc(40, 7) },
      { physicalOffset: 45, body: Buffer.alloc(0) },
    ];
    for (const chunks of splits(stream)) {
      expect(
        parseAll(new TransferParser(), chunks),
        `${chunks.length} chunks, first ${chunks[0].length} bytes`,
      ).to.deep.equal(expected);
    }
  });

  it('emits a heartbeat whose header ends exactly at the end of a chunk at once', () => {
    const parser = new TransferParser();
    expect(parser.push(allocTransfer(9, 0))).to.deep.equal([{ physicalOffset: 9, body: Buffer.alloc(0) }]);
  });

  const badTransfers: Array<[string, Buffer]> = [
    ['negative size', Buffer.from('0000000000000000ffffffff', 'hex')],
    [
      'size beyond what a slave can buffer',
      Buffer.from(`0000000000000000${(MAX_TRANSFER_BODY_BYTES + 1).toString(16).padStart(8, '0')}`, 'hex'),
    ],
    ['size 2^31 - 1', Buffer.from('00000000000000007fffffff', 'hex')],
    ['negative offset', Buffer.from('ffffffffffffffff00000000', 'hex')],
    ['offset beyond 2^53', Buffer.from('0020000000000001' + '00000000', 'hex')],
  ];
  for (const [what, bytes] of badTransfers) {
    it(`refuses a transfer stream with ${what}, however it is split`, () => {
      for (const chunks of splits(bytes)) {
        const got = parseAll(new TransferParser(), chunks);
        expect(got, `${chunks.length} chunks`).to.have.property('error');
      }
    });
  }

  it('refuses a body larger than the configured limit but accepts one at it', () => {
    expect(new TransferParser(4).push(transfer(0, Buffer.alloc(5)))).to.have.property('error');
    expect(new TransferParser(4).push(transfer(0, Buffer.alloc(4)))).to.have.length(1);
  });

  it('keeps the last complete report of a read, whatever the split, and holds a partial one', () => {
    const stream = Buffer.concat([encodeReport(1), encodeReport(2), encodeReport(300)]);
    for (const chunks of splits(stream)) {
      const parser = new ReportParser();
      let last: number | null = null;
      for (const chunk of chunks) {
        const got = parser.push(chunk);
        expect(got === null || typeof got === 'number', JSON.stringify(got)).to.equal(true);
        if (got !== null) last = got as number;
      }
      expect(last).to.equal(300);
    }
    const parser = new ReportParser();
    expect(parser.push(Buffer.concat([encodeReport(5), encodeReport(6).subarray(0, 3)]))).to.equal(5);
    expect(parser.push(encodeReport(6).subarray(3))).to.equal(6);
    expect(parser.push(Buffer.alloc(0))).to.equal(null);
  });

  const badReports: Array<[string, Buffer]> = [
    ['a negative offset', Buffer.from('ffffffffffffff00', 'hex')],
    ['an offset beyond 2^53', Buffer.from('7fffffffffffffff', 'hex')],
    ['a bad unit before a good one', Buffer.concat([Buffer.from('8000000000000000', 'hex'), encodeReport(8)])],
  ];
  for (const [what, bytes] of badReports) {
    it(`refuses a report stream with ${what}, however it is split`, () => {
      for (const chunks of splits(bytes)) {
        const parser = new ReportParser();
        const results = chunks.map((chunk) => parser.push(chunk));
        expect(
          results.some((result) => result !== null && typeof result === 'object'),
          `${chunks.length} chunks`,
        ).to.equal(true);
      }
    });
  }
});
