// UPDATE_BROKER_CONFIG persists every setting to the broker's `-c` file, which the next start
// reads. A broker started like `mqbroker -c broker.conf` refuses the updates that would make that
// file say something else (a line break adding keys) or make the next start fail, keeps the
// updates Java would keep, and starts again from the rewritten file and serves.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import type { BrokerController } from '../../src/broker/broker-controller';
import { createBrokerController, parseBrokerArgs } from '../../src/cli/broker-startup';
import { RequestCode } from '../../src/codec/request-code';
import { ResponseCode } from '../../src/codec/response-code';
import { Cluster, pullHeader, sendHeader } from './harness';

describe('broker config updates persisted to the -c file, then a restart from it', function () {
  this.timeout(30000);
  const cluster = new Cluster(); // its NameServer and home; the broker is started from a file here
  const topic = `CONF_${Date.now()}`;
  let confFile: string;
  let broker: BrokerController;
  const address = () => `127.0.0.1:${broker.listenPort}`;
  const update = (text: string) =>
    cluster.request(address(), RequestCode.UPDATE_BROKER_CONFIG, undefined, Buffer.from(text));

  async function startFromFile(): Promise<void> {
    broker = createBrokerController(parseBrokerArgs(['-c', confFile]));
    await broker.start();
  }

  before(async () => {
    await cluster.start();
    await cluster.broker.shutdown(); // the harness broker is not used
    confFile = path.join(cluster.home, 'broker.conf');
    const storeDir = path.join(cluster.home, 'conf-store');
    fs.writeFileSync(
      confFile,
      `brokerName=broker-conf\nlistenPort=0\nnamesrvAddr=${cluster.namesrvAddr}\n` +
        `storePathRootDir=${storeDir}\nmappedFileSizeCommitLog=1048576\n`,
    );
    await startFromFile();
  });
  after(async () => {
    await broker?.shutdown();
    cluster.client.shutdown();
    await cluster.namesrv.shutdown();
    fs.rmSync(cluster.home, { recursive: true, force: true });
  });

  it('refuses what would rewrite the file into something else or stop the next start, and changes nothing', async () => {
    const before = fs.readFileSync(confFile, 'utf8');
    const refusals: [string, RegExp][] = [
      ['brokerName=x\\naclEnable=true\n', /the value of "brokerName" contains the control character U\+000A/],
      ['brokerName=x\\\\\n', /backslash/],
      ['brokerIP1=not-an-ip\n', /brokerIP1=not-an-ip: must be an IP address/],
      ['listenPort=99999\n', /listenPort=99999: must be 0 or an integer in 3\.\.65535/],
      ['messageDelayLevel=1s 5x\n', /bad delay level 5x/],
      ['storePathRootDir=/somewhere/else\n', /storePathRootDir cannot be changed remotely/],
    ];
    for (const [text, remark] of refusals) {
      const response = await update(text);
      expect(response.code, text).to.equal(ResponseCode.SYSTEM_ERROR);
      expect(response.remark)
        .to.match(/^updateBrokerConfig refused, nothing changed: /)
        .and.match(remark);
    }
    expect(fs.readFileSync(confFile, 'utf8')).to.equal(before);
    expect(broker.brokerConfig.brokerName).to.equal('broker-conf');
  });

  it('persists an update Java would keep and starts again from the rewritten file, serving a send and a pull', async () => {
    const response = await update('flushConsumerOffsetInterval=4000\nbrokerClusterName=Cluster-ü\n');
    expect(response.code, response.remark).to.equal(ResponseCode.SUCCESS);
    const sent = await cluster.request(
      address(),
      RequestCode.SEND_MESSAGE_V2,
      sendHeader(topic, 0),
      Buffer.from('before'),
    );
    expect(sent.code, sent.remark).to.equal(ResponseCode.SUCCESS);
    await broker.shutdown();
    cluster.client.close(address());
    await startFromFile();
    expect(broker.brokerConfig.flushConsumerOffsetInterval).to.equal(4000);
    expect(broker.brokerConfig.brokerClusterName).to.equal('Cluster-ü');
    expect(broker.brokerConfig.brokerName).to.equal('broker-conf');
    const again = await cluster.request(
      address(),
      RequestCode.SEND_MESSAGE_V2,
      sendHeader(topic, 0),
      Buffer.from('after'),
    );
    expect(again.code, again.remark).to.equal(ResponseCode.SUCCESS);
    const pulled = await cluster.request(
      address(),
      RequestCode.PULL_MESSAGE,
      pullHeader('gConf', topic, 0, 0, { sysFlag: '4' }),
    );
    expect(pulled.code, pulled.remark).to.equal(ResponseCode.SUCCESS);
    expect(pulled.extFields!.maxOffset).to.equal('2');
  });
});
