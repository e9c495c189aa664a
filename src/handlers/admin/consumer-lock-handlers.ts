// LOCK_BATCH_MQ (41) and UNLOCK_BATCH_MQ (42): the queue locks of ordered consumption
// (Java AdminBrokerProcessor.lockBatchMQ / unlockBatchMQ over RebalanceLockManager).
//
//   LockBatchRequestBody   {"clientId":"cid","consumerGroup":"cg","mqSet":[{MessageQueue}]}
//   LockBatchResponseBody  {"lockOKMQSet":[{MessageQueue}]}   the subset now held by clientId
//   UnlockBatchRequestBody the same shape as the lock request; answered SUCCESS without a body
//                          (the client sends it oneway at shutdown)
import { asBean, optionalStringField } from '../../codec/body/bean-fields';
import { CodecError } from '../../codec/codec-error';
import { parseFastjson } from '../../codec/fastjson-parse';
import { encodeFastjsonBody } from '../../codec/fastjson-write';
import { createResponseCommand, type RemotingCommand } from '../../codec/remoting-command';
import { RequestCode } from '../../codec/request-code';
import { ResponseCode } from '../../codec/response-code';
import type { BrokerContext } from '../../broker/broker-context';
import { type MessageQueue, messageQueueSetFromJson } from '../../broker/rebalance/message-queue';
import type { ConsumerAdminRegistry } from './consumer-admin-registry';

interface LockBatchBody {
  clientId: string;
  consumerGroup: string;
  mqSet: MessageQueue[];
}

/** LockBatchRequestBody / UnlockBatchRequestBody (same fields). */
export function decodeLockBatchBody(body: Buffer | undefined, what: string): LockBatchBody {
  if (body === undefined || body.length === 0) throw new CodecError(`${what}: empty body`);
  const bean = asBean(parseFastjson(body), what);
  const clientId = optionalStringField(bean, 'clientId', what);
  const consumerGroup = optionalStringField(bean, 'consumerGroup', what);
  if (clientId === undefined || consumerGroup === undefined)
    throw new CodecError(`${what}: clientId and consumerGroup are required`);
  return { clientId, consumerGroup, mqSet: messageQueueSetFromJson(bean.mqSet, `${what}.mqSet`) };
}

export function registerConsumerLockHandlers(registry: ConsumerAdminRegistry, broker: BrokerContext): void {
  registry.register(RequestCode.LOCK_BATCH_MQ, (request) => lockBatchMQ(broker, request));
  registry.register(RequestCode.UNLOCK_BATCH_MQ, (request) => unlockBatchMQ(broker, request));
}

function lockBatchMQ(broker: BrokerContext, request: RemotingCommand): RemotingCommand {
  let body: LockBatchBody;
  try {
    body = decodeLockBatchBody(request.body, 'LockBatchRequestBody');
  } catch (error) {
    return createResponseCommand(request, ResponseCode.SYSTEM_ERROR, { remark: (error as Error).message });
  }
  const locked = broker.rebalanceLockManager.tryLockBatch(body.consumerGroup, body.mqSet, body.clientId);
  return createResponseCommand(request, ResponseCode.SUCCESS, { body: encodeFastjsonBody({ lockOKMQSet: locked }) });
}

function unlockBatchMQ(broker: BrokerContext, request: RemotingCommand): RemotingCommand {
  let body: LockBatchBody;
  try {
    body = decodeLockBatchBody(request.body, 'UnlockBatchRequestBody');
  } catch (error) {
    return createResponseCommand(request, ResponseCode.SYSTEM_ERROR, { remark: (error as Error).message });
  }
  broker.rebalanceLockManager.unlockBatch(body.consumerGroup, body.mqSet, body.clientId);
  return createResponseCommand(request, ResponseCode.SUCCESS);
}
