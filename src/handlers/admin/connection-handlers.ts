// Client connections of a group, for mqadmin consumerConnection / producerConnection, the
// dashboard and the exporter:
//
//   GET_CONSUMER_CONNECTION_LIST (203) ConsumerConnection {"connectionSet":[Connection],
//       "consumeFromWhere":"CONSUME_FROM_LAST_OFFSET","consumeType":"CONSUME_PASSIVELY",
//       "messageModel":"CLUSTERING","subscriptionTable":{"T":{SubscriptionData}}}
//       group not online → CONSUMER_NOT_ONLINE "the consumer group[g] not online"
//   GET_PRODUCER_CONNECTION_LIST (204) ProducerConnection {"connectionSet":[Connection]}
//       unknown group → SYSTEM_ERROR "the producer group[g] not exist"
//
// Connection = {"clientAddr":"127.0.0.1:5555","clientId":"cid","language":"JAVA","version":355},
// clientAddr being the client's socket address as the broker sees it.
import { decodeRequiredField } from '../../codec/headers/admin-request-headers';
import { RequestCode } from '../../codec/request-code';
import { ResponseCode } from '../../codec/response-code';
import type { BrokerContext } from '../../broker/broker-context';
import type { ClientChannelInfo } from '../../broker/consumer-manager';
import { type AdminRegistry, failure, success } from './admin-support';

function connectionOf(info: ClientChannelInfo) {
  return {
    clientAddr: info.connection.remoteAddress,
    clientId: info.clientId,
    language: info.language,
    version: info.version,
  };
}

export function registerConnectionHandlers(registry: AdminRegistry, broker: BrokerContext): void {
  registry.register(RequestCode.GET_CONSUMER_CONNECTION_LIST, (request) => {
    const group = decodeRequiredField(request.extFields, 'GetConsumerConnectionListRequestHeader', 'consumerGroup');
    const groupInfo = broker.consumerManager.getConsumerGroupInfo(group);
    if (groupInfo === undefined)
      return failure(request, ResponseCode.CONSUMER_NOT_ONLINE, `the consumer group[${group}] not online`);
    return success(request, {
      connectionSet: [...groupInfo.channels.values()].map(connectionOf),
      consumeFromWhere: groupInfo.consumeFromWhere,
      consumeType: groupInfo.consumeType,
      messageModel: groupInfo.messageModel,
      subscriptionTable: new Map(groupInfo.subscriptionTable),
    });
  });
  registry.register(RequestCode.GET_PRODUCER_CONNECTION_LIST, (request) => {
    const group = decodeRequiredField(request.extFields, 'GetProducerConnectionListRequestHeader', 'producerGroup');
    const channels = broker.producerManager.groupChannelTable.get(group);
    if (channels === undefined)
      return failure(request, ResponseCode.SYSTEM_ERROR, `the producer group[${group}] not exist`);
    return success(request, { connectionSet: [...channels.values()].map(connectionOf) });
  });
}
