import { expect } from 'chai';
import { CodecError } from './codec-error';
import { parseFastjson } from './fastjson-parse';
import { JavaDouble, stringifyFastjson } from './fastjson-write';

describe('fastjson dialect', () => {
  // Literal 4.7.1 + fastjson 1.2.69 outputs from protocol-4.7.1.md §3.14 / §7.
  const route =
    '{"brokerDatas":[{"brokerAddrs":{0:"127.0.0.1:10911",1:"127.0.0.1:10921"},' +
    '"brokerName":"broker-a","cluster":"DefaultCluster"}],"filterServerTable":{},' +
    '"queueDatas":[{"brokerName":"broker-a","perm":6,"readQueueNums":4,"topicSynFlag":0,"writeQueueNums":4}]}';

  it('parses unquoted numeric map keys', () => {
    const parsed = parseFastjson(route) as any;
    expect(parsed.brokerDatas[0].brokerAddrs).to.deep.equal({ 0: '127.0.0.1:10911', 1: '127.0.0.1:10921' });
  });

  it('writes a route body exactly as Java does', () => {
    const body = {
      brokerDatas: [
        {
          brokerAddrs: new Map([
            [0, '127.0.0.1:10911'],
            [1, '127.0.0.1:10921'],
          ]),
          brokerName: 'broker-a',
          cluster: 'DefaultCluster',
        },
      ],
      filterServerTable: new Map(),
      queueDatas: [{ writeQueueNums: 4, brokerName: 'broker-a', perm: 6, readQueueNums: 4, topicSynFlag: 0 }],
    };
    expect(stringifyFastjson(body)).to.equal(route);
  });

  it('parses and writes objects used as map keys', () => {
    const text =
      '{"offsetTable":{{"brokerName":"b","queueId":0,"topic":"T"}:{"lastUpdateTimestamp":1600000000000,"maxOffset":100,"minOffset":0}}}';
    const parsed = parseFastjson(text) as any;
    expect(parsed.offsetTable).to.be.instanceOf(Map);
    const [[key, value]] = [...parsed.offsetTable.entries()];
    expect(key).to.deep.equal({ brokerName: 'b', queueId: 0, topic: 'T' });
    expect(value.maxOffset).to.equal(100);
    expect(
      stringifyFastjson({ offsetTable: new Map([[{ topic: 'T', queueId: 0, brokerName: 'b' }, value]]) }),
    ).to.equal(text);
  });

  it('writes nested numeric-key maps for consumerOffset.json', () => {
    const table = new Map([
      [
        'T@cg',
        new Map([
          [1, 4],
          [0, 3],
        ]),
      ],
    ]);
    expect(stringifyFastjson({ offsetTable: table })).to.equal('{"offsetTable":{"T@cg":{0:3,1:4}}}');
  });

  it('writes string-keyed maps in java.util.HashMap order and beans sorted', () => {
    const kv = new Map([
      ['b', '2'],
      ['a', '1'],
      ['c', '3'],
    ]);
    expect(stringifyFastjson({ table: kv, ab: null, aa: undefined })).to.equal('{"table":{"a":"1","b":"2","c":"3"}}');
  });

  it('writes doubles with a decimal point and escapes control characters', () => {
    expect(stringifyFastjson({ tps: new JavaDouble(1), avg: new JavaDouble(1.5) })).to.equal('{"avg":1.5,"tps":1.0}');
    expect(stringifyFastjson('a\u0001b\n"\\')).to.equal('"a\\u0001b\\n\\"\\\\"');
  });

  it('writes PrettyFormat with tabs', () => {
    expect(stringifyFastjson({ a: 1, b: { c: [1, 2] }, d: [] }, { pretty: true })).to.equal(
      '{\n\t"a":1,\n\t"b":{\n\t\t"c":[\n\t\t\t1,\n\t\t\t2\n\t\t]\n\t},\n\t"d":[]\n}',
    );
  });

  it('accepts quoted numeric keys, single quotes, trailing commas and numbers as strings', () => {
    expect(parseFastjson("{'a':'x', \"0\":1, 2:3,}")).to.deep.equal({ a: 'x', 0: 1, 2: 3 });
    expect(parseFastjson('[1,-2.5e3,true,false,null]')).to.deep.equal([1, -2500, true, false, null]);
  });

  it('keeps $ref objects as they are', () => {
    expect(parseFastjson('{"a":{"x":1},"b":{"$ref":"$.a"}}')).to.deep.equal({ a: { x: 1 }, b: { $ref: '$.a' } });
  });

  it('does not let a __proto__ key change the prototype', () => {
    const parsed = parseFastjson('{"__proto__":{"polluted":true}}') as any;
    expect(({} as any).polluted).to.equal(undefined);
    expect(parsed.__proto__).to.deep.equal({ polluted: true });
  });

  const bad = ['{', '{"a":}', '[1,2', '"abc', '{"a" 1}', '{"a":1} x', '"\\q"', '@', ''];
  for (const text of bad) {
    it(`refuses ${JSON.stringify(text)} with a CodecError`, () => {
      expect(() => parseFastjson(text)).to.throw(CodecError);
    });
  }

  it('refuses nesting deeper than its limit', () => {
    expect(() => parseFastjson('['.repeat(100) + ']'.repeat(100))).to.throw(CodecError, /deep/);
  });
});
