// ReplyMessageProcessor: SEND_REPLY_MESSAGE (324, V1 header) and SEND_REPLY_MESSAGE_V2 (325, V2
// header) — the reply of a 4.7.1 request/reply exchange (`producer.request(...)`).
//
// The replier's client sends the reply (MSG_TYPE=reply, topic <cluster>_REPLY_TOPIC, properties
// CORRELATION_ID and REPLY_TO_CLIENT copied from the request). The broker
//   1. checks it like a send (msgCheck),
//   2. pushes it, PUSH_REPLY_MESSAGE_TO_CLIENT (326, sync, 10 s), to the producer connection whose
//      client id is REPLY_TO_CLIENT (the requester heartbeats as a producer), with header
//      ReplyMessageRequestHeader and PUSH_REPLY_TIME added to the pushed properties,
//   3. stores it in its topic and queue (storeReplyMessageEnable, true in 4.7.1), and answers
//      SUCCESS with msgId/queueId/queueOffset of the stored reply — or SYSTEM_ERROR with the push
//      failure as remark (the reply is stored all the same, as in Java).
//
// No flow-control refusal: Java 4.7.1's ReplyMessageProcessor does not override rejectRequest()
// (AbstractSendMessageProcessor's answers false) and BrokerFastFailure does not clean the reply
// thread pool's queue, so a reply is never answered SYSTEM_BUSY "[REJECTREQUEST]" or
// "[..._CLEAN_QUEUE]"; it is pushed, and a store refusal (OS_PAGECACHE_BUSY, disk full) is only
// logged, as Java's handlePutMessageResult does. This processor has no rejectRequest on purpose.
import {
  decodeSendMessageRequestHeader,
  type SendMessageRequestHeader,
} from '../codec/headers/send-message-request-header';
import { formatHostAddress, type HostAddress } from '../codec/message/host-address';
import { bornHostOf } from './born-host';
import { findMessageProperty, MessageConst } from '../codec/message/message-properties';
import { putMessageProperty } from '../codec/message/put-message-property';
import { createResponseCommand, type ExtFields, type RemotingCommand } from '../codec/remoting-command';
import { RequestCode } from '../codec/request-code';
import { ResponseCode } from '../codec/response-code';
import { getLogger } from '../common/logger';
import type { BrokerContext } from '../broker/broker-context';
import { callClient } from '../broker/broker2client';
import { tagsCodeOf } from '../broker/tags-code';
import type { Connection } from '../remoting/connection';
import type { RequestProcessor } from '../remoting/request-processor';
import type { MessageToStore } from '../store/dispatch-request';
import { PutMessageStatus } from '../store/put-message-status';
import type { SendMessageProcessor } from './send-message-processor';

const PUSH_TIMEOUT_MS = 10_000;
const STORED = new Set<PutMessageStatus>([
  PutMessageStatus.PUT_OK,
  PutMessageStatus.FLUSH_DISK_TIMEOUT,
  PutMessageStatus.FLUSH_SLAVE_TIMEOUT,
  PutMessageStatus.SLAVE_NOT_AVAILABLE,
]);

/** Java InetSocketAddress.toString() of a resolved address: "/ip:port". */
function javaSocketAddress(host: HostAddress): string {
  return `/${formatHostAddress(host)}`;
}

export class ReplyMessageProcessor implements RequestProcessor {
  private readonly log = getLogger('broker');

  constructor(
    private readonly broker: BrokerContext,
    private readonly send: SendMessageProcessor,
  ) {}

  async processRequest(connection: Connection, request: RemotingCommand): Promise<RemotingCommand> {
    // The shared decoder tells V1 from V2 by the send codes; a reply V2 carries the V2 letters.
    const code =
      request.code === RequestCode.SEND_REPLY_MESSAGE_V2 ? RequestCode.SEND_MESSAGE_V2 : RequestCode.SEND_MESSAGE;
    const header = decodeSendMessageRequestHeader({ ...request, code });
    const checked = this.send.msgCheck(header, connection);
    if ('code' in checked) return this.respond(request, checked.code, checked.remark);
    const queueId =
      header.queueId < 0 ? Math.floor(Math.random() * checked.topicConfig.writeQueueNums) : header.queueId;
    const bornHost = bornHostOf(connection, this.broker.storeHost);
    const propertiesString = header.properties ?? '';
    const message: MessageToStore = {
      topic: header.topic,
      queueId,
      flag: header.flag,
      body: request.body ?? Buffer.alloc(0),
      propertiesString,
      tagsCode: tagsCodeOf(propertiesString),
      sysFlag: header.sysFlag,
      bornTimestampMs: header.bornTimestamp,
      bornHost,
      storeHost: this.broker.storeHost,
      reconsumeTimes: header.reconsumeTimes ?? 0,
      preparedTransactionOffset: 0,
    };
    const pushFailure = await this.pushReplyMessage(header, message);
    const extFields: ExtFields = {};
    if (pushFailure === undefined) Object.assign(extFields, { msgId: '0', queueId: String(queueId), queueOffset: '0' });
    const result = await this.broker.messageStore.putMessage(message);
    if (STORED.has(result.status) && result.appendResult !== undefined) {
      Object.assign(extFields, {
        msgId: result.appendResult.msgId,
        queueId: String(queueId),
        queueOffset: String(result.appendResult.queueOffset),
      });
    } else {
      this.log.warn(`process reply message, store putMessage failed: ${result.status}`);
    }
    if (pushFailure !== undefined) return this.respond(request, ResponseCode.SYSTEM_ERROR, pushFailure, extFields);
    return this.respond(request, ResponseCode.SUCCESS, undefined, extFields);
  }

  /** Pushes the reply to its requester; returns the failure remark, or undefined when pushed. */
  private async pushReplyMessage(
    header: SendMessageRequestHeader,
    message: MessageToStore,
  ): Promise<string | undefined> {
    const senderId = findMessageProperty(message.propertiesString, MessageConst.PROPERTY_MESSAGE_REPLY_TO_CLIENT);
    if (senderId === undefined) {
      this.log.warn(`${MessageConst.PROPERTY_MESSAGE_REPLY_TO_CLIENT} is null, can not reply message`);
      return `reply message properties[${MessageConst.PROPERTY_MESSAGE_REPLY_TO_CLIENT}] is null`;
    }
    const channel = this.findProducerChannel(senderId);
    if (channel === undefined) return `push reply message fail, channel of <${senderId}> not found.`;
    const pushHeader: ExtFields = {
      producerGroup: header.producerGroup,
      topic: header.topic,
      defaultTopic: header.defaultTopic,
      defaultTopicQueueNums: String(header.defaultTopicQueueNums),
      queueId: String(header.queueId),
      sysFlag: String(header.sysFlag),
      bornTimestamp: String(header.bornTimestamp),
      flag: String(header.flag),
      properties: putMessageProperty(
        message.propertiesString,
        MessageConst.PROPERTY_PUSH_REPLY_TIME,
        String(Date.now()),
      ),
      unitMode: String(header.unitMode),
      bornHost: javaSocketAddress(message.bornHost),
      storeHost: javaSocketAddress(this.broker.storeHost),
      storeTimestamp: String(Date.now()),
    };
    if (header.reconsumeTimes !== undefined) pushHeader.reconsumeTimes = String(header.reconsumeTimes);
    try {
      const response = await callClient(
        channel,
        RequestCode.PUSH_REPLY_MESSAGE_TO_CLIENT,
        pushHeader,
        PUSH_TIMEOUT_MS,
        message.body,
      );
      if (response.code === ResponseCode.SUCCESS) return undefined;
      this.log.warn(`push reply message to <${senderId}> return fail, response remark: ${response.remark}`);
    } catch (error) {
      this.log.warn(`push reply message to <${senderId}> fail. ${(error as Error).message}`);
    }
    return `push reply message to ${senderId}fail.`;
  }

  /** Java ProducerManager.findChannel: the producer connection that registered this client id. */
  private findProducerChannel(clientId: string): Connection | undefined {
    for (const channels of this.broker.producerManager.groupChannelTable.values()) {
      for (const info of channels.values()) {
        if (info.clientId === clientId && !info.connection.isClosed) return info.connection;
      }
    }
    return undefined;
  }

  private respond(request: RemotingCommand, code: number, remark?: string, extFields: ExtFields = {}): RemotingCommand {
    return createResponseCommand(request, code, {
      remark,
      extFields: {
        ...extFields,
        MSG_REGION: this.broker.brokerConfig.regionId,
        TRACE_ON: String(this.broker.brokerConfig.traceOn),
      },
    });
  }
}
