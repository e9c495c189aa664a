// ConfigManager.load never stops a start: bad entries are skipped (the rest loads), a file that
// cannot be read at all is moved aside and its .bak used, and every table loads back what it wrote.
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Logger } from '../common/logger';
import { defaultBrokerConfig } from './broker-config';
import type { ConfigManager } from './config-manager';
import { ConsumerOffsetManager } from './consumer-offset-manager';
import { ScheduleMessageService } from './schedule/schedule-message-service';
import { newSubscriptionGroupConfig, SubscriptionGroupManager } from './subscription-group-manager';
import { TimerWheelOffsets } from './timer/timer-wheel-offsets';
import { newTopicConfig } from './topic-config';
import { TopicConfigManager } from './topic-config-manager';
import type { DefaultMessageStore } from '../store/message-store';

function capturingLogger(errors: string[]): Logger {
  return {
    error: (message) => errors.push(message),
    warn: () => undefined,
    info: () => undefined,
    debug: () => undefined,
  };
}

/** Names a client could once get persisted (all load back as they were written). */
const ODD_NAMES = [
  '',
  ' ',
  '\u0000',
  'a\nb',
  'a"b\\c',
  '__proto__',
  'constructor',
  'ü😀',
  'a@b',
  '%RETRY%g',
  'x'.repeat(70_000),
];

describe('ConfigManager.load with what a writer or a disk can produce', () => {
  let dir: string;
  let errors: string[];
  const file = (name: string) => path.join(dir, 'config', name);
  const write = (name: string, text: string) => {
    fs.mkdirSync(path.join(dir, 'config'), { recursive: true });
    fs.writeFileSync(file(name), text);
  };
  function loaded<T extends ConfigManager>(manager: T): T {
    manager.logger = capturingLogger(errors);
    expect(manager.load()).to.equal(true);
    return manager;
  }
  const groups = () => loaded(new SubscriptionGroupManager(file('subscriptionGroup.json'), () => true));
  const topics = () => loaded(new TopicConfigManager(file('topics.json'), defaultBrokerConfig()));
  const offsets = () => loaded(new ConsumerOffsetManager(file('consumerOffset.json')));

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rmq-config-load-'));
    errors = [];
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('loads back every group, topic and offset key it wrote, odd names included', () => {
    const writer = groups();
    const topicWriter = topics();
    const offsetWriter = offsets();
    for (const name of ODD_NAMES) {
      writer.updateSubscriptionGroupConfig(newSubscriptionGroupConfig(name));
      topicWriter.updateTopicConfig(newTopicConfig(name, 4));
      offsetWriter.commitOffset(name, name, 0, 7);
    }
    offsetWriter.persist();
    const [g, t, o] = [groups(), topics(), offsets()];
    for (const name of ODD_NAMES) {
      expect(g.subscriptionGroupTable.get(name)?.groupName).to.equal(name);
      expect(t.selectTopicConfig(name)?.readQueueNums).to.equal(4);
      expect(o.queryOffset(name, name, 0)).to.equal(7);
    }
    expect(errors).to.deep.equal([]);
  });

  it('loads the subscriptionGroup.json an empty group name left behind (the start failure of issue #14)', () => {
    write(
      'subscriptionGroup.json',
      '{"dataVersion":{"counter":1,"timestamp":1},"subscriptionGroupTable":{"":{"groupName":"","retryQueueNums":1},"g":{"groupName":"g"}}}',
    );
    const g = groups();
    expect(g.subscriptionGroupTable.has('')).to.equal(true);
    expect(g.subscriptionGroupTable.get('g')?.retryMaxTimes).to.equal(16);
    expect(errors).to.deep.equal([]);
  });

  const badEntries: [string, string, string[]][] = [
    [
      'subscriptionGroup.json',
      '{"subscriptionGroupTable":{"bad":"text","worse":{"retryQueueNums":"many"},"g":{"groupName":"g"}}}',
      ['"bad"', '"worse"'],
    ],
    ['subscriptionGroup.json', '{"subscriptionGroupTable":{"bad":{"consumeEnable":"maybe"},"g":{}}}', ['"bad"']],
    [
      'topics.json',
      '{"topicConfigTable":{"bad":{"readQueueNums":"x"},"worse":[1],"T":{"readQueueNums":2}}}',
      ['"bad"', '"worse"'],
    ],
    ['consumerOffset.json', '{"offsetTable":{"T@g":{0:1,"x":2,1:"y",2:3},"U@g":"text"}}', ['"x"', '"1"', '"U@g"']],
  ];
  for (const [name, text, skipped] of badEntries) {
    it(`skips the bad entries of ${name} with an error line each and loads the rest: ${text.slice(0, 60)}`, () => {
      write(name, text);
      const manager = name === 'topics.json' ? topics() : name === 'consumerOffset.json' ? offsets() : groups();
      expect(errors).to.have.length(skipped.length);
      for (const key of skipped)
        expect(
          errors.filter((line) => line.includes('CONFIG ENTRY SKIPPED') && line.includes(key)),
          key,
        ).to.have.length(1);
      if (manager instanceof TopicConfigManager) expect(manager.selectTopicConfig('T')?.readQueueNums).to.equal(2);
      if (manager instanceof SubscriptionGroupManager) expect(manager.subscriptionGroupTable.has('g')).to.equal(true);
      if (manager instanceof ConsumerOffsetManager) {
        expect([...manager.queryOffsets('g', 'T')]).to.deep.equal([
          [0, 1],
          [2, 3],
        ]);
        expect(manager.offsetTable.has('U@g')).to.equal(false);
      }
      expect(fs.existsSync(file(name))).to.equal(true); // entries are skipped, the file stays
    });
  }

  const unusableFiles = [
    '{"subscriptionGroupTable":',
    'null',
    '[1,2]',
    '"text"',
    '{"subscriptionGroupTable":[1]}',
    '\u0000\u0001',
  ];
  for (const text of unusableFiles) {
    it(`moves aside a file it cannot use and loads the .bak: ${JSON.stringify(text)}`, () => {
      write('subscriptionGroup.json.bak', '{"subscriptionGroupTable":{"fromBak":{}}}');
      write('subscriptionGroup.json', text);
      const g = groups();
      expect(g.subscriptionGroupTable.has('fromBak')).to.equal(true);
      expect(fs.existsSync(file('subscriptionGroup.json'))).to.equal(false);
      expect(
        fs.readdirSync(path.join(dir, 'config')).some((entry) => entry.startsWith('subscriptionGroup.json.corrupt-')),
      ).to.equal(true);
      expect(errors.some((line) => line.includes('CONFIG FILE CANNOT BE LOADED'))).to.equal(true);
    });
  }

  it('keeps the broker system groups and topics when neither file nor .bak loads', () => {
    write('topics.json', 'garbage');
    write('topics.json.bak', '{"topicConfigTable":');
    expect(topics().selectTopicConfig('TBW102')).to.not.equal(undefined);
    expect(errors.some((line) => line.includes('neither it nor'))).to.equal(true);
  });

  it('keeps the version of a file whose dataVersion is not numbers', () => {
    write('topics.json', '{"dataVersion":{"counter":"lots","timestamp":{}},"topicConfigTable":{"T":{}}}');
    const t = topics();
    expect(Number.isInteger(t.dataVersion.counter)).to.equal(true);
    expect(Number.isInteger(t.dataVersion.timestamp)).to.equal(true);
    expect(t.selectTopicConfig('T')).to.not.equal(undefined);
  });

  it('skips delay and timer offsets that are not whole numbers', () => {
    write('delayOffset.json', '{"offsetTable":{1:5,"two":3,3:"x",4:-1,5:2.5,6:9}}');
    write('timerWheel.json', '{"offsetTable":{0:12,"a":1,64:3}}');
    const schedule = loaded(
      new ScheduleMessageService(
        file('delayOffset.json'),
        '1s 2s 3s 4s 5s 6s',
        {} as DefaultMessageStore,
        () => undefined,
      ),
    );
    expect([...schedule.offsetTable]).to.deep.equal([
      [1, 5],
      [6, 9],
    ]);
    const timer = loaded(new TimerWheelOffsets(file('timerWheel.json')));
    expect([...timer.offsetTable]).to.deep.equal([
      [0, 12],
      [64, 3],
    ]);
    expect(errors.filter((line) => line.includes('CONFIG ENTRY SKIPPED'))).to.have.length(5);
  });
});
