import { expect } from 'chai';
import { parseJavaProperties } from '../common/java-properties';
import { defaultMessageStoreConfig } from '../store/message-store-config';
import { defaultBrokerConfig } from './broker-config';
import { brokerConfigUpdateProblems } from './broker-config-update';

describe('UPDATE_BROKER_CONFIG checks', () => {
  const brokerConfig = defaultBrokerConfig();
  const storeConfig = defaultMessageStoreConfig('/tmp/rmq-update-check');
  const problems = (text: string) => brokerConfigUpdateProblems(parseJavaProperties(text), brokerConfig, storeConfig);

  const accepted = [
    'flushConsumerOffsetInterval=4000',
    'noSuchKey=1\nflushConsumerOffsetInterval=abc', // Java ignores both
    'aclEnable=true', // refused elsewhere (unimplemented-config.ts), kept as before
    'brokerIP1=10.0.0.1\nbrokerIP2=10.0.0.2',
    'brokerIP1=::1',
    'listenPort=10921',
    'listenPort=0',
    'metricsPort=5557',
    'metricsHost=0.0.0.0',
    'connectionWorkerThreads=2',
    'messageDelayLevel=1s 2m 3h 1d',
    'brokerName=broker-b\nbrokerClusterName=Cluster:with=odd#chars ü',
    'namesrvAddr=127.0.0.1:9876;127.0.0.2:9876',
    `storePathRootDir=${storeConfig.storePathRootDir}`,
    `mappedFileSizeCommitLog=${storeConfig.mappedFileSizeCommitLog}`,
    'brokerName=caf\\u00e9', // an escape in the request decodes to é, which is written as é
  ];
  for (const text of accepted) {
    it(`accepts ${JSON.stringify(text)}`, () => expect(problems(text)).to.deep.equal([]));
  }

  const refused: [string, RegExp][] = [
    ['brokerName=x\\naclEnable=true', /the value of "brokerName" contains the control character U\+000A/],
    ['productEnvName=a\\rb', /U\+000D/],
    ['brokerName=a\\\\b', /contains a backslash/],
    ['brokerName=end\\\\\\\\', /contains a backslash/],
    ['brokerIP1=not-an-ip', /^brokerIP1=not-an-ip: must be an IP address/],
    ['listenPort=70000', /^listenPort=70000: must be 0 or an integer in 3\.\.65535/],
    ['listenPort=1', /^listenPort=1:/],
    ['listenPort=10.5', /^listenPort=10\.5:/],
    ['bindAddress=somewhere', /^bindAddress=somewhere: must be an IP address/],
    ['metricsPort=70000', /^metricsPort=70000: must be 0 \(off\) or a port number 1\.\.65535/],
    ['metricsPort=-1', /^metricsPort=-1:/],
    ['metricsHost=localhost', /^metricsHost=localhost: must be an IP address/],
    ['consolePort=70000', /^consolePort=70000: must be 0 \(off\) or a TCP port number/],
    ['consolePort=-1', /^consolePort=-1:/],
    ['connectionWorkerThreads=65', /^connectionWorkerThreads=65: must be an integer 0\.\.64/],
    ['connectionWorkerThreads=-1', /^connectionWorkerThreads=-1:/],
    ['consoleHost=console.example', /^consoleHost=console\.example: must be an IP address/],
    ['messageDelayLevel=1s 5x', /^messageDelayLevel=1s 5x: bad delay level 5x/],
    ['storePathRootDir=/elsewhere', /^storePathRootDir cannot be changed remotely/],
    ['storePathCommitLog=/elsewhere/commitlog', /^storePathCommitLog cannot be changed remotely/],
    ['mappedFileSizeCommitLog=1024', /^mappedFileSizeCommitLog cannot be changed remotely/],
    ['mappedFileSizeConsumeQueue=20', /^mappedFileSizeConsumeQueue cannot be changed remotely/],
  ];
  for (const [text, problem] of refused) {
    it(`refuses ${JSON.stringify(text)}, naming the key and the rule`, () => {
      const found = problems(text);
      expect(found).to.have.length(1);
      expect(found[0]).to.match(problem);
    });
  }

  it('does not blame a request for what the running config already has', () => {
    const odd = { ...brokerConfig, bindAddress: 'localhost' }; // set in broker.conf by the operator
    expect(
      brokerConfigUpdateProblems(parseJavaProperties('flushConsumerOffsetInterval=4000'), odd, storeConfig),
    ).to.deep.equal([]);
  });

  it('never changes the config it checks', () => {
    const before = JSON.stringify([brokerConfig, storeConfig]);
    problems('listenPort=70000\nbrokerIP1=x\nmessageDelayLevel=1s');
    expect(JSON.stringify([brokerConfig, storeConfig])).to.equal(before);
  });
});
