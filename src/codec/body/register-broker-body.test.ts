import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { CodecError } from '../codec-error';
import { decodeRegisterBrokerBody, encodeRegisterBrokerBody, type RegisterBrokerBody } from './register-broker-body';

const FIXTURES_DIR = path.resolve(__dirname, '../../../../src/codec/fixtures/bodies');

function int32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(value);
  return bytes;
}

function prefixed(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([int32(bytes.length), bytes]);
}

/** RegisterBrokerBody.encode(true) per protocol §3.13, built by hand. */
function compressedBody(
  topicLines: string[],
  filterServers = '[]',
  dataVersion = '{"counter":3,"timestamp":1600000000000}',
): Buffer {
  const parts = [prefixed(dataVersion), int32(topicLines.length), ...topicLines.map(prefixed), prefixed(filterServers)];
  return zlib.deflateSync(Buffer.concat(parts), { level: 9 });
}

describe('RegisterBrokerBody', () => {
  it('decodes the JSON body the Java broker sends (golden fixture)', () => {
    const body = decodeRegisterBrokerBody(fs.readFileSync(path.join(FIXTURES_DIR, 'register_broker_body.json')), false);
    const wrapper = body.topicConfigSerializeWrapper;
    expect(wrapper.dataVersion).to.deep.equal({ counter: 3, timestamp: 1600000000000 });
    expect([...wrapper.topicConfigTable.keys()]).to.have.members(['%RETRY%cg', 'T', 'TBW102']);
    expect(wrapper.topicConfigTable.get('TBW102')).to.deep.equal({
      topicName: 'TBW102',
      readQueueNums: 8,
      writeQueueNums: 8,
      perm: 7,
      topicFilterType: 'SINGLE_TAG',
      topicSysFlag: 0,
      order: false,
    });
    expect(body.filterServerList).to.deep.equal([]);
  });

  it('re-encodes the golden fixture byte for byte', () => {
    const text = fs.readFileSync(path.join(FIXTURES_DIR, 'register_broker_body.json'));
    expect(encodeRegisterBrokerBody(decodeRegisterBrokerBody(text, false), false).toString()).to.equal(text.toString());
  });

  it('decodes a compressed body (zlib stream of lengths, DataVersion, topic lines, filter servers)', () => {
    const body = decodeRegisterBrokerBody(
      compressedBody(['T 4 4 6 SINGLE_TAG', 'TBW102 8 8 7 MULTI_TAG'], '["127.0.0.1:30000"]'),
      true,
    );
    const wrapper = body.topicConfigSerializeWrapper;
    expect(wrapper.dataVersion).to.deep.equal({ counter: 3, timestamp: 1600000000000 });
    expect(wrapper.topicConfigTable.get('T')).to.deep.equal({
      topicName: 'T',
      readQueueNums: 4,
      writeQueueNums: 4,
      perm: 6,
      topicFilterType: 'SINGLE_TAG',
      topicSysFlag: 0,
      order: false,
    });
    expect(wrapper.topicConfigTable.get('TBW102')!.topicFilterType).to.equal('MULTI_TAG');
    expect(body.filterServerList).to.deep.equal(['127.0.0.1:30000']);
  });

  it('round-trips through its own compressed encoding (order and topicSysFlag are lost, as in Java)', () => {
    const original: RegisterBrokerBody = {
      topicConfigSerializeWrapper: {
        dataVersion: { counter: 9, timestamp: 1 },
        topicConfigTable: new Map([
          [
            'T',
            {
              topicName: 'T',
              readQueueNums: 2,
              writeQueueNums: 3,
              perm: 4,
              topicFilterType: 'SINGLE_TAG',
              topicSysFlag: 1,
              order: true,
            },
          ],
        ]),
      },
      filterServerList: [],
    };
    const decoded = decodeRegisterBrokerBody(encodeRegisterBrokerBody(original, true), true);
    expect(decoded.topicConfigSerializeWrapper.dataVersion).to.deep.equal({ counter: 9, timestamp: 1 });
    expect(decoded.topicConfigSerializeWrapper.topicConfigTable.get('T')).to.include({
      readQueueNums: 2,
      writeQueueNums: 3,
      perm: 4,
      topicSysFlag: 0,
      order: false,
    });
  });

  it('keeps an unreadable compressed filter server list as empty, like Java', () => {
    expect(
      decodeRegisterBrokerBody(compressedBody(['T 4 4 6 SINGLE_TAG'], 'not json'), true).filterServerList,
    ).to.deep.equal([]);
  });

  it('fills Java defaults for missing JSON properties', () => {
    const body = decodeRegisterBrokerBody(
      Buffer.from(
        '{"topicConfigSerializeWrapper":{"dataVersion":{"counter":"2","timestamp":5},"topicConfigTable":{"T":{"perm":"4"}}}}',
      ),
      false,
      77,
    );
    expect(body.topicConfigSerializeWrapper.dataVersion).to.deep.equal({ counter: 2, timestamp: 5 });
    expect(body.topicConfigSerializeWrapper.topicConfigTable.get('T')).to.deep.equal({
      topicName: 'T',
      readQueueNums: 16,
      writeQueueNums: 16,
      perm: 4,
      topicFilterType: 'SINGLE_TAG',
      topicSysFlag: 0,
      order: false,
    });
    expect(
      decodeRegisterBrokerBody(Buffer.from('{}'), false, 77).topicConfigSerializeWrapper.dataVersion,
    ).to.deep.equal({ counter: 0, timestamp: 77 });
  });

  const bad: [string, Buffer, boolean][] = [
    ['JSON that does not parse', Buffer.from('{"topicConfigSerializeWrapper":'), false],
    ['a JSON array', Buffer.from('[]'), false],
    [
      'a non-numeric perm',
      Buffer.from('{"topicConfigSerializeWrapper":{"topicConfigTable":{"T":{"perm":"rw"}}}}'),
      false,
    ],
    [
      'an unknown topicFilterType',
      Buffer.from('{"topicConfigSerializeWrapper":{"topicConfigTable":{"T":{"topicFilterType":"X"}}}}'),
      false,
    ],
    ['bytes that do not inflate', Buffer.from('not zlib'), true],
    ['a truncated compressed stream', zlib.deflateSync(Buffer.concat([int32(100), Buffer.from('{}')])), true],
    ['a topic count beyond the body', zlib.deflateSync(Buffer.concat([prefixed('{}'), int32(1_000_000)])), true],
    ['a topic line without five fields', compressedBody(['T 4 4 6']), true],
    ['a topic line with a bad number', compressedBody(['T 4 x 6 SINGLE_TAG']), true],
  ];
  for (const [name, bytes, compressed] of bad) {
    it(`rejects ${name} with CodecError`, () => {
      expect(() => decodeRegisterBrokerBody(bytes, compressed)).to.throw(CodecError);
    });
  }
});
