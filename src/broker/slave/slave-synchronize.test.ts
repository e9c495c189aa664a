import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RequestCode } from '../../codec/request-code';
import { defaultBrokerConfig } from '../broker-config';
import type { BrokerOuterAPI } from '../broker-outer-api';
import { ConsumerOffsetManager } from '../consumer-offset-manager';
import { SubscriptionGroupManager } from '../subscription-group-manager';
import { TopicConfigManager } from '../topic-config-manager';
import { SlaveSynchronize } from './slave-synchronize';

const silent = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

describe("SlaveSynchronize (a slave copying its master's tables)", () => {
  let home: string;
  let calls: Array<[number, string, boolean]>;
  let answers: Map<number, string | Error>;
  let tables: {
    topicConfigManager: TopicConfigManager;
    consumerOffsetManager: ConsumerOffsetManager;
    subscriptionGroupManager: SubscriptionGroupManager;
    delayOffsetFilePath: string;
    brokerAddr: string;
  };
  let sync: SlaveSynchronize;

  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'slave-sync-'));
    calls = [];
    answers = new Map();
    const outerApi = {
      getFromMaster: async (code: number, masterAddr: string, viaVipChannel: boolean) => {
        calls.push([code, masterAddr, viaVipChannel]);
        const answer = answers.get(code);
        if (answer === undefined || answer instanceof Error) throw answer ?? new Error('no answer');
        return answer;
      },
    } as unknown as BrokerOuterAPI;
    tables = {
      topicConfigManager: new TopicConfigManager(path.join(home, 'topics.json'), defaultBrokerConfig()),
      consumerOffsetManager: new ConsumerOffsetManager(path.join(home, 'consumerOffset.json')),
      subscriptionGroupManager: new SubscriptionGroupManager(path.join(home, 'subscriptionGroup.json'), () => true),
      delayOffsetFilePath: path.join(home, 'delayOffset.json'),
      brokerAddr: '127.0.0.1:10921',
    };
    sync = new SlaveSynchronize(tables, outerApi, silent);
  });

  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it('does nothing without a master address, or when the master is itself', async () => {
    await sync.syncAll();
    sync.masterAddr = '127.0.0.1:10921';
    await sync.syncAll();
    expect(calls).to.deep.equal([]);
  });

  // Topics are read over the VIP channel.
  it('reads the four tables, replaces topics and groups, merges offsets, writes delay offsets as sent', async () => {
    sync.masterAddr = '127.0.0.1:10911';
    tables.consumerOffsetManager.commitOffset('old', 'T0', 0, 1);
    answers.set(
      RequestCode.GET_ALL_TOPIC_CONFIG,
      '{"dataVersion":{"counter":7,"timestamp":1600000000000},"topicConfigTable":{"T1":{"order":false,"perm":6,' +
        '"readQueueNums":2,"topicFilterType":"SINGLE_TAG","topicName":"T1","topicSysFlag":0,"writeQueueNums":2}}}',
    );
    answers.set(RequestCode.GET_ALL_CONSUMER_OFFSET, '{"offsetTable":{"T1@g":{0:3,1:4}}}');
    answers.set(RequestCode.GET_ALL_DELAY_OFFSET, '{"offsetTable":{1:5,2:0}}');
    answers.set(
      RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG,
      '{"dataVersion":{"counter":2,"timestamp":1600000000001},"subscriptionGroupTable":{"g":{"groupName":"g","retryMaxTimes":3}}}',
    );
    await sync.syncAll();
    expect(calls.map(([code, , vip]) => [code, vip])).to.deep.equal([
      [21, true],
      [43, false],
      [45, false],
      [201, false],
    ]);
    expect([...tables.topicConfigManager.topicConfigTable.keys()]).to.deep.equal(['T1']);
    expect(tables.topicConfigManager.dataVersion.toJSON()).to.deep.equal({ counter: 7, timestamp: 1600000000000 });
    expect(tables.consumerOffsetManager.queryOffset('g', 'T1', 1)).to.equal(4);
    expect(tables.consumerOffsetManager.queryOffset('old', 'T0', 0)).to.equal(1);
    expect(fs.readFileSync(tables.delayOffsetFilePath, 'utf8')).to.equal('{"offsetTable":{1:5,2:0}}');
    expect([...tables.subscriptionGroupManager.subscriptionGroupTable.keys()]).to.deep.equal(['g']);
    expect(tables.subscriptionGroupManager.findSubscriptionGroupConfig('g')?.retryMaxTimes).to.equal(3);
    expect(fs.existsSync(path.join(home, 'topics.json'))).to.equal(true);
  });

  it("keeps a table whose DataVersion did not change, and its old content when the master's does not decode", async () => {
    sync.masterAddr = '127.0.0.1:10911';
    const version = tables.topicConfigManager.dataVersion.toJSON();
    answers.set(RequestCode.GET_ALL_TOPIC_CONFIG, `{"dataVersion":${JSON.stringify(version)},"topicConfigTable":{}}`);
    answers.set(
      RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG,
      '{"dataVersion":{"counter":9,"timestamp":1},"subscriptionGroupTable":{"bad":[1]}}',
    );
    const topicsBefore = [...tables.topicConfigManager.topicConfigTable.keys()];
    const groupsBefore = [...tables.subscriptionGroupManager.subscriptionGroupTable.keys()];
    await sync.syncAll();
    expect([...tables.topicConfigManager.topicConfigTable.keys()]).to.deep.equal(topicsBefore);
    expect([...tables.subscriptionGroupManager.subscriptionGroupTable.keys()]).to.deep.equal(groupsBefore);
    expect(tables.subscriptionGroupManager.dataVersion.counter).to.not.equal(9);
  });
});
