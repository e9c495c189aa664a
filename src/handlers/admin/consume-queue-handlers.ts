// Consume-queue admin codes of AdminBrokerProcessor:
//
//   QUERY_CONSUME_QUEUE (321)         mqadmin queryCq: units from `index`, at most `count`, as
//       QueryConsumeQueueResponseBody {"filterData"?,"maxQueueIndex","minQueueIndex",
//       "queueData":[{"eval":false,"physicOffset","physicSize","tagsCode"}],"subscriptionData"?}
//       unknown queue → SYSTEM_ERROR "<queueId>@<topic> is not exist!"; an index outside the
//       queue → SUCCESS without a body and the remark "Index i of q@t is not exist!" (as Java)
//   CLEAN_EXPIRED_CONSUMEQUEUE (306)  drops the consume queues of topics whose every queue ends
//       before the commit log's first byte (never the schedule topic)
//   GET_ALL_DELAY_OFFSET (45)         config/delayOffset.json content for a slave
//
// The store keeps its consume queues private (Java exposes DefaultMessageStore.getConsumeQueue);
// these handlers read them through the one narrow accessor below.
import { decodeQueryConsumeQueueRequestHeader } from '../../codec/headers/admin-request-headers';
import { createResponseCommand, type RemotingCommand } from '../../codec/remoting-command';
import { RequestCode } from '../../codec/request-code';
import { ResponseCode } from '../../codec/response-code';
import type { BrokerContext } from '../../broker/broker-context';
import { TopicValidator } from '../../broker/topic-validator';
import type { ConsumeQueue } from '../../store/consume-queue';
import { CQ_STORE_UNIT_SIZE } from '../../store/consume-queue-unit';
import type { ConsumeQueueTable } from '../../store/consume-queue-table';
import type { DefaultMessageStore } from '../../store/message-store';
import { readInt64BE } from '../../codec/message/buffer-int64';
import { type AdminRegistry, failure, success } from './admin-support';

/** At most this many units per QUERY_CONSUME_QUEUE answer, whatever `count` asks. */
const MAX_UNITS_PER_QUERY = 10_000;

/** DefaultMessageStore.getConsumeQueue. Throws if the store no longer keeps its table where expected. */
export function findConsumeQueue(store: DefaultMessageStore, topic: string, queueId: number): ConsumeQueue | undefined {
  return consumeQueueTable(store).find(topic, queueId);
}

function consumeQueueTable(store: DefaultMessageStore): ConsumeQueueTable {
  const table = (store as unknown as { consumeQueues?: ConsumeQueueTable }).consumeQueues;
  if (table === undefined || typeof table.find !== 'function')
    throw new Error('message store has no consume queue table');
  return table;
}

export function registerConsumeQueueHandlers(registry: AdminRegistry, broker: BrokerContext): void {
  registry.register(RequestCode.QUERY_CONSUME_QUEUE, (request) => queryConsumeQueue(broker, request));
  registry.register(RequestCode.CLEAN_EXPIRED_CONSUMEQUEUE, (request) => {
    cleanExpiredConsumeQueue(broker);
    return success(request);
  });
  registry.register(RequestCode.GET_ALL_DELAY_OFFSET, (request) =>
    createResponseCommand(request, ResponseCode.SUCCESS, {
      body: Buffer.from(broker.scheduleMessageService.encode(), 'utf8'),
    }),
  );
}

function queryConsumeQueue(broker: BrokerContext, request: RemotingCommand): RemotingCommand {
  const header = decodeQueryConsumeQueueRequestHeader(request.extFields);
  const queue = findConsumeQueue(broker.messageStore, header.topic, header.queueId);
  if (queue === undefined)
    return failure(request, ResponseCode.SYSTEM_ERROR, `${header.queueId}@${header.topic} is not exist!`);
  const body: Record<string, unknown> = { maxQueueIndex: queue.maxQueueOffset, minQueueIndex: queue.minQueueOffset };
  if (header.consumerGroup !== undefined) {
    const subscription = broker.consumerManager
      .getConsumerGroupInfo(header.consumerGroup)
      ?.findSubscriptionData(header.topic);
    body.subscriptionData = subscription;
    // Java writes JSON.toJSONString(consumerFilterData): "null" for tag subscriptions.
    body.filterData = subscription === undefined ? `${header.consumerGroup}@${header.topic} is not online!` : 'null';
  }
  const units = queue.readUnits(header.index, Math.min(Math.max(header.count, 0), MAX_UNITS_PER_QUERY));
  if (units === null) {
    return createResponseCommand(request, ResponseCode.SUCCESS, {
      remark: `Index ${header.index} of ${header.queueId}@${header.topic} is not exist!`,
    });
  }
  const queueData = [];
  for (let position = 0; position < units.length; position += CQ_STORE_UNIT_SIZE) {
    queueData.push({
      eval: false,
      physicOffset: readInt64BE(units, position),
      physicSize: units.readInt32BE(position + 8),
      tagsCode: readInt64BE(units, position + 12),
    });
  }
  body.queueData = queueData;
  return success(request, body);
}

/** DefaultMessageStore.cleanExpiredConsumerQueue, a topic at a time. */
function cleanExpiredConsumeQueue(broker: BrokerContext): void {
  const store = broker.messageStore;
  const minPhysicalOffset = store.getMinPhyOffset();
  const expired = store.topics().filter((topic) => {
    if (topic === TopicValidator.SCHEDULE_TOPIC) return false;
    const queueIds = store.queueIds(topic);
    return (
      queueIds.length > 0 &&
      queueIds.every((queueId) => {
        const lastPhysicalOffset = findConsumeQueue(store, topic, queueId)?.maxPhysicalOffset ?? -1;
        return lastPhysicalOffset !== -1 && lastPhysicalOffset < minPhysicalOffset;
      })
    );
  });
  store.deleteTopics(expired);
}
