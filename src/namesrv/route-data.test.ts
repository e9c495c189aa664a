import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { encodeClusterInfo, encodeKVTable, encodeTopicRouteData } from './route-data';

const FIXTURES_DIR = path.resolve(__dirname, '../../../src/codec/fixtures/bodies');

function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES_DIR, `${name}.json`), 'utf8');
}

const brokerA = {
  cluster: 'DefaultCluster',
  brokerName: 'broker-a',
  brokerAddrs: new Map([
    [0, '127.0.0.1:10911'],
    [1, '127.0.0.1:10921'],
  ]),
};
const brokerB = { cluster: 'DefaultCluster', brokerName: 'broker-b', brokerAddrs: new Map([[0, '127.0.0.1:10931']]) };

describe('route bodies as the Java name server writes them', () => {
  it('TopicRouteData: the verified §3.14 string, byte for byte', () => {
    const body = encodeTopicRouteData({
      brokerDatas: [brokerA],
      filterServerTable: new Map([['127.0.0.1:10921', []]]),
      queueDatas: [{ brokerName: 'broker-a', perm: 6, readQueueNums: 4, topicSynFlag: 0, writeQueueNums: 4 }],
    });
    expect(body.toString()).to.equal(
      '{"brokerDatas":[{"brokerAddrs":{0:"127.0.0.1:10911",1:"127.0.0.1:10921"},"brokerName":"broker-a","cluster":"DefaultCluster"}],' +
        '"filterServerTable":{"127.0.0.1:10921":[]},' +
        '"queueDatas":[{"brokerName":"broker-a","perm":6,"readQueueNums":4,"topicSynFlag":0,"writeQueueNums":4}]}',
    );
  });

  it('TopicRouteData: the Java golden fixture with two brokers and a filter server', () => {
    const body = encodeTopicRouteData({
      brokerDatas: [brokerA, brokerB],
      filterServerTable: new Map([
        ['127.0.0.1:10911', ['127.0.0.1:30000']],
        ['127.0.0.1:10921', undefined],
      ]),
      queueDatas: [
        { brokerName: 'broker-a', perm: 6, readQueueNums: 4, topicSynFlag: 0, writeQueueNums: 4 },
        { brokerName: 'broker-b', perm: 4, readQueueNums: 8, topicSynFlag: 0, writeQueueNums: 8 },
      ],
    });
    expect(body.toString()).to.equal(fixture('topic_route_data'));
  });

  it('TopicRouteData: orderTopicConf sits between filterServerTable and queueDatas', () => {
    const body = encodeTopicRouteData({
      brokerDatas: [],
      filterServerTable: new Map(),
      queueDatas: [],
      orderTopicConf: 'broker-a:4',
    });
    expect(body.toString()).to.equal(
      '{"brokerDatas":[],"filterServerTable":{},"orderTopicConf":"broker-a:4","queueDatas":[]}',
    );
  });

  it('ClusterInfo: the Java golden fixture (HashMap and HashSet order)', () => {
    const body = encodeClusterInfo({
      brokerAddrTable: new Map([
        ['broker-a', brokerA],
        ['broker-b', brokerB],
      ]),
      clusterAddrTable: new Map([['DefaultCluster', new Set(['broker-a', 'broker-b'])]]),
    });
    expect(body.toString()).to.equal(fixture('cluster_info'));
  });

  it('KVTable: the Java golden fixture', () => {
    const table = new Map([
      ['brokerVersionDesc', 'V4_7_1'],
      ['remark', 'quote " and é'],
      ['brokerVersion', '355'],
      ['putTps', '0.0 0.0 0.0'],
    ]);
    expect(encodeKVTable(table).toString()).to.equal(fixture('kv_table'));
  });
});
