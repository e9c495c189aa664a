// TransactionalMessageCheckService + DefaultTransactionalMessageCheckListener: every
// transactionCheckInterval (60 s; read again before each wait, so UPDATE_BROKER_CONFIG applies),
// one check pass over the half queues with transactionTimeOut (6 s) and transactionCheckMax (15).
// The first pass runs one interval after start, as in Java.
//
// A half message that needs checking is sent to one live producer connection of its PGROUP as
// CHECK_TRANSACTION_STATE (oneway): header = where the re-appended copy is, body = the message
// record with topic = REAL_TOPIC and queueId = REAL_QID (AbstractTransactionalMessageCheckListener).
// The producer answers, later, with END_TRANSACTION (fromTransactionCheck = true).
import { encodeCheckTransactionStateRequestHeader } from '../../codec/headers/check-transaction-state-request-header';
import { encodeMessageProperties, MessageConst, type MessageProperties } from '../../codec/message/message-properties';
import { encodeMessageRecord, type MessageRecord } from '../../codec/message/message-record';
import { RequestCode } from '../../codec/request-code';
import { PutMessageStatus } from '../../store/put-message-status';
import type { BrokerContext } from '../broker-context';
import { sendOnewayToClient } from '../broker2client';
import { PermName } from '../perm-name';
import { TopicValidator } from '../topic-validator';
import { TransactionalMessageBridge, type AppendedAt } from './transactional-message-bridge';
import { TransactionalMessageService, type TransactionCheckListener } from './transactional-message-service';
import { discardedMessage } from './transactional-message-util';

const HOUR_MS = 3_600_000;

export class TransactionalMessageCheckService implements TransactionCheckListener {
  readonly service: TransactionalMessageService;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopping = false;
  private checking: Promise<void> | undefined;

  constructor(
    private readonly broker: BrokerContext,
    private readonly log: { warn(message: string): void; error(message: string): void },
  ) {
    this.service = new TransactionalMessageService(new TransactionalMessageBridge(broker), (message) =>
      log.error(message),
    );
  }

  start(): void {
    this.running = true;
    this.arm();
  }

  async shutdown(): Promise<void> {
    this.running = false;
    this.stopping = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.checking;
  }

  private arm(): void {
    if (!this.running) return;
    const intervalMs = Math.max(10, this.broker.brokerConfig.transactionCheckInterval);
    this.timer = setTimeout(() => void this.runOnce().finally(() => this.arm()), intervalMs);
    this.timer.unref();
  }

  /** One check pass now (the timer calls it; tests may too). Passes never overlap. */
  runOnce(): Promise<void> {
    if (this.checking !== undefined) return this.checking;
    const config = this.broker.brokerConfig;
    const limits = {
      transactionTimeoutMs: config.transactionTimeOut,
      transactionCheckMax: config.transactionCheckMax,
      fileReservedTimeMs: this.broker.messageStoreConfig.fileReservedTime * HOUR_MS,
      shouldStop: () => this.stopping,
    };
    this.checking = this.service.check(limits, this).finally(() => (this.checking = undefined));
    return this.checking;
  }

  /** AbstractTransactionalMessageCheckListener.sendCheckMessage. */
  resolveHalfMsg(half: MessageRecord, properties: MessageProperties, renewed: AppendedAt): void {
    const group = properties.get(MessageConst.PROPERTY_PRODUCER_GROUP);
    const realTopic = properties.get(MessageConst.PROPERTY_REAL_TOPIC);
    const realQueueId = Number(properties.get(MessageConst.PROPERTY_REAL_QUEUE_ID));
    if (realTopic === undefined || !Number.isInteger(realQueueId)) {
      this.log.error(`transaction check: half message ${renewed.msgId} has no REAL_TOPIC/REAL_QID`);
      return;
    }
    const connection = group === undefined ? undefined : this.broker.producerManager.getAvailableChannel(group);
    if (connection === undefined) {
      this.log.warn(`Check transaction failed, channel is null. groupId=${group}`);
      return;
    }
    const uniqKey = properties.get(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX);
    const header = encodeCheckTransactionStateRequestHeader({
      tranStateTableOffset: renewed.queueOffset,
      commitLogOffset: renewed.physicalOffset,
      msgId: uniqKey,
      transactionId: uniqKey,
      offsetMsgId: renewed.msgId,
    });
    const body = encodeMessageRecord({
      ...half,
      topic: realTopic,
      queueId: realQueueId,
      queueOffset: renewed.queueOffset,
      physicalOffset: renewed.physicalOffset,
      propertiesString: encodeMessageProperties(properties),
    });
    sendOnewayToClient(connection, RequestCode.CHECK_TRANSACTION_STATE, header, body);
  }

  /** DefaultTransactionalMessageCheckListener.resolveDiscardMsg. */
  async resolveDiscardMsg(half: MessageRecord, properties: MessageProperties): Promise<void> {
    this.log.error(
      `half message ${half.physicalOffset} has been checked too many times, ` +
        `so discard it by moving it to system topic ${TopicValidator.TRANS_CHECK_MAX_TIME_TOPIC}`,
    );
    this.broker.topicConfigManager.createTopicIfAbsent(
      TopicValidator.TRANS_CHECK_MAX_TIME_TOPIC,
      1,
      PermName.PERM_READ | PermName.PERM_WRITE,
    );
    const result = await this.broker.messageStore.putMessage({
      ...discardedMessage(half, encodeMessageProperties(properties)),
      brokerInternal: true,
    });
    if (result.status !== PutMessageStatus.PUT_OK)
      this.log.error(
        `Put checked-too-many-time half message to ${TopicValidator.TRANS_CHECK_MAX_TIME_TOPIC} failed: ${result.status}`,
      );
  }
}
