import { expect } from 'chai';
import { encodeJsonHeader } from '../codec/json-header-codec';
import {
  createResponseCommand,
  type RemotingCommand,
  RPC_TYPE_RESPONSE,
  SerializeType,
} from '../codec/remoting-command';
import { ResponseCode } from '../codec/response-code';
import { type SendAnswerFields, sendAnswerHeader } from './send-response-template';

function generic(opaque: number, fields: SendAnswerFields): Buffer {
  const response = createResponseCommand(
    { opaque, serializeType: SerializeType.JSON } as RemotingCommand,
    ResponseCode.SUCCESS,
    { extFields: { ...fields } },
  );
  response.flag |= RPC_TYPE_RESPONSE;
  return encodeJsonHeader(response);
}

describe('send answer header template', () => {
  it("gives the generic encoder's bytes for any opaque, offsets and settings", () => {
    const cases: [number, SendAnswerFields][] = [
      [
        1,
        {
          msgId: '7F00000100002A9F0000000000000000',
          queueId: '0',
          queueOffset: '0',
          MSG_REGION: 'DefaultRegion',
          TRACE_ON: 'true',
        },
      ],
      [
        -2147483648,
        {
          msgId: 'AC10000500002A9F00000001FFFFFFFF',
          queueId: '1023',
          queueOffset: '9007199254740991',
          MSG_REGION: 'DefaultRegion',
          TRACE_ON: 'false',
        },
      ],
      [2147483647, { msgId: 'X', queueId: '7', queueOffset: '12', MSG_REGION: 'eu-west-1', TRACE_ON: 'true' }],
      [77, { msgId: 'X', queueId: '7', queueOffset: '12', MSG_REGION: 'DefaultRegion', TRACE_ON: 'true' }],
    ];
    for (const [opaque, fields] of cases) {
      const request = { opaque, serializeType: SerializeType.JSON } as RemotingCommand;
      expect(sendAnswerHeader(request, fields)!.toString(), JSON.stringify(fields)).to.equal(
        generic(opaque, fields).toString(),
      );
    }
  });

  it('declines what it cannot reproduce: other fields, escaped text, the binary header', () => {
    const fields = { msgId: 'A', queueId: '1', queueOffset: '2', MSG_REGION: 'DefaultRegion', TRACE_ON: 'true' };
    const json = { opaque: 1, serializeType: SerializeType.JSON } as RemotingCommand;
    expect(sendAnswerHeader({ ...json, serializeType: SerializeType.ROCKETMQ }, fields)).to.equal(undefined);
    expect(sendAnswerHeader(json, { ...fields, MSG_REGION: 'r"égion' })).to.equal(undefined);
    expect(sendAnswerHeader(json, { ...fields, msgId: 'a\\b' })).to.equal(undefined);
    expect(sendAnswerHeader(json, { ...fields, extra: 'x' } as SendAnswerFields)).to.equal(undefined);
    const { TRACE_ON: _trace, ...four } = fields;
    expect(sendAnswerHeader(json, four as SendAnswerFields)).to.equal(undefined);
    expect(sendAnswerHeader(json, fields)!.toString()).to.equal(generic(1, fields).toString());
  });
});
