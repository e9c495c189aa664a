// SendMessageProcessor: SEND_MESSAGE (10), SEND_MESSAGE_V2 (310), SEND_BATCH_MESSAGE (320), and
// CONSUMER_SEND_MSG_BACK (36, in consumer-send-msg-back.ts).
//
// Checks follow AbstractSendMessageProcessor.msgCheck (send-message-check.ts: broker writable for
// order topics, topic name, forbidden topics, auto-creation through the default topic, queue id
// range); the store's PutMessageStatus is mapped to a response code in exactly one place
// (send-message-response.ts).
// Every response carries the MSG_REGION and TRACE_ON extFields the client reads unconditionally.
//
// Flow control ("broker busy"), as Java 4.7.1 does it and as far as it fits here:
//   - rejectRequest() is true while the store's isOSPageCacheBusy() (Java also checks
//     isTransientStorePoolDeficient; we have no transient store pool). The remoting server then
//     answers SYSTEM_BUSY (2) "[REJECTREQUEST]system busy, start flow control for a while" without
//     calling processRequest — for all four codes, on both ports (remoting-server.ts).
//   - A put that gets OS_PAGECACHE_BUSY from the store anyway is answered SYSTEM_ERROR
//     "[PC_SYNCHRONIZED]…" (send-message-response.ts); internal puts (schedule, transactions) get it too.
//   - No analogue of BrokerFastFailure's "[PCBUSY_CLEAN_QUEUE]" / "[TIMEOUT_CLEAN_QUEUE]": those
//     answer requests waiting in the send thread pool's queue (while the page cache is busy, or
//     after waitTimeMillsInSendQueue, 200 ms). We have no such queue: a request is processed in
//     the event-loop turn that decodes it, and its commit-log space is reserved synchronously, so
//     the time "in queue" is always ~0 and every request arriving while busy already meets the
//     REJECTREQUEST check. Requests waiting unread in the socket while the event loop is blocked
//     carry no arrival time we could measure.
// What the 4.7.1 client does with SYSTEM_BUSY: MQClientAPIImpl.processSendResponse throws
// MQBrokerException(2, remark); DefaultMQProducerImpl.sendDefaultImpl (sync) marks the broker
// with updateFaultItem(isolation=true) — effective only with sendLatencyFaultEnable, off by
// default — and, 2 not being among the retried codes (TOPIC_NOT_EXIST, SERVICE_NOT_AVAILABLE,
// SYSTEM_ERROR, NO_PERMISSION, NO_BUYER_ID, NOT_IN_CURRENT_UNIT), throws it to the application
// without trying another broker. Async sends call onException without retry (needRetry=false);
// oneway sends never see it. [PC_SYNCHRONIZED] (SYSTEM_ERROR) is retried on another broker.
import { decodeMessageBatch } from '../codec/message/message-batch';
import type { HostAddress } from '../codec/message/host-address';
import { bornHostOf } from './born-host';
import { findMessageProperty, MessageConst } from '../codec/message/message-properties';
import { putMessageProperty } from '../codec/message/put-message-property';
import {
  decodeSendMessageRequestHeader,
  type SendMessageRequestHeader,
} from '../codec/headers/send-message-request-header';
import { createResponseCommand, type RemotingCommand } from '../codec/remoting-command';
import { RequestCode } from '../codec/request-code';
import { ResponseCode } from '../codec/response-code';
import type { BrokerContext } from '../broker/broker-context';
import { applyDelayLevel } from '../broker/schedule/delay-level';
import { applyTimer } from '../broker/timer/timer-message';
import { toHalfMessage } from '../broker/transaction/transactional-message-util';
import { tagsCodeOf } from '../broker/tags-code';
import { consumerSendMsgBack, V3_4_9 } from './consumer-send-msg-back';
import { PermName } from '../broker/perm-name';
import { isBornHostV6, isStoreHostV6, withHostFlags } from '../codec/message/message-sys-flag';
import type { TopicConfig } from '../broker/topic-config';
import { groupNameProblem } from '../broker/name-validator';
import { dlqTopic, isRetryTopic, RETRY_GROUP_TOPIC_PREFIX } from '../broker/topic-validator';
import type { Connection } from '../remoting/connection';
import type { RequestProcessor } from '../remoting/request-processor';
import { msgCheck, type Outcome } from './send-message-check';
import { putStatusToOutcome, regionFields } from './send-message-response';
import type { EncodedMessage, MessageToStore } from '../store/dispatch-request';
import type { PutMessageResult } from '../store/put-message-status';

export class SendMessageProcessor implements RequestProcessor {
  constructor(private readonly broker: BrokerContext) {}

  /** Java SendMessageProcessor.rejectRequest (see the header): checked by the remoting server. */
  rejectRequest(): boolean {
    return this.broker.messageStore.isOSPageCacheBusy();
  }

  async processRequest(connection: Connection, request: RemotingCommand): Promise<RemotingCommand> {
    if (request.code === RequestCode.CONSUMER_SEND_MSG_BACK)
      return consumerSendMsgBack(this.broker, request).then((response) =>
        this.broker.brokerStatsManager.recordSendBackResponse(request, response),
      );
    const header = decodeSendMessageRequestHeader(request);
    const checked = this.msgCheck(header, connection);
    if ('code' in checked) return this.respond(request, checked);
    const topicConfig = checked.topicConfig;
    if (header.queueId < 0) header.queueId = Math.floor(Math.random() * topicConfig.writeQueueNums);
    const retry = this.handleRetryAndDLQ(header, request);
    if (retry !== undefined) return this.respond(request, retry);
    const bornHost = bornHostOf(connection, this.broker.storeHost);
    if (request.code === RequestCode.SEND_BATCH_MESSAGE || header.batch)
      return this.sendBatch(request, header, bornHost);
    return this.sendOne(request, header, bornHost);
  }

  /**
   * A plain SEND_MESSAGE(_V2) a send worker decoded and encoded (broker/send-workers): the same
   * checks and answer as processRequest → sendOne, with the record taken as encoded. The worker
   * sends everything else (batches, retries, transactions, delays, timers, queueId < 0) in line.
   */
  async processEncoded(
    connection: Connection,
    request: RemotingCommand,
    header: SendMessageRequestHeader,
    encoded: Omit<EncodedMessage, 'storeHost'>,
    receivedPropertiesLength: number,
  ): Promise<RemotingCommand> {
    const checked = this.msgCheck(header, connection, receivedPropertiesLength);
    if ('code' in checked) return this.respond(request, checked);
    const sysFlag = withHostFlags(
      this.sysFlagFor(header),
      isBornHostV6(encoded.sysFlag),
      isStoreHostV6(encoded.sysFlag),
    );
    const result = await this.broker.messageStore.putEncodedMessage({
      ...encoded,
      sysFlag,
      storeHost: this.broker.storeHost,
    });
    return this.putResultToResponse(request, header, result);
  }

  private async sendOne(
    request: RemotingCommand,
    header: SendMessageRequestHeader,
    bornHost: HostAddress,
  ): Promise<RemotingCommand> {
    let propertiesString = header.properties ?? '';
    const transactional =
      findMessageProperty(propertiesString, MessageConst.PROPERTY_TRANSACTION_PREPARED)?.toLowerCase() === 'true';
    if (transactional && this.broker.brokerConfig.rejectTransactionMessage) {
      return this.respond(request, {
        code: ResponseCode.NO_PERMISSION,
        remark: `the broker[${this.broker.brokerConfig.brokerIP1}] sending transaction message is forbidden`,
      });
    }
    propertiesString = putMessageProperty(
      propertiesString,
      MessageConst.PROPERTY_CLUSTER,
      this.broker.brokerConfig.brokerClusterName,
    );
    let message: MessageToStore = {
      topic: header.topic,
      queueId: header.queueId,
      flag: header.flag,
      body: request.body ?? Buffer.alloc(0),
      propertiesString,
      tagsCode: tagsCodeOf(propertiesString),
      sysFlag: this.sysFlagFor(header),
      bornTimestampMs: header.bornTimestamp,
      bornHost,
      storeHost: this.broker.storeHost,
      reconsumeTimes: header.reconsumeTimes ?? 0,
      preparedTransactionOffset: 0,
    };
    if (transactional) {
      message = toHalfMessage(message);
    } else {
      const timed = applyTimer(message, Date.now());
      if ('illegal' in timed)
        return this.respond(request, { code: ResponseCode.MESSAGE_ILLEGAL, remark: timed.illegal });
      message = timed.message;
    }
    message = applyDelayLevel(message, this.broker.scheduleMessageService.maxDelayLevel);
    const result = await this.broker.messageStore.putMessage(message);
    return this.putResultToResponse(request, header, result);
  }

  private async sendBatch(
    request: RemotingCommand,
    header: SendMessageRequestHeader,
    bornHost: HostAddress,
  ): Promise<RemotingCommand> {
    if (header.topic.length > 127)
      return this.respond(request, {
        code: ResponseCode.MESSAGE_ILLEGAL,
        remark: `message topic length too long ${header.topic.length}`,
      });
    if (isRetryTopic(header.topic))
      return this.respond(request, {
        code: ResponseCode.MESSAGE_ILLEGAL,
        remark: `batch request does not support retry group ${header.topic}`,
      });
    let elements: ReturnType<typeof decodeMessageBatch>;
    try {
      elements = decodeMessageBatch(request.body ?? Buffer.alloc(0));
    } catch (error) {
      return this.respond(request, {
        code: ResponseCode.MESSAGE_ILLEGAL,
        remark: `bad batch body: ${(error as Error).message}`,
      });
    }
    const maxPropertiesLength = this.broker.brokerConfig.maxPropertiesLength;
    const tooLong = elements.find((element) => element.propertiesString.length > maxPropertiesLength);
    if (tooLong !== undefined) {
      return this.respond(request, {
        code: ResponseCode.MESSAGE_ILLEGAL,
        remark: `batch message properties length ${tooLong.propertiesString.length} exceeds maxPropertiesLength=${maxPropertiesLength}`,
      });
    }
    const result = await this.broker.messageStore.putMessages({
      topic: header.topic,
      queueId: header.queueId,
      sysFlag: this.sysFlagFor(header),
      bornTimestampMs: header.bornTimestamp,
      bornHost,
      storeHost: this.broker.storeHost,
      reconsumeTimes: header.reconsumeTimes ?? 0,
      elements: elements.map((element) => ({ ...element, tagsCode: tagsCodeOf(element.propertiesString) })),
    });
    return this.putResultToResponse(request, header, result);
  }

  private sysFlagFor(header: SendMessageRequestHeader): number {
    const topicConfig = this.broker.topicConfigManager.selectTopicConfig(header.topic);
    return topicConfig?.topicFilterType === 'MULTI_TAG' ? header.sysFlag | 0x2 : header.sysFlag;
  }

  /** AbstractSendMessageProcessor.msgCheck (send-message-check.ts). */
  msgCheck(
    header: SendMessageRequestHeader,
    connection: Connection,
    propertiesLength = header.properties?.length ?? 0,
  ): Outcome | { topicConfig: TopicConfig } {
    return msgCheck(this.broker, header, connection, propertiesLength);
  }

  /** %RETRY% sends past their reconsume limit go to the group's dead-letter topic. */
  private handleRetryAndDLQ(header: SendMessageRequestHeader, request: RemotingCommand): Outcome | undefined {
    if (!header.topic.startsWith(RETRY_GROUP_TOPIC_PREFIX)) return undefined;
    const group = header.topic.slice(RETRY_GROUP_TOPIC_PREFIX.length);
    const groupProblem = groupNameProblem('group of the retry topic', group);
    if (groupProblem !== undefined) return { code: ResponseCode.SYSTEM_ERROR, remark: groupProblem };
    const groupConfig = this.broker.subscriptionGroupManager.findSubscriptionGroupConfig(group);
    if (groupConfig === undefined)
      return { code: ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, remark: `subscription group not exist, ${group}` };
    let maxReconsumeTimes = groupConfig.retryMaxTimes;
    if (request.version >= V3_4_9 && header.maxReconsumeTimes !== undefined)
      maxReconsumeTimes = header.maxReconsumeTimes;
    if ((header.reconsumeTimes ?? 0) >= maxReconsumeTimes) {
      header.topic = dlqTopic(group);
      header.queueId = 0;
      this.broker.topicConfigManager.createTopicIfAbsent(header.topic, 1, PermName.PERM_WRITE);
    }
    return undefined;
  }

  /** A put's answer: its status mapped in send-message-response.ts; a stored message's result. */
  private putResultToResponse(
    request: RemotingCommand,
    header: SendMessageRequestHeader,
    result: PutMessageResult,
  ): RemotingCommand {
    const outcome = putStatusToOutcome(result.status, this.broker.messageStoreConfig);
    if (!outcome.stored) return this.respond(request, outcome);
    const append = result.appendResult!;
    this.broker.brokerStatsManager.recordPut(header.topic, append);
    // SendMessageResponseHeader; its JSON header comes from a template (codec/json-header-template)
    const extFields = {
      msgId: append.msgId,
      queueId: String(header.queueId),
      queueOffset: String(append.queueOffset),
      ...regionFields(this.broker.brokerConfig),
    };
    return createResponseCommand(request, outcome.code, { extFields });
  }

  private respond(request: RemotingCommand, outcome: Outcome): RemotingCommand {
    return createResponseCommand(request, outcome.code, {
      remark: outcome.remark,
      extFields: regionFields(this.broker.brokerConfig),
    });
  }
}
