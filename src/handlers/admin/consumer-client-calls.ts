// GET_CONSUMER_RUNNING_INFO (307) and CONSUME_MESSAGE_DIRECTLY (309): mqadmin asks the broker, the
// broker forwards the request to the client named by clientId over that client's own connection
// and hands the client's answer back as it is (Java AdminBrokerProcessor.callConsumer). For 309 the
// broker first adds its brokerName to the extFields and the stored record named by msgId (an
// offsetMsgId) as the body.
//
//   client unknown in the group   SYSTEM_ERROR "The Consumer <g> <clientId> not online"
//   client older than V3_1_8      SYSTEM_ERROR
//   no answer within 10 s         CONSUME_MSG_TIMEOUT (207)
//   connection lost               SYSTEM_ERROR "invoke consumer <g> <clientId> Exception: …"
import { decodeConsumeMessageDirectlyRequestHeader } from '../../codec/headers/consume-message-directly-request-header';
import { decodeGetConsumerRunningInfoRequestHeader } from '../../codec/headers/get-consumer-running-info-request-header';
import { decodeMessageId } from '../../codec/message/message-id';
import { createResponseCommand, type RemotingCommand } from '../../codec/remoting-command';
import { RequestCode } from '../../codec/request-code';
import { ResponseCode } from '../../codec/response-code';
import type { BrokerContext } from '../../broker/broker-context';
import { callClient } from '../../broker/broker2client';
import { RemotingTimeoutError } from '../../remoting/remoting-errors';
import type { ConsumerAdminRegistry } from './consumer-admin-registry';

/** MQVersion.Version.V3_1_8_SNAPSHOT. */
const V3_1_8_SNAPSHOT = 62;
/** Broker2Client.callClient waits 10 s. */
const CALL_CLIENT_TIMEOUT_MS = 10_000;

export function registerConsumerClientCalls(registry: ConsumerAdminRegistry, broker: BrokerContext): void {
  registry.register(RequestCode.GET_CONSUMER_RUNNING_INFO, (request) => {
    const header = decodeGetConsumerRunningInfoRequestHeader(request.extFields);
    return callConsumer(broker, request, header.consumerGroup, header.clientId, request.body);
  });
  registry.register(RequestCode.CONSUME_MESSAGE_DIRECTLY, (request) => consumeMessageDirectly(broker, request));
}

function consumeMessageDirectly(
  broker: BrokerContext,
  request: RemotingCommand,
): Promise<RemotingCommand> | RemotingCommand {
  const header = decodeConsumeMessageDirectlyRequestHeader(request.extFields);
  const extFields = { ...request.extFields, brokerName: broker.brokerConfig.brokerName };
  const messageId = header.msgId === undefined ? null : decodeMessageId(header.msgId);
  const record = messageId === null ? null : broker.messageStore.lookMessageByOffset(messageId.physicalOffset);
  if (record === null) {
    return createResponseCommand(request, ResponseCode.SYSTEM_ERROR, {
      remark: `look message by offset failed, msgId: ${header.msgId}`,
    });
  }
  return callConsumer(
    broker,
    { ...request, extFields },
    header.consumerGroup,
    header.clientId ?? '',
    Buffer.from(record),
  );
}

async function callConsumer(
  broker: BrokerContext,
  request: RemotingCommand,
  group: string,
  clientId: string,
  body: Buffer | undefined,
): Promise<RemotingCommand> {
  const member = broker.consumerManager.getConsumerGroupInfo(group)?.findChannel(clientId);
  if (member === undefined) {
    return createResponseCommand(request, ResponseCode.SYSTEM_ERROR, {
      remark: `The Consumer <${group}> <${clientId}> not online`,
    });
  }
  if (member.version < V3_1_8_SNAPSHOT) {
    const remark = `The Consumer <${clientId}> Version <${member.version}> too low to finish, please upgrade it to V3_1_8_SNAPSHOT`;
    return createResponseCommand(request, ResponseCode.SYSTEM_ERROR, { remark });
  }
  try {
    return await callClient(member.connection, request.code, { ...request.extFields }, CALL_CLIENT_TIMEOUT_MS, body);
  } catch (error) {
    if (error instanceof RemotingTimeoutError) {
      return createResponseCommand(request, ResponseCode.CONSUME_MSG_TIMEOUT, {
        remark: `consumer <${group}> <${clientId}> Timeout: ${error.message}`,
      });
    }
    return createResponseCommand(request, ResponseCode.SYSTEM_ERROR, {
      remark: `invoke consumer <${group}> <${clientId}> Exception: ${(error as Error).message}`,
    });
  }
}
