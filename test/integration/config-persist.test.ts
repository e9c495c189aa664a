// Broker config files on a disk that refuses a save: the broker logs it and carries on (Java
// ConfigManager.persist), and shutdown still writes every other file.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { RequestCode } from '../../src/codec/request-code';
import { ResponseCode } from '../../src/codec/response-code';
import type { Logger } from '../../src/common/logger';
import { Cluster, sendHeader } from './harness';

function capturingLogger(errors: string[]): Logger {
  return {
    error: (message) => errors.push(message),
    warn: () => undefined,
    info: () => undefined,
    debug: () => undefined,
  };
}

describe('broker config files when one cannot be saved', function () {
  this.timeout(20000);
  const cluster = new Cluster();
  const topic = `PERSIST_${Date.now()}`;
  let stopped = false;

  before(() => cluster.start());
  after(async () => {
    if (!stopped) return cluster.stop();
    cluster.client.shutdown();
    await cluster.namesrv.shutdown();
    fs.rmSync(cluster.home, { recursive: true, force: true });
  });

  it('answers requests while topics.json cannot be written, and shutdown saves every other file', async () => {
    const configDir = path.join(cluster.home, 'store', 'config');
    const topicsFile = path.join(configDir, 'topics.json');
    const errors: string[] = [];
    cluster.broker.topicConfigManager.logger = capturingLogger(errors);
    fs.rmSync(topicsFile, { force: true });
    fs.mkdirSync(path.join(topicsFile, 'in-the-way'), { recursive: true }); // every save of it fails
    // Auto-creating the topic persists topics.json: the send still succeeds.
    const sent = await cluster.toBroker(RequestCode.SEND_MESSAGE_V2, sendHeader(topic, 0), Buffer.from('kept'));
    expect(sent.code, sent.remark).to.equal(ResponseCode.SUCCESS);
    expect(errors.some((line) => line.includes(`persist file ${topicsFile} exception`))).to.equal(true);
    const committed = await cluster.toBroker(RequestCode.UPDATE_CONSUMER_OFFSET, {
      consumerGroup: 'gPersist',
      topic,
      queueId: '0',
      commitOffset: '1',
    });
    expect(committed.code).to.equal(ResponseCode.SUCCESS);
    cluster.broker.subscriptionGroupManager.findSubscriptionGroupConfig('gPersist'); // auto-created
    for (const name of ['consumerOffset.json', 'subscriptionGroup.json', 'delayOffset.json'])
      fs.rmSync(path.join(configDir, name), { force: true });
    errors.length = 0;
    const brokerErrors: string[] = [];
    (cluster.broker as { logger: Logger }).logger = capturingLogger(brokerErrors);
    const schedule = cluster.broker.scheduleMessageService;
    const stopSchedule = schedule.shutdown.bind(schedule);
    schedule.shutdown = () => {
      stopSchedule();
      throw new Error('stop failed'); // an early shutdown step that throws: the later ones still run
    };
    await cluster.broker.shutdown();
    stopped = true;
    expect(
      brokerErrors.some((line) => line.includes('shutdown: schedule message service (delayOffset.json) failed')),
    ).to.equal(true);
    expect(errors.some((line) => line.includes(`persist file ${topicsFile} exception`))).to.equal(true);
    expect(fs.readFileSync(path.join(configDir, 'consumerOffset.json'), 'utf8')).to.contain(`"${topic}@gPersist"`);
    expect(fs.readFileSync(path.join(configDir, 'subscriptionGroup.json'), 'utf8')).to.contain('"gPersist"');
    expect(fs.existsSync(path.join(configDir, 'delayOffset.json'))).to.equal(true);
    expect(fs.statSync(topicsFile).isDirectory()).to.equal(true);
  });
});
