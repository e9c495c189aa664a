import { expect } from 'chai';
import {
  MessageConst,
  decodeMessageProperties,
  encodeMessageProperties,
  findMessageProperty,
  messagePropertiesToObject,
} from './message-properties';
import { putMessageProperty } from './put-message-property';

// [client's string, what Java 4.7.1 stores after putProperty(CLUSTER, DefaultCluster)]: produced by
// MessageDecoder.string2messageProperties / messageProperties2String of rocketmq-common 4.7.1.
const JAVA_PUT_CLUSTER: ReadonlyArray<readonly [string, string]> = [
  ['', 'CLUSTER\u0001DefaultCluster\u0002'],
  // a 4.7.1 client (trailing separator) and a 4.9.x client (none) give the same stored string
  [
    'TAGS\u0001TagA\u0002KEYS\u0001k1\u0002WAIT\u0001true\u0002',
    'KEYS\u0001k1\u0002CLUSTER\u0001DefaultCluster\u0002WAIT\u0001true\u0002TAGS\u0001TagA\u0002',
  ],
  [
    'TAGS\u0001TagA\u0002KEYS\u0001k1\u0002WAIT\u0001true',
    'KEYS\u0001k1\u0002CLUSTER\u0001DefaultCluster\u0002WAIT\u0001true\u0002TAGS\u0001TagA\u0002',
  ],
  [
    'UNIQ_KEY\u0001AC110001\u0002WAIT\u0001true\u0002TAGS\u0001TagA',
    'UNIQ_KEY\u0001AC110001\u0002CLUSTER\u0001DefaultCluster\u0002WAIT\u0001true\u0002TAGS\u0001TagA\u0002',
  ],
  // an empty name is kept, an empty value and a value holding \u0001 are dropped
  [
    '\u0001v\u0002k\u0001\u0002a\u0001b\u0001c\u0002\u0002x\u0001y',
    '\u0001v\u0002x\u0001y\u0002CLUSTER\u0001DefaultCluster\u0002',
  ],
  ['TAGS\u0001A\u0002TAGS\u0001B\u0002', 'CLUSTER\u0001DefaultCluster\u0002TAGS\u0001B\u0002'],
  // 13 entries: the HashMap has grown to 32 buckets
  [
    'a\u00011\u0002b\u00012\u0002c\u00013\u0002d\u00014\u0002e\u00015\u0002f\u00016\u0002' +
      'g\u00017\u0002h\u00018\u0002i\u00019\u0002j\u000110\u0002k\u000111\u0002l\u000112',
    'a\u00011\u0002b\u00012\u0002c\u00013\u0002d\u00014\u0002e\u00015\u0002f\u00016\u0002' +
      'g\u00017\u0002h\u00018\u0002i\u00019\u0002j\u000110\u0002k\u000111\u0002l\u000112' +
      '\u0002CLUSTER\u0001DefaultCluster\u0002',
  ],
];

describe('message properties', () => {
  it('encodes with a trailing separator, as Java does', () => {
    expect(encodeMessageProperties({ A: '1' })).to.equal('A\u00011\u0002');
    expect(
      encodeMessageProperties(
        new Map([
          ['TAGS', 'a'],
          ['KEYS', 'k1 k2'],
        ]),
      ),
    ).to.equal('TAGS\u0001a\u0002KEYS\u0001k1 k2\u0002');
    expect(encodeMessageProperties({ A: undefined, B: 'x' })).to.equal('B\u0001x\u0002');
    expect(encodeMessageProperties({})).to.equal('');
  });

  it('decodes and keeps only items with exactly two parts (Java split rules)', () => {
    const text = 'A\u00011\u0002EMPTY\u0001\u0002\u0002B\u0001x\u0001y\u0002C\u0001z\u0001\u0002D\u00014';
    expect(messagePropertiesToObject(decodeMessageProperties(text))).to.deep.equal({
      A: '1',
      C: 'z',
      D: '4',
    });
    expect(decodeMessageProperties('').size).to.equal(0);
  });

  it('finds one property without decoding the whole string', () => {
    const samples = [
      'TAGS\u0001a\u0002WAIT\u0001true\u0002',
      'XTAGS\u0001b\u0002TAGS\u0001c',
      'TAGS\u0001\u0002',
      'TAGS\u0001x\u0001y\u0002',
      'TAGS\u0001q\u0001\u0001\u0002',
      'TAGS\u0001first\u0002TAGS\u0001second\u0002',
      'TAGS\u0001first\u0002TAGS\u0001\u0002',
      '',
      'TAGS',
    ];
    for (const text of samples) {
      expect(findMessageProperty(text, 'TAGS'), JSON.stringify(text)).to.equal(
        decodeMessageProperties(text).get('TAGS'),
      );
    }
  });

  it('adds a property as Java 4.7.1 does, with or without the trailing separator', () => {
    for (const [text, stored] of JAVA_PUT_CLUSTER) {
      expect(putMessageProperty(text, 'CLUSTER', 'DefaultCluster'), JSON.stringify(text)).to.equal(stored);
    }
  });

  it('never glues a new property onto the last value of a 4.9.x client string', () => {
    const stored = putMessageProperty('TAGS\u0001TagA', 'CLUSTER', 'DefaultCluster');
    expect(findMessageProperty(stored, 'TAGS')).to.equal('TagA');
    expect(findMessageProperty(stored, 'CLUSTER')).to.equal('DefaultCluster');
    expect(findMessageProperty('TAGS\u0001TagA', 'TAGS')).to.equal('TagA');
  });

  it('names the well-known keys as MessageConst does', () => {
    expect(MessageConst.PROPERTY_TAGS).to.equal('TAGS');
    expect(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX).to.equal('UNIQ_KEY');
    expect(MessageConst.PROPERTY_REAL_QUEUE_ID).to.equal('REAL_QID');
    expect(MessageConst.PROPERTY_WAIT_STORE_MSG_OK).to.equal('WAIT');
  });
});
