import { expect } from 'chai';
import { createRequestCommand, encodeRemotingCommand, SerializeType } from './remoting-command';
import { peekRequestCode } from './request-code-peek';

function frameOf(headerText: string): Buffer {
  const header = Buffer.from(headerText, 'utf8');
  const frame = Buffer.alloc(4 + header.length);
  frame.writeUInt8(SerializeType.JSON, 0);
  frame.writeUIntBE(header.length, 1, 3);
  header.copy(frame, 4);
  return frame;
}

describe('peekRequestCode', () => {
  it('reads the code of JSON and ROCKETMQ frames as the decoder would', () => {
    for (const serializeType of [SerializeType.JSON, SerializeType.ROCKETMQ]) {
      for (const code of [10, 310, 320, 11, 0, 34]) {
        const frame = encodeRemotingCommand(
          createRequestCommand(code, 7, { extFields: { b: 'T' }, body: Buffer.from('x'), serializeType }),
        ).subarray(4);
        expect(peekRequestCode(frame), `code ${code} type ${serializeType}`).to.equal(code);
      }
    }
  });

  it('answers -1 when the JSON header does not start with the code', () => {
    expect(peekRequestCode(frameOf('{"extFields":{"code":"310"},"code":310}'))).to.equal(-1);
    expect(peekRequestCode(frameOf('{"code":"310"}'))).to.equal(-1);
    expect(peekRequestCode(frameOf('{"code":31x0}'))).to.equal(-1);
    expect(peekRequestCode(frameOf('{"code":3100000000,'))).to.equal(-1);
    expect(peekRequestCode(frameOf('{"code":'))).to.equal(-1);
    expect(peekRequestCode(Buffer.from([9, 0, 0, 2, 0, 1]))).to.equal(-1);
    expect(peekRequestCode(Buffer.alloc(3))).to.equal(-1);
  });

  it('never reads past the header length', () => {
    const frame = frameOf('{"code":310,');
    frame.writeUIntBE(9, 1, 3); // header ends inside the digits
    expect(peekRequestCode(frame)).to.equal(-1);
  });
});
