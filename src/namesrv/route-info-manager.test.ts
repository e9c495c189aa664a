import { expect } from 'chai';
import winston from 'winston';
import { type BrokerChannel, type RegisterBrokerRequest, RouteInfoManager } from './route-info-manager';
import type { TopicConfig } from '../codec/body/register-broker-body';
import { encodeClusterInfo, encodeTopicList, encodeTopicRouteData } from './route-data';

const silent = winston.createLogger({ silent: true });

function topic(topicName: string, queueNums = 4, perm = 6, topicSysFlag = 0): TopicConfig {
  return {
    topicName,
    readQueueNums: queueNums,
    writeQueueNums: queueNums,
    perm,
    topicFilterType: 'SINGLE_TAG',
    topicSysFlag,
    order: false,
  };
}

class FakeChannel implements BrokerChannel {
  closed = false;
  close(): void {
    this.closed = true;
  }
}

interface BrokerSpec {
  brokerName?: string;
  brokerId?: number;
  brokerAddr?: string;
  clusterName?: string;
  topics?: TopicConfig[];
  counter?: number;
  channel?: BrokerChannel;
}

function registration(spec: BrokerSpec = {}): RegisterBrokerRequest {
  const brokerAddr = spec.brokerAddr ?? '127.0.0.1:10911';
  const [host, port] = brokerAddr.split(':');
  return {
    clusterName: spec.clusterName ?? 'DefaultCluster',
    brokerAddr,
    brokerName: spec.brokerName ?? 'broker-a',
    brokerId: spec.brokerId ?? 0,
    haServerAddr: `${host}:${Number(port) + 1}`,
    topicConfigWrapper: {
      dataVersion: { timestamp: 1600000000000, counter: spec.counter ?? 1 },
      topicConfigTable: new Map((spec.topics ?? [topic('T')]).map((config) => [config.topicName, config])),
    },
    filterServerList: [],
    channel: spec.channel,
  };
}

describe('RouteInfoManager', () => {
  let nowMs: number;
  let manager: RouteInfoManager;

  beforeEach(() => {
    nowMs = 1_700_000_000_000;
    manager = new RouteInfoManager(silent, { brokerChannelExpiredTimeMs: 120_000, clock: () => nowMs });
  });

  it('registers a master and serves its route exactly as the verified 4.7.1 encoding', () => {
    expect(manager.registerBroker(registration())).to.deep.equal({});
    manager.registerBroker(registration({ brokerId: 1, brokerAddr: '127.0.0.1:10921', topics: [] }));
    const route = manager.pickupTopicRouteData('T')!;
    expect(encodeTopicRouteData(route).toString()).to.equal(
      '{"brokerDatas":[{"brokerAddrs":{0:"127.0.0.1:10911",1:"127.0.0.1:10921"},"brokerName":"broker-a","cluster":"DefaultCluster"}],' +
        '"filterServerTable":{},' +
        '"queueDatas":[{"brokerName":"broker-a","perm":6,"readQueueNums":4,"topicSynFlag":0,"writeQueueNums":4}]}',
    );
    expect(manager.pickupTopicRouteData('unknown')).to.equal(undefined);
  });

  it('gives a slave its master haServerAddr and address only while the master is registered', () => {
    const slave = registration({ brokerId: 1, brokerAddr: '127.0.0.1:10921' });
    expect(manager.registerBroker(slave)).to.deep.equal({});
    manager.registerBroker(registration());
    expect(manager.registerBroker(slave)).to.deep.equal({
      haServerAddr: '127.0.0.1:10912',
      masterAddr: '127.0.0.1:10911',
    });
    manager.unregisterBroker('DefaultCluster', '127.0.0.1:10911', 'broker-a', 0);
    expect(manager.registerBroker(slave)).to.deep.equal({});
  });

  it('builds queue data only from masters', () => {
    manager.registerBroker(registration({ brokerId: 1, brokerAddr: '127.0.0.1:10921', topics: [topic('S')] }));
    expect(manager.topicQueueTable.has('S')).to.equal(false);
    expect(manager.brokerAddrTable.get('broker-a')!.brokerAddrs.get(1)).to.equal('127.0.0.1:10921');
  });

  it('rebuilds queue data only when the DataVersion changed', () => {
    manager.registerBroker(registration({ counter: 1, topics: [topic('T', 4)] }));
    manager.registerBroker(registration({ counter: 1, topics: [topic('T', 8), topic('U')] }));
    expect(manager.topicQueueTable.get('T')![0].readQueueNums).to.equal(4);
    expect(manager.topicQueueTable.has('U')).to.equal(false);
    manager.registerBroker(registration({ counter: 2, topics: [topic('T', 8), topic('U')] }));
    expect(manager.topicQueueTable.get('T')).to.have.length(1);
    expect(manager.topicQueueTable.get('T')![0].readQueueNums).to.equal(8);
    expect(manager.topicQueueTable.has('U')).to.equal(true);
  });

  it('keeps topics a re-registering broker dropped (only DELETE_TOPIC_IN_NAMESRV removes them)', () => {
    manager.registerBroker(registration({ counter: 1, topics: [topic('T'), topic('Gone')] }));
    manager.registerBroker(registration({ counter: 2, topics: [topic('T')] }));
    expect(manager.getAllTopicList()).to.include('Gone');
    manager.deleteTopic('Gone');
    expect(manager.getAllTopicList()).to.deep.equal(['T']);
  });

  it('keeps one queue data per broker name and topic', () => {
    manager.registerBroker(registration());
    manager.registerBroker(
      registration({ brokerName: 'broker-b', brokerAddr: '127.0.0.1:10931', topics: [topic('T', 8)] }),
    );
    expect(manager.topicQueueTable.get('T')!.map((queueData) => queueData.brokerName)).to.deep.equal([
      'broker-a',
      'broker-b',
    ]);
  });

  it('drops the old id when an address registers under a new brokerId (slave promoted)', () => {
    manager.registerBroker(registration({ brokerId: 1, brokerAddr: '127.0.0.1:10921', topics: [] }));
    manager.registerBroker(registration({ brokerId: 0, brokerAddr: '127.0.0.1:10921' }));
    expect([...manager.brokerAddrTable.get('broker-a')!.brokerAddrs]).to.deep.equal([[0, '127.0.0.1:10921']]);
  });

  it('wipes the write permission of every queue data of a broker', () => {
    manager.registerBroker(registration({ topics: [topic('T', 4, 6), topic('U', 4, 7)] }));
    manager.registerBroker(registration({ brokerName: 'broker-b', brokerAddr: '127.0.0.1:10931' }));
    expect(manager.wipeWritePermOfBroker('broker-a')).to.equal(2);
    const perms = Object.fromEntries(
      [...manager.topicQueueTable].flatMap(([name, datas]) => datas.map((d) => [`${name}@${d.brokerName}`, d.perm])),
    );
    expect(perms).to.deep.equal({ 'T@broker-a': 4, 'U@broker-a': 5, 'T@broker-b': 6 });
    expect(manager.wipeWritePermOfBroker('nobody')).to.equal(0);
  });

  it('unregisters a broker and removes its name, cluster and topics when it was the last address', () => {
    manager.registerBroker(registration());
    manager.registerBroker(registration({ brokerId: 1, brokerAddr: '127.0.0.1:10921', topics: [] }));
    manager.unregisterBroker('DefaultCluster', '127.0.0.1:10911', 'broker-a', 0);
    expect(manager.topicQueueTable.has('T')).to.equal(true);
    manager.unregisterBroker('DefaultCluster', '127.0.0.1:10921', 'broker-a', 1);
    expect(manager.brokerAddrTable.size).to.equal(0);
    expect(manager.clusterAddrTable.size).to.equal(0);
    expect(manager.topicQueueTable.size).to.equal(0);
    expect(manager.brokerLiveTable.size).to.equal(0);
  });

  it('expires brokers not registered within brokerChannelExpiredTimeMs and closes their channel', () => {
    const stale = new FakeChannel();
    const fresh = new FakeChannel();
    manager.registerBroker(registration({ channel: stale }));
    nowMs += 60_000;
    manager.registerBroker(registration({ brokerName: 'broker-b', brokerAddr: '127.0.0.1:10931', channel: fresh }));
    nowMs += 60_000;
    expect(manager.scanNotActiveBroker()).to.equal(0);
    nowMs += 1;
    expect(manager.scanNotActiveBroker()).to.equal(1);
    expect(stale.closed).to.equal(true);
    expect(fresh.closed).to.equal(false);
    expect([...manager.brokerAddrTable.keys()]).to.deep.equal(['broker-b']);
    expect(manager.topicQueueTable.get('T')!.map((queueData) => queueData.brokerName)).to.deep.equal(['broker-b']);
  });

  it('treats an unchanged QUERY_DATA_VERSION as a sign of life', () => {
    manager.registerBroker(registration({ counter: 5 }));
    nowMs += 100_000;
    expect(manager.isBrokerTopicConfigChanged('127.0.0.1:10911', { timestamp: 1600000000000, counter: 5 })).to.equal(
      false,
    );
    expect(manager.isBrokerTopicConfigChanged('127.0.0.1:10911', { timestamp: 1600000000000, counter: 6 })).to.equal(
      true,
    );
    expect(manager.isBrokerTopicConfigChanged('127.0.0.1:1', { timestamp: 1600000000000, counter: 5 })).to.equal(true);
    manager.updateBrokerInfoUpdateTimestamp('127.0.0.1:10911');
    nowMs += 100_000;
    expect(manager.scanNotActiveBroker()).to.equal(0);
  });

  it('removes every broker a closed channel registered, and nothing else', () => {
    const channel = new FakeChannel();
    manager.registerBroker(registration({ channel }));
    manager.registerBroker(
      registration({ brokerName: 'broker-b', brokerAddr: '127.0.0.1:10931', channel: new FakeChannel() }),
    );
    manager.onChannelDestroy(new FakeChannel());
    expect(manager.brokerLiveTable.size).to.equal(2);
    manager.onChannelDestroy(channel);
    expect([...manager.brokerLiveTable.keys()]).to.deep.equal(['127.0.0.1:10931']);
    expect([...manager.clusterAddrTable.get('DefaultCluster')!]).to.deep.equal(['broker-b']);
  });

  it('answers cluster info in the verified ClusterInfo shape', () => {
    manager.registerBroker(registration());
    manager.registerBroker(registration({ brokerId: 1, brokerAddr: '127.0.0.1:10921' }));
    expect(encodeClusterInfo(manager.getAllClusterInfo()).toString()).to.equal(
      '{"brokerAddrTable":{"broker-a":{"brokerAddrs":{0:"127.0.0.1:10911",1:"127.0.0.1:10921"},"brokerName":"broker-a",' +
        '"cluster":"DefaultCluster"}},"clusterAddrTable":{"DefaultCluster":["broker-a"]}}',
    );
  });

  it('lists topics by cluster, system topics and unit topics', () => {
    manager.registerBroker(
      registration({ topics: [topic('T'), topic('Unit', 4, 6, 1), topic('Sub', 4, 6, 2), topic('Both', 4, 6, 3)] }),
    );
    manager.registerBroker(
      registration({
        clusterName: 'Other',
        brokerName: 'broker-o',
        brokerAddr: '127.0.0.1:10941',
        topics: [topic('O')],
      }),
    );
    expect(manager.getTopicsByCluster('DefaultCluster').sort()).to.deep.equal(['Both', 'Sub', 'T', 'Unit']);
    expect(manager.getTopicsByCluster('Other')).to.deep.equal(['O']);
    expect(manager.getTopicsByCluster('nobody')).to.deep.equal([]);
    expect(manager.getUnitTopics().sort()).to.deep.equal(['Both', 'Unit']);
    expect(manager.getHasUnitSubTopicList().sort()).to.deep.equal(['Both', 'Sub']);
    expect(manager.getHasUnitSubUnUnitTopicList()).to.deep.equal(['Sub']);
    const system = manager.getSystemTopicList();
    expect(system.topicList.sort()).to.deep.equal(['DefaultCluster', 'Other', 'broker-a', 'broker-o']);
    expect(system.brokerAddr).to.be.oneOf(['127.0.0.1:10911', '127.0.0.1:10941']);
    expect(encodeTopicList({ topicList: ['T'] }).toString()).to.equal('{"topicList":["T"]}');
  });
});
