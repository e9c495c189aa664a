import { expect } from 'chai';
import {
  bindProperties,
  formatJavaProperties,
  parseJavaProperties,
  persistedPropertyProblems,
} from './java-properties';

describe('Java properties', () => {
  it('reads the shipped broker.conf shapes', () => {
    const text =
      '# comment\n! also\nbrokerClusterName = DefaultCluster\nbrokerName=broker-a\nbrokerId:0\n  deleteWhen   04\n' +
      'messageDelayLevel=1s 5s \\\n  10s\nkey\\u0041=caf\\u00e9\n';
    const parsed = parseJavaProperties(text);
    expect(Object.fromEntries(parsed)).to.deep.equal({
      brokerClusterName: 'DefaultCluster',
      brokerName: 'broker-a',
      brokerId: '0',
      deleteWhen: '04',
      messageDelayLevel: '1s 5s 10s',
      keyA: 'café',
    });
  });

  it('binds values by the type of each field and reports unknown keys', () => {
    const config = { listenPort: 10911, autoCreateTopicEnable: true, brokerName: 'x' };
    const rejected = bindProperties(
      config,
      parseJavaProperties('listenPort=10915 \nautoCreateTopicEnable=FALSE\nbrokerName=b\nnope=1\nlistenPort2=3'),
    );
    expect(config).to.deep.equal({ listenPort: 10915, autoCreateTopicEnable: false, brokerName: 'b' });
    expect(rejected).to.deep.equal(['nope', 'listenPort2']);
  });

  it('rejects numbers that do not parse', () => {
    const config = { listenPort: 10911 };
    expect(bindProperties(config, parseJavaProperties('listenPort=abc'))).to.deep.equal(['listenPort']);
    expect(config.listenPort).to.equal(10911);
  });

  it('formats key=value lines like MixAll.properties2String', () => {
    expect(
      formatJavaProperties([
        ['a', 1],
        ['b', 'x y'],
        ['c', undefined],
      ]),
    ).to.equal('a=1\nb=x y\n');
  });

  it("binds only the object's own fields, never toString, __proto__ and the like", () => {
    const config = { brokerName: 'x' };
    const rejected = bindProperties(
      config,
      new Map([
        ['toString', 'a'],
        ['__proto__', 'b'],
        ['constructor', 'c'],
        ['hasOwnProperty', 'd'],
      ]),
    );
    expect(rejected).to.deep.equal(['toString', '__proto__', 'constructor', 'hasOwnProperty']);
    expect(Object.keys(config)).to.deep.equal(['brokerName']);
    expect(String(config)).to.equal('[object Object]');
  });

  const roundTrips = [
    'DefaultCluster',
    '1s 5s 10s',
    'a=b:c',
    '127.0.0.1:9876;127.0.0.2:9876',
    'café 😀',
    '#not a comment',
    'x'.repeat(100_000),
    '',
  ];
  for (const value of roundTrips) {
    it(`persists and reads back ${JSON.stringify(value.slice(0, 30))} as itself`, () => {
      expect(persistedPropertyProblems(new Map([['brokerName', value]]))).to.deep.equal([]);
      expect(parseJavaProperties(formatJavaProperties([['brokerName', value]])).get('brokerName')).to.equal(value);
    });
  }

  const refused: [string, string, RegExp][] = [
    ['brokerName', 'x\naclEnable=true', /value of "brokerName" contains the control character U\+000A at index 1/],
    ['brokerName', 'x\r', /U\+000D/],
    ['brokerName', 'a\u0000', /U\+0000/],
    ['brokerName', 'a\tb', /U\+0009/],
    ['storePathRootDir', 'C:\\store', /contains a backslash at index 2/],
    ['brokerName', 'trailing\\', /backslash/],
    ['brokerName', '\ud800', /unpaired surrogate/],
    ['broker\nName', 'x', /the key of "broker\\nName" contains the control character/],
  ];
  for (const [key, value, problem] of refused) {
    it(`refuses to persist ${JSON.stringify(key)}=${JSON.stringify(value)}, naming the key and the rule`, () => {
      const problems = persistedPropertyProblems(
        new Map([
          ['ok', 'fine'],
          [key, value],
        ]),
      );
      expect(problems).to.have.length(1);
      expect(problems[0])
        .to.match(problem)
        .and.contain('may not hold control characters, unpaired surrogates or backslashes');
    });
  }
});
