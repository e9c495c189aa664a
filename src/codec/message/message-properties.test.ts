import { expect } from 'chai';
import {
  MessageConst,
  decodeMessageProperties,
  encodeMessageProperties,
  findMessageProperty,
  messagePropertiesToObject,
} from './message-properties';

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
    const text =
      'A\u00011\u0002EMPTY\u0001\u0002\u0002B\u0001x\u0001y\u0002C\u0001z\u0001\u0002D\u00014';
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

  it('names the well-known keys as MessageConst does', () => {
    expect(MessageConst.PROPERTY_TAGS).to.equal('TAGS');
    expect(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX).to.equal('UNIQ_KEY');
    expect(MessageConst.PROPERTY_REAL_QUEUE_ID).to.equal('REAL_QID');
    expect(MessageConst.PROPERTY_WAIT_STORE_MSG_OK).to.equal('WAIT');
  });
});
