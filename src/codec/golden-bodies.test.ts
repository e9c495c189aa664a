// Bodies and config files written by the official 4.7.1 jars (fastjson 1.2.69): our writer must
// produce the same text from the same content, and our reader must read it back.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { parseFastjson } from './fastjson-parse';
import { stringifyFastjson } from './fastjson-write';

const BODIES = path.resolve(__dirname, '../../../src/codec/fixtures/bodies');
const read = (name: string) => fs.readFileSync(path.join(BODIES, name), 'utf8');

function topic(topicName: string, queueNums: number, perm: number) {
  return {
    order: false,
    perm,
    readQueueNums: queueNums,
    topicFilterType: 'SINGLE_TAG',
    topicName,
    topicSysFlag: 0,
    writeQueueNums: queueNums,
  };
}

describe('golden bodies from the 4.7.1 jars', () => {
  it('writes config/topics.json in PrettyFormat exactly', () => {
    const table = new Map([
      ['TBW102', topic('TBW102', 8, 7)],
      ['T', topic('T', 4, 6)],
      ['%RETRY%cg', topic('%RETRY%cg', 1, 6)],
    ]);
    const wrapper = { dataVersion: { counter: 3, timestamp: 1600000000000 }, topicConfigTable: table };
    expect(stringifyFastjson(wrapper, { pretty: true })).to.equal(read('topics_json_pretty.json'));
  });

  it('writes consumerOffset.json, compact and pretty, exactly', () => {
    const content = {
      offsetTable: new Map([
        [
          'T@g',
          new Map([
            [0, 3],
            [1, 4],
          ]),
        ],
      ]),
    };
    expect(stringifyFastjson(content)).to.equal(read('consumer_offset.json'));
    expect(stringifyFastjson(content, { pretty: true })).to.equal(read('consumer_offset_pretty.json'));
  });

  it('writes a SubscriptionGroupConfig body exactly', () => {
    const config = {
      groupName: 'cg',
      consumeEnable: true,
      consumeFromMinEnable: true,
      consumeBroadcastEnable: true,
      retryQueueNums: 1,
      retryMaxTimes: 16,
      brokerId: 0,
      whichBrokerWhenConsumeSlowly: 1,
      notifyConsumerIdsChangedEnable: true,
    };
    expect(stringifyFastjson(config)).to.equal(read('subscription_group_config.json'));
  });

  it('writes a GetConsumerListByGroupResponseBody exactly', () => {
    expect(stringifyFastjson({ consumerIdList: ['127.0.0.1@c1', '127.0.0.1@c2'] })).to.equal(
      read('consumer_list_by_group.json'),
    );
  });

  for (const name of fs.readdirSync(BODIES).filter((file) => file.endsWith('.json'))) {
    it(`reads ${name}`, () => {
      const parsed = parseFastjson(read(name));
      expect(parsed).to.be.an('object');
    });
  }
});
