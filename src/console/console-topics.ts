// The topics page: this broker's topic table with per-queue min/max offsets, the route the
// NameServer gives out (GET_ROUTEINFO_BY_TOPIC), the groups with offsets on it, and create /
// update / delete through the broker's own admin codes (UPDATE_AND_CREATE_TOPIC,
// DELETE_TOPIC_IN_BROKER) followed by DELETE_TOPIC_IN_NAMESRV on every NameServer, as mqadmin does.
import { RequestCode } from '../codec/request-code';
import type { BrokerContext } from '../broker/broker-context';
import { nameServerAddresses } from '../broker/broker-outer-api';
import { DLQ_GROUP_TOPIC_PREFIX, RETRY_GROUP_TOPIC_PREFIX } from '../broker/topic-validator';
import { bodyToPlain, type ConsoleCalls } from './console-calls';
import { BadRequest, intField, stringField } from './console-input';

const MAX_QUEUE_NUMS = 1024;
const PERMS = [2, 4, 6];

export function topicKind(broker: BrokerContext, topic: string): 'NORMAL' | 'RETRY' | 'DLQ' | 'SYSTEM' {
  if (topic.startsWith(RETRY_GROUP_TOPIC_PREFIX)) return 'RETRY';
  if (topic.startsWith(DLQ_GROUP_TOPIC_PREFIX)) return 'DLQ';
  return broker.topicConfigManager.isSystemTopic(topic) ? 'SYSTEM' : 'NORMAL';
}

export interface QueueRow {
  queueId: number;
  minOffset: number;
  maxOffset: number;
  lastStoreTimestampMs: number;
}

export class TopicsView {
  constructor(
    private readonly broker: BrokerContext,
    private readonly calls: ConsoleCalls,
  ) {}

  /** Min/max offset per queue; the last store time (a read per queue) only when asked. */
  queues(topic: string, withTimestamps = false): QueueRow[] {
    const config = this.broker.topicConfigManager.selectTopicConfig(topic);
    const store = this.broker.messageStore;
    const count = Math.max(config?.readQueueNums ?? 0, config?.writeQueueNums ?? 0);
    const rows: QueueRow[] = [];
    for (let queueId = 0; queueId < count; queueId++) {
      const maxOffset = Math.max(0, store.getMaxOffsetInQueue(topic, queueId));
      const lastStoreTimestampMs =
        withTimestamps && maxOffset > 0
          ? Math.max(0, store.getMessageStoreTimeStamp(topic, queueId, maxOffset - 1))
          : 0;
      rows.push({
        queueId,
        minOffset: Math.max(0, store.getMinOffsetInQueue(topic, queueId)),
        maxOffset,
        lastStoreTimestampMs,
      });
    }
    return rows;
  }

  list(): unknown[] {
    const rows = [];
    for (const [topic, config] of this.broker.topicConfigManager.topicConfigTable) {
      const messages = this.queues(topic).reduce((sum, queue) => sum + queue.maxOffset - queue.minOffset, 0);
      rows.push({
        topic,
        kind: topicKind(this.broker, topic),
        readQueueNums: config.readQueueNums,
        writeQueueNums: config.writeQueueNums,
        perm: config.perm,
        order: config.order,
        messages,
      });
    }
    return rows.sort((a, b) => a.topic.localeCompare(b.topic));
  }

  async detail(topic: string): Promise<unknown> {
    const config = this.broker.topicConfigManager.selectTopicConfig(topic);
    if (config === undefined) throw new BadRequest(`topic ${topic} does not exist on this broker`, 404);
    let route: unknown = null;
    let routeError: string | undefined;
    try {
      route = bodyToPlain(await this.calls.nameServer(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic }));
    } catch (error) {
      routeError = (error as Error).message;
    }
    const groups = [...this.broker.consumerOffsetManager.whichGroupByTopic(topic)].sort();
    return { config, kind: topicKind(this.broker, topic), queues: this.queues(topic, true), route, routeError, groups };
  }

  async createOrUpdate(input: Record<string, unknown>): Promise<unknown> {
    const topic = stringField(input, 'topic');
    const readQueueNums = intField(input, 'readQueueNums', 1, MAX_QUEUE_NUMS);
    const writeQueueNums = intField(input, 'writeQueueNums', 1, MAX_QUEUE_NUMS);
    const perm = intField(input, 'perm', 2, 6);
    if (!PERMS.includes(perm)) throw new BadRequest(`perm must be 2 (W), 4 (R) or 6 (RW), not ${perm}`);
    const order = input.order === true;
    const extFields = {
      topic,
      defaultTopic: 'TBW102',
      readQueueNums: String(readQueueNums),
      writeQueueNums: String(writeQueueNums),
      perm: String(perm),
      topicFilterType: 'SINGLE_TAG',
      topicSysFlag: '0',
      order: String(order),
    };
    await this.calls.local(RequestCode.UPDATE_AND_CREATE_TOPIC, extFields);
    await this.broker.registerBrokerAll();
    return this.broker.topicConfigManager.selectTopicConfig(topic);
  }

  async delete(topic: string): Promise<unknown> {
    if (this.broker.topicConfigManager.selectTopicConfig(topic) === undefined)
      throw new BadRequest(`topic ${topic} does not exist on this broker`, 404);
    await this.calls.local(RequestCode.DELETE_TOPIC_IN_BROKER, { topic });
    const failures: string[] = [];
    for (const address of nameServerAddresses(this.broker.brokerConfig.namesrvAddr)) {
      await this.calls
        .remote(address, RequestCode.DELETE_TOPIC_IN_NAMESRV, { topic })
        .catch((error: Error) => failures.push(`${address}: ${error.message}`));
    }
    return { deleted: topic, nameServerFailures: failures };
  }
}
