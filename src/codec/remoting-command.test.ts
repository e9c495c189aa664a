import { expect } from 'chai';
import { CodecError } from './codec-error';
import { FrameDecoder } from './frame-decoder';
import {
  createRequestCommand,
  createResponseCommand,
  decodeRemotingCommand,
  encodeRemotingCommand,
  SerializeType,
} from './remoting-command';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

function decodeWhole(frame: Buffer) {
  const frames = new FrameDecoder().push(frame);
  expect(frames).to.have.length(1);
  return decodeRemotingCommand(frames[0]);
}

describe('RemotingCommand', () => {
  // protocol-4.7.1.md §1.3: GET_ROUTEINFO_BY_TOPIC(topic=T), opaque 1, produced by the 4.7.1 classes.
  const routeRequestBinary = hex(
    '00000025 01000021 0069 00 0163 00000001 00000000 00000000 0000000c 0005 746f706963 00000001 54',
  );

  it('decodes the reference ROCKETMQ binary frame', () => {
    const command = decodeWhole(routeRequestBinary);
    expect(command).to.include({ code: 105, language: 'JAVA', version: 355, opaque: 1, flag: 0 });
    expect(command.extFields).to.deep.equal({ topic: 'T' });
    expect(command.remark).to.equal(undefined);
    expect(command.body).to.equal(undefined);
  });

  it('re-encodes the reference ROCKETMQ binary frame byte for byte', () => {
    const command = decodeWhole(routeRequestBinary);
    expect(encodeRemotingCommand(command).toString('hex')).to.equal(routeRequestBinary.toString('hex'));
  });

  const javaJsonHeaders = [
    '{"code":310,"extFields":{"a":"pg","b":"T","c":"TBW102","d":"4","e":"1","f":"0","g":"1600000000000","h":"0",' +
      '"i":"TAGS\\u0001a\\u0002WAIT\\u0001true\\u0002","j":"0","k":"false","m":"false"},' +
      '"flag":0,"language":"JAVA","opaque":0,"serializeTypeCurrentRPC":"JSON","version":355}',
    '{"code":15,"flag":2,"language":"JAVA","opaque":1,"serializeTypeCurrentRPC":"JSON","version":355}',
    '{"code":0,"extFields":{"suggestWhichBrokerId":"0","nextBeginOffset":"5","maxOffset":"5","minOffset":"0"},' +
      '"flag":1,"language":"JAVA","opaque":42,"remark":"FOUND","serializeTypeCurrentRPC":"JSON","version":355}',
    '{"code":0,"flag":1,"language":"JAVA","opaque":7,"serializeTypeCurrentRPC":"JSON","version":355}',
    '{"code":1,"flag":1,"language":"JAVA","opaque":4,"remark":"oops \\"quoted\\" é","serializeTypeCurrentRPC":"JSON","version":355}',
    '{"code":103,"extFields":{"brokerId":"0","bodyCrc32":"1624669282","clusterName":"DefaultCluster",' +
      '"brokerAddr":"127.0.0.1:10911","haServerAddr":"127.0.0.1:10912","compressed":"false","brokerName":"broker-a"},' +
      '"flag":0,"language":"JAVA","opaque":3,"serializeTypeCurrentRPC":"JSON","version":355}',
  ];

  for (const header of javaJsonHeaders) {
    it(`round-trips the Java JSON header ${header.slice(0, 40)}… byte for byte`, () => {
      const headerBytes = Buffer.from(header, 'utf8');
      const body = Buffer.from('hello');
      const frame = Buffer.alloc(8 + headerBytes.length + body.length);
      frame.writeInt32BE(4 + headerBytes.length + body.length, 0);
      frame.writeInt32BE(headerBytes.length, 4);
      headerBytes.copy(frame, 8);
      body.copy(frame, 8 + headerBytes.length);
      const command = decodeWhole(frame);
      expect(command.serializeType).to.equal(SerializeType.JSON);
      expect(command.body?.toString()).to.equal('hello');
      expect(encodeRemotingCommand(command).toString('utf8')).to.equal(frame.toString('utf8'));
    });
  }

  it('reports the 278/269 lengths of the reference SEND_MESSAGE_V2 frame', () => {
    const header = Buffer.from(javaJsonHeaders[0], 'utf8');
    expect(header.length).to.equal(269);
    const command = createRequestCommand(310, 0, {
      extFields: decodeWhole(Buffer.concat([hex('00000111 0000010d'), header])).extFields,
      body: Buffer.from('hello'),
    });
    const frame = encodeRemotingCommand(command);
    expect(frame.subarray(0, 8).toString('hex')).to.equal('000001160000010d');
  });

  it('answers with the request opaque, response flag and serialize type', () => {
    const request = createRequestCommand(105, 77, { serializeType: SerializeType.ROCKETMQ });
    const response = createResponseCommand(request, 17, { remark: 'no route' });
    const decoded = decodeWhole(encodeRemotingCommand(response));
    expect(decoded).to.include({
      code: 17,
      opaque: 77,
      flag: 1,
      remark: 'no route',
      serializeType: SerializeType.ROCKETMQ,
    });
  });

  it('accepts numeric extFields values and ordinal languages in JSON headers', () => {
    const header = Buffer.from('{"code":14,"language":9,"extFields":{"queueId":3,"topic":"T"},"opaque":5}');
    const frame = Buffer.concat([Buffer.alloc(8), header]);
    frame.writeInt32BE(4 + header.length, 0);
    frame.writeInt32BE(header.length, 4);
    const command = decodeWhole(frame);
    expect(command.language).to.equal('GO');
    expect(command.extFields).to.deep.equal({ queueId: '3', topic: 'T' });
    expect(command.version).to.equal(0);
  });

  const malformed: [string, string][] = [
    ['unknown serialize type', '00000008 07000000 00000000'],
    ['header length beyond the frame', '00000008 000000ff 7b7d0000'],
    ['JSON header that is not JSON', '00000006 00000002 7b7b'],
    ['JSON header that is an array', '00000006 00000002 5b5d'],
    ['binary header cut short', '00000008 01000004 00690000'],
    ['binary remark length past the end', '00000019 01000015 0069 00 0163 00000001 00000000 00000100 00000000'],
    [
      'binary extFields entry past the end',
      '0000001d 01000019 0069 00 0163 00000001 00000000 00000000 00000006 0005 7475',
    ],
    ['non-integer code', '0000000f 0000000b 7b22636f6465223a2278227d'],
    ['unknown language', '0000001a 00000016 7b226c616e6775616765223a224b4f544c494e22207d'],
  ];
  for (const [name, frameHex] of malformed) {
    it(`refuses a frame with ${name}`, () => {
      const frames = new FrameDecoder().push(hex(frameHex));
      expect(frames).to.have.length(1);
      expect(() => decodeRemotingCommand(frames[0])).to.throw(CodecError);
    });
  }
});
