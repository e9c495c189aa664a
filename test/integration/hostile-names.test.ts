// Issue #14, "state survives hostile input": names no official client sends (empty, NUL, other
// control characters, over-long) are refused at request time instead of being persisted, names
// Java accepts keep working, and a broker restarted on the same store starts and serves a send
// and a pull, even on files an older broker left with such names in them.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { RequestCode } from '../../src/codec/request-code';
import { ResponseCode } from '../../src/codec/response-code';
import type { RemotingCommand } from '../../src/codec/remoting-command';
import { heartbeatBody } from './consumption-support';
import { Cluster, pullHeader, sendHeader } from './harness';

const COMMIT_SUSPEND_SUBSCRIPTION = String(0x1 | 0x2 | 0x4);

function expectRefused(response: RemotingCommand, field: string, rule: RegExp): void {
  expect(response.code, response.remark).to.equal(ResponseCode.SYSTEM_ERROR);
  expect(response.remark).to.contain(`The specified ${field} `).and.match(rule);
}

describe('hostile names over real sockets, then a restart on the same store', function () {
  this.timeout(30000);
  const cluster = new Cluster();
  const topic = `HOSTILE_${Date.now()}`;
  const configFile = (name: string) => path.join(cluster.home, 'store', 'config', name);
  const groupsFile = () => fs.readFileSync(configFile('subscriptionGroup.json'), 'utf8');

  before(async () => {
    await cluster.start();
    const sent = await cluster.toBroker(RequestCode.SEND_MESSAGE_V2, sendHeader(topic, 0), Buffer.from('before'));
    expect(sent.code, sent.remark).to.equal(ResponseCode.SUCCESS);
  });
  after(() => cluster.stop());

  /** After a restart: a send and a pull on the same topic work, and the store kept what it had. */
  async function restartAndServe(): Promise<void> {
    await cluster.restartBroker();
    const sent = await cluster.toBroker(RequestCode.SEND_MESSAGE_V2, sendHeader(topic, 0), Buffer.from('after'));
    expect(sent.code, sent.remark).to.equal(ResponseCode.SUCCESS);
    const pulled = await cluster.toBroker(
      RequestCode.PULL_MESSAGE,
      pullHeader('gServe', topic, 0, 0, { sysFlag: '4' }),
    );
    expect(pulled.code, pulled.remark).to.equal(ResponseCode.SUCCESS);
    expect(Number(pulled.extFields!.maxOffset)).to.be.greaterThan(1);
  }

  for (const group of ['', '\u0000']) {
    it(`refuses a PULL_MESSAGE whose consumerGroup is ${JSON.stringify(group)}, persists nothing, and restarts`, async () => {
      const pulled = await cluster.toBroker(
        RequestCode.PULL_MESSAGE,
        pullHeader(group, topic, 0, 0, { sysFlag: COMMIT_SUSPEND_SUBSCRIPTION, commitOffset: '1' }),
      );
      expectRefused(pulled, 'consumerGroup', group === '' ? /is blank/ : /control character U\+0000/);
      expect(cluster.broker.subscriptionGroupManager.subscriptionGroupTable.has(group)).to.equal(false);
      expect(cluster.broker.consumerOffsetManager.offsetTable.has(`${topic}@${group}`)).to.equal(false);
      await restartAndServe();
      expect(cluster.broker.subscriptionGroupManager.subscriptionGroupTable.has(group)).to.equal(false);
    });
  }

  it('refuses a heartbeat with a NUL or over-long consumer group before registering any of it', async () => {
    for (const [group, rule] of [
      ['\u0000', /U\+0000/],
      ['g'.repeat(256), /256 characters long/],
    ] as const) {
      const body = heartbeatBody('127.0.0.1@hostile', group, [{ topic }]);
      expectRefused(await cluster.toBroker(RequestCode.HEART_BEAT, undefined, body), 'consumer groupName', rule);
      expect(cluster.broker.subscriptionGroupManager.subscriptionGroupTable.has(group)).to.equal(false);
      expect(cluster.broker.topicConfigManager.selectTopicConfig(`%RETRY%${group}`)).to.equal(undefined);
      expect(cluster.broker.consumerManager.getConsumerGroupInfo(group)).to.equal(undefined);
    }
  });

  it('refuses junk through admin codes, send-back and a send to a bare %RETRY% topic', async () => {
    const subGroup = (groupName: string) => Buffer.from(JSON.stringify({ groupName, consumeEnable: true }));
    expectRefused(
      await cluster.toBroker(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, undefined, subGroup('')),
      'groupName',
      /is blank/,
    );
    expectRefused(
      await cluster.toBroker(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, undefined, subGroup('a\nb')),
      'groupName',
      /U\+000A/,
    );
    const offset = (consumerGroup: string, offsetTopic: string) => ({
      consumerGroup,
      topic: offsetTopic,
      queueId: '0',
      commitOffset: '1',
    });
    expectRefused(
      await cluster.toBroker(RequestCode.UPDATE_CONSUMER_OFFSET, offset('\u0000', topic)),
      'consumerGroup',
      /U\+0000/,
    );
    expectRefused(await cluster.toBroker(RequestCode.UPDATE_CONSUMER_OFFSET, offset('gOk', '')), 'topic', /is blank/);
    expectRefused(
      await cluster.toBroker(RequestCode.UPDATE_CONSUMER_OFFSET, offset('gOk', 't'.repeat(300))),
      'topic',
      /300 characters long/,
    );
    const clone = { srcGroup: 'gServe', destGroup: '\u0007', topic, offline: 'true' };
    expectRefused(await cluster.toBroker(RequestCode.CLONE_GROUP_OFFSET, clone), 'destGroup', /U\+0007/);
    expectRefused(
      await cluster.toBroker(RequestCode.CONSUMER_SEND_MSG_BACK, { offset: '0', group: '', delayLevel: '0' }),
      'group',
      /is blank/,
    );
    const retrySend = await cluster.toBroker(RequestCode.SEND_MESSAGE_V2, sendHeader('%RETRY%', 0), Buffer.from('x'));
    expectRefused(retrySend, 'group of the retry topic', /is blank/);
    expect(cluster.broker.subscriptionGroupManager.subscriptionGroupTable.has('')).to.equal(false);
    expect(groupsFile()).to.not.contain('"\\u0007"').and.not.contain('"":');
    await restartAndServe();
  });

  it('keeps serving the names the official client and mqadmin use, across a restart', async () => {
    const groups = ['please_rename_unique_group_name', 'ns%gName', 'my.group'];
    for (const group of groups) {
      const pulled = await cluster.toBroker(
        RequestCode.PULL_MESSAGE,
        pullHeader(group, topic, 0, 0, { sysFlag: COMMIT_SUSPEND_SUBSCRIPTION, commitOffset: '1' }),
      );
      expect(pulled.code, pulled.remark).to.equal(ResponseCode.SUCCESS);
    }
    const retry = await cluster.toBroker(
      RequestCode.SEND_MESSAGE_V2,
      sendHeader('%RETRY%ns%gName', 0),
      Buffer.from('retry'),
    );
    expect(retry.code, retry.remark).to.equal(ResponseCode.SUCCESS);
    await restartAndServe();
    for (const group of groups) {
      expect(cluster.broker.subscriptionGroupManager.subscriptionGroupTable.has(group), group).to.equal(true);
      expect(cluster.broker.consumerOffsetManager.queryOffset(group, topic, 0), group).to.equal(1);
    }
  });

  it('starts on files an older broker wrote with an empty and a NUL group, and on a topics.json that does not parse', async () => {
    const port = cluster.broker.listenPort;
    await cluster.broker.shutdown();
    cluster.client.close(cluster.brokerAddr);
    const groups = JSON.parse(groupsFile());
    groups.subscriptionGroupTable[''] = { groupName: '', retryQueueNums: 1 };
    groups.subscriptionGroupTable['\u0000'] = { groupName: '\u0000', retryQueueNums: 1 };
    fs.writeFileSync(configFile('subscriptionGroup.json'), JSON.stringify(groups));
    fs.copyFileSync(configFile('topics.json'), configFile('topics.json.bak'));
    fs.writeFileSync(configFile('topics.json'), '{"topicConfigTable":{');
    await cluster.startBroker({ listenPort: port });
    expect(cluster.broker.subscriptionGroupManager.subscriptionGroupTable.has('')).to.equal(true);
    expect(cluster.broker.topicConfigManager.selectTopicConfig(topic)).to.not.equal(undefined); // from topics.json.bak
    expect(
      fs.readdirSync(path.dirname(configFile('topics.json'))).some((name) => name.startsWith('topics.json.corrupt-')),
    ).to.equal(true);
    await restartAndServe();
  });
});
