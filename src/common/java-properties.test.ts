import { expect } from 'chai';
import { bindProperties, formatJavaProperties, parseJavaProperties } from './java-properties';

describe('Java properties', () => {
  it('reads the shipped broker.conf shapes', () => {
    const text = '# comment\n! also\nbrokerClusterName = DefaultCluster\nbrokerName=broker-a\nbrokerId:0\n  deleteWhen   04\nmessageDelayLevel=1s 5s \\\n  10s\nkey\\u0041=caf\\u00e9\n';
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
    const rejected = bindProperties(config, parseJavaProperties('listenPort=10915 \nautoCreateTopicEnable=FALSE\nbrokerName=b\nnope=1\nlistenPort2=3'));
    expect(config).to.deep.equal({ listenPort: 10915, autoCreateTopicEnable: false, brokerName: 'b' });
    expect(rejected).to.deep.equal(['nope', 'listenPort2']);
  });

  it('rejects numbers that do not parse', () => {
    const config = { listenPort: 10911 };
    expect(bindProperties(config, parseJavaProperties('listenPort=abc'))).to.deep.equal(['listenPort']);
    expect(config.listenPort).to.equal(10911);
  });

  it('formats key=value lines like MixAll.properties2String', () => {
    expect(formatJavaProperties([['a', 1], ['b', 'x y'], ['c', undefined]])).to.equal('a=1\nb=x y\n');
  });
});
