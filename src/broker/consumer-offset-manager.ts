// ConsumerOffsetManager: committed offsets per `topic@group` and queue, persisted as
// config/consumerOffset.json ({"offsetTable":{"T@g":{0:3,1:4}}}, unquoted int keys).
import type { FastjsonValue } from '../codec/fastjson-parse';
import { ConfigManager, integerOf, wrapperTable } from './config-manager';

const TOPIC_GROUP_SEPARATOR = '@';
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

export class ConsumerOffsetManager extends ConfigManager {
  readonly offsetTable = new Map<string, Map<number, number>>();
  private dirty = false;

  static key(topic: string, group: string): string {
    return topic + TOPIC_GROUP_SEPARATOR + group;
  }

  commitOffset(group: string, topic: string, queueId: number, queueOffset: number): void {
    const key = ConsumerOffsetManager.key(topic, group);
    let queues = this.offsetTable.get(key);
    if (queues === undefined) {
      queues = new Map();
      this.offsetTable.set(key, queues);
    }
    queues.set(queueId, queueOffset);
    this.dirty = true;
  }

  /** The committed offset, or -1 when the group has none for that queue. */
  queryOffset(group: string, topic: string, queueId: number): number {
    return this.offsetTable.get(ConsumerOffsetManager.key(topic, group))?.get(queueId) ?? -1;
  }

  /** Offsets of one group on one topic (for admin stats). */
  queryOffsets(group: string, topic: string): Map<number, number> {
    return this.offsetTable.get(ConsumerOffsetManager.key(topic, group)) ?? new Map();
  }

  /** Groups that have committed offsets on `topic`. */
  whichGroupByTopic(topic: string): Set<string> {
    const groups = new Set<string>();
    for (const key of this.offsetTable.keys()) {
      const separator = key.indexOf(TOPIC_GROUP_SEPARATOR);
      if (key.slice(0, separator) === topic) groups.add(key.slice(separator + 1));
    }
    return groups;
  }

  /** Topics on which `group` has committed offsets. */
  whichTopicByConsumer(group: string): Set<string> {
    const topics = new Set<string>();
    for (const key of this.offsetTable.keys()) {
      const separator = key.lastIndexOf(TOPIC_GROUP_SEPARATOR);
      if (key.slice(separator + 1) === group) topics.add(key.slice(0, separator));
    }
    return topics;
  }

  removeOffsets(predicate: (topic: string, group: string) => boolean): void {
    for (const key of [...this.offsetTable.keys()]) {
      const separator = key.indexOf(TOPIC_GROUP_SEPARATOR);
      if (predicate(key.slice(0, separator), key.slice(separator + 1))) this.offsetTable.delete(key);
    }
    this.dirty = true;
  }

  /** Persists only when something changed since the last call (the 5 s flush timer). */
  persistIfDirty(): void {
    if (!this.dirty) return;
    this.dirty = false;
    if (!this.persist()) this.dirty = true; // try again next time
  }

  protected encodeContent(): unknown {
    return { offsetTable: new Map([...this.offsetTable].map(([key, queues]) => [key, new Map(queues)])) };
  }

  protected decodeContent(parsed: FastjsonValue): void {
    const { table } = wrapperTable(parsed, 'offsetTable', 'ConsumerOffsetManager table');
    this.loadEntries(table, 'offsets of', (key, queues) => {
      const offsets = new Map<number, number>();
      this.loadEntries(queues, `offset of ${key} queue`, (queueId, queueOffset) => {
        offsets.set(integerOf(queueId, 'queueId', INT32_MIN, INT32_MAX), integerOf(queueOffset, 'offset'));
      });
      this.offsetTable.set(key, offsets);
    });
  }
}
