import { expect } from 'chai';
import fc from 'fast-check';
import { encodeJsonHeader, encodeJsonHeaderGeneric } from './json-header-codec';
import { forgetTemplates, templatedJsonHeader, templateShapes } from './json-header-template';
import { fcParams } from './property-support';
import { CURRENT_VERSION, type RemotingCommand, RPC_TYPE_RESPONSE, SerializeType } from './remoting-command';

function command(init: Partial<RemotingCommand>): RemotingCommand {
  return {
    code: 0,
    language: 'JAVA',
    version: CURRENT_VERSION,
    opaque: 1,
    flag: RPC_TYPE_RESPONSE,
    serializeType: SerializeType.JSON,
    ...init,
  };
}

const pullAnswer = (opaque: number, next: string, min: string, max: string, remark = 'FOUND') =>
  command({
    opaque,
    remark,
    extFields: { suggestWhichBrokerId: '0', nextBeginOffset: next, minOffset: min, maxOffset: max },
  });

describe('JSON header templates', () => {
  it("renders a pull answer's and a send answer's header byte for byte as the generic encoder does", () => {
    const cases = [
      pullAnswer(1, '32', '0', '1000'),
      pullAnswer(-2147483648, '9007199254740991', '0', '9007199254740991'),
      pullAnswer(2147483647, '5', '5', '5', 'NO_MATCHED_MESSAGE'),
      pullAnswer(7, '0', '0', '0', 'OFFSET_TOO_SMALL'),
      command({
        opaque: 99,
        extFields: {
          msgId: '7F00000100002A9F0000000000001234',
          queueId: '3',
          queueOffset: '12',
          MSG_REGION: 'DefaultRegion',
          TRACE_ON: 'true',
        },
      }),
      command({ opaque: 3, code: 1, remark: 'topic not exist' }),
      command({ opaque: 4, flag: 0, code: 34, extFields: undefined }),
      command({ opaque: 5, flag: 0, code: 34, extFields: {} }),
    ];
    for (const each of cases) {
      const templated = templatedJsonHeader(each, encodeJsonHeaderGeneric);
      expect(templated, JSON.stringify(each)).to.not.equal(undefined);
      expect(templated!.toString('utf8')).to.equal(encodeJsonHeaderGeneric(each).toString('utf8'));
      expect(encodeJsonHeader(each).equals(encodeJsonHeaderGeneric(each))).to.equal(true);
    }
  });

  it('declines what it cannot reproduce: escaped or non-ASCII values, keys and remarks, long remarks', () => {
    const declined = [
      pullAnswer(1, '1"2', '0', '0'),
      pullAnswer(1, 'é', '0', '0'),
      pullAnswer(1, '1', '0', '0', 'a\\b'),
      pullAnswer(1, '1', '0', '0', 'x'.repeat(65)),
      command({ extFields: { 'k\u0001': 'v' } }),
      command({ extFields: { k: 5 as unknown as string } }),
    ];
    for (const each of declined) {
      expect(templatedJsonHeader(each, encodeJsonHeaderGeneric), JSON.stringify(each)).to.equal(undefined);
      expect(encodeJsonHeader(each).equals(encodeJsonHeaderGeneric(each))).to.equal(true);
    }
  });

  it('keeps shapes apart whose keys differ only in where a separator could be', () => {
    const one = command({ code: 77, extFields: { 'a|b': '1' } });
    const two = command({ code: 77, extFields: { a: '1', b: '2' } });
    for (const each of [one, two, one])
      expect(encodeJsonHeader(each).toString('utf8')).to.equal(encodeJsonHeaderGeneric(each).toString('utf8'));
  });

  it('never uses a template that does not reproduce the encoder (a shape whose markers collide)', () => {
    const collides = command({ remark: '1357924680', extFields: { a: 'x' } });
    expect(templatedJsonHeader(collides, encodeJsonHeaderGeneric)).to.equal(undefined);
    const lying = (each: RemotingCommand) => Buffer.from(`${encodeJsonHeaderGeneric(each).toString()} `, 'utf8');
    const lyingShape = command({ code: 4242, extFields: { only: 'one' } });
    let calls = 0;
    const counting = (each: RemotingCommand) => {
      calls++;
      return calls === 2 ? lying(each) : encodeJsonHeaderGeneric(each); // the sample check sees other bytes
    };
    expect(templatedJsonHeader(lyingShape, counting)).to.equal(undefined);
  });

  it('equals the generic encoder for any plain shape and values (property)', () => {
    const plain = fc.string({ unit: fc.constantFrom(...'aZ09 -_.:/%@~!'.split('')), maxLength: 24 });
    fc.assert(
      fc.property(
        fc.integer({ min: -2147483648, max: 2147483647 }),
        fc.integer({ min: 0, max: 400 }),
        fc.constantFrom(0, 1, 2, 3),
        fc.option(plain, { nil: undefined }),
        fc.dictionary(plain, plain, { maxKeys: 6 }),
        (opaque, code, flag, remark, extFields) => {
          const each = command({ opaque, code, flag, remark, extFields });
          expect(encodeJsonHeader(each).toString('utf8')).to.equal(encodeJsonHeaderGeneric(each).toString('utf8'));
        },
      ),
      fcParams(),
    );
    expect(templateShapes()).to.be.at.most(512);
    forgetTemplates();
  });
});
