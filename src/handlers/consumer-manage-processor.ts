// ConsumerManageProcessor: GET_CONSUMER_LIST_BY_GROUP (38), UPDATE_CONSUMER_OFFSET (15),
// QUERY_CONSUMER_OFFSET (14).
//
// QUERY_CONSUMER_OFFSET for a group with no committed offset answers 0 when the queue is young
// (min offset 0 and the first message still in memory), as the Java broker does, so a new group
// consumes a young queue from its start whatever its ConsumeFromWhere; otherwise QUERY_NOT_FOUND,
// which the client turns into its ConsumeFromWhere logic.
import {
  decodeGetConsumerListByGroupHeader,
  decodeQueryConsumerOffsetHeader,
  decodeUpdateConsumerOffsetHeader,
} from '../codec/headers/consumer-offset-headers';
import { encodeFastjsonBody } from '../codec/fastjson-write';
import { createResponseCommand, type RemotingCommand } from '../codec/remoting-command';
import { RequestCode } from '../codec/request-code';
import { ResponseCode } from '../codec/response-code';
import type { BrokerContext } from '../broker/broker-context';
import { groupNameProblem, offsetTopicProblem } from '../broker/name-validator';
import type { Connection } from '../remoting/connection';
import type { RequestProcessor } from '../remoting/request-processor';

export class ConsumerManageProcessor implements RequestProcessor {
  constructor(private readonly broker: BrokerContext) {}

  processRequest(_connection: Connection, request: RemotingCommand): RemotingCommand {
    switch (request.code) {
      case RequestCode.GET_CONSUMER_LIST_BY_GROUP:
        return this.getConsumerListByGroup(request);
      case RequestCode.UPDATE_CONSUMER_OFFSET:
        return this.updateConsumerOffset(request);
      case RequestCode.QUERY_CONSUMER_OFFSET:
        return this.queryConsumerOffset(request);
      default:
        return createResponseCommand(request, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, {
          remark: ` request type ${request.code} not supported`,
        });
    }
  }

  private getConsumerListByGroup(request: RemotingCommand): RemotingCommand {
    const { consumerGroup } = decodeGetConsumerListByGroupHeader(request.extFields);
    const clientIds = this.broker.consumerManager.getConsumerGroupInfo(consumerGroup)?.allClientIds() ?? [];
    if (clientIds.length === 0) {
      return createResponseCommand(request, ResponseCode.SYSTEM_ERROR, {
        remark: `no consumer for this group, ${consumerGroup}`,
      });
    }
    return createResponseCommand(request, ResponseCode.SUCCESS, {
      extFields: {},
      body: encodeFastjsonBody({ consumerIdList: clientIds }),
    });
  }

  private updateConsumerOffset(request: RemotingCommand): RemotingCommand {
    const header = decodeUpdateConsumerOffsetHeader(request.extFields);
    const problem =
      groupNameProblem('consumerGroup', header.consumerGroup) ?? offsetTopicProblem('topic', header.topic);
    if (problem !== undefined) return createResponseCommand(request, ResponseCode.SYSTEM_ERROR, { remark: problem });
    this.broker.consumerOffsetManager.commitOffset(
      header.consumerGroup,
      header.topic,
      header.queueId,
      header.commitOffset,
    );
    return createResponseCommand(request, ResponseCode.SUCCESS, { extFields: {} });
  }

  private queryConsumerOffset(request: RemotingCommand): RemotingCommand {
    const header = decodeQueryConsumerOffsetHeader(request.extFields);
    const stored = this.broker.consumerOffsetManager.queryOffset(header.consumerGroup, header.topic, header.queueId);
    if (stored >= 0)
      return createResponseCommand(request, ResponseCode.SUCCESS, { extFields: { offset: String(stored) } });
    const store = this.broker.messageStore;
    const minOffset = store.getMinOffsetInQueue(header.topic, header.queueId);
    if (minOffset <= 0 && !store.checkInDiskByConsumeOffset(header.topic, header.queueId, 0)) {
      return createResponseCommand(request, ResponseCode.SUCCESS, { extFields: { offset: '0' } });
    }
    return createResponseCommand(request, ResponseCode.QUERY_NOT_FOUND, {
      remark: 'Not found, V3_0_6_SNAPSHOT maybe this group consumer boot first',
    });
  }
}
