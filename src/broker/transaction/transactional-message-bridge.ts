// TransactionalMessageBridge: the transaction code's access to the store and to the offsets of
// CID_RMQ_SYS_TRANS, the group whose consumer offsets on the half and op queues record how far
// the check loop got (persisted with every other consumer offset in config/consumerOffset.json,
// so pending half messages are found again after a restart).
import { decodeMessageRecord, type MessageRecord } from '../../codec/message/message-record';
import type { MessageToStore } from '../../store/dispatch-request';
import { GetMessageStatus, PutMessageStatus } from '../../store/put-message-status';
import type { BrokerContext } from '../broker-context';
import { PermName } from '../perm-name';
import { CID_RMQ_SYS_TRANS, HALF_TOPIC, OP_TOPIC, opMessage } from './transactional-message-util';

/** Java PullStatus, as the check loop distinguishes the outcomes of a store read. */
export type PullStatus = 'FOUND' | 'NO_NEW_MSG' | 'NO_MATCHED_MSG' | 'OFFSET_ILLEGAL';

export interface PullResult {
  status: PullStatus;
  nextBeginOffset: number;
  /** Decoded records; undefined unless status is FOUND (Java's null msgFoundList). */
  records: MessageRecord[] | undefined;
}

/** Where a record was (re-)appended. */
export interface AppendedAt {
  queueOffset: number;
  physicalOffset: number;
  msgId: string;
}

function pullStatusOf(status: GetMessageStatus): PullStatus {
  switch (status) {
    case GetMessageStatus.FOUND:
      return 'FOUND';
    case GetMessageStatus.NO_MATCHED_MESSAGE:
      return 'NO_MATCHED_MSG';
    case GetMessageStatus.NO_MESSAGE_IN_QUEUE:
    case GetMessageStatus.OFFSET_OVERFLOW_ONE:
      return 'NO_NEW_MSG';
    default:
      return 'OFFSET_ILLEGAL';
  }
}

export class TransactionalMessageBridge {
  constructor(private readonly broker: BrokerContext) {}

  /** The group's committed offset, or the queue's minimum when it has none. */
  fetchConsumeOffset(topic: string, queueId: number): number {
    const offset = this.broker.consumerOffsetManager.queryOffset(CID_RMQ_SYS_TRANS, topic, queueId);
    return offset === -1 ? this.broker.messageStore.getMinOffsetInQueue(topic, queueId) : offset;
  }

  updateConsumeOffset(topic: string, queueId: number, queueOffset: number): void {
    this.broker.consumerOffsetManager.commitOffset(CID_RMQ_SYS_TRANS, topic, queueId, queueOffset);
  }

  /** Queue ids of the half topic; the topic is created (1 queue, RW, registered) on first use, as in Java. */
  halfQueueIds(): number[] {
    const config = this.broker.topicConfigManager.createTopicIfAbsent(
      HALF_TOPIC,
      1,
      PermName.PERM_READ | PermName.PERM_WRITE,
    );
    return Array.from({ length: config.readQueueNums }, (_, queueId) => queueId);
  }

  getHalfMessages(queueId: number, queueOffset: number, maxCount: number): PullResult {
    return this.pull(HALF_TOPIC, queueId, queueOffset, maxCount);
  }

  getOpMessages(queueId: number, queueOffset: number, maxCount: number): PullResult {
    return this.pull(OP_TOPIC, queueId, queueOffset, maxCount);
  }

  private pull(topic: string, queueId: number, queueOffset: number, maxCount: number): PullResult {
    const result = this.broker.messageStore.getMessage(CID_RMQ_SYS_TRANS, topic, queueId, queueOffset, maxCount);
    const status = pullStatusOf(result.status);
    const records =
      status === 'FOUND' ? result.messageBuffers.map((buffer) => decodeMessageRecord(buffer, 0).record) : undefined;
    return { status, nextBeginOffset: result.nextBeginOffset, records };
  }

  /** The record at a commit-log offset, or null (no record starts there). */
  lookMessageByOffset(physicalOffset: number): MessageRecord | null {
    const buffer = this.broker.messageStore.lookMessageByOffset(physicalOffset);
    if (buffer === null) return null;
    try {
      return decodeMessageRecord(buffer, 0).record;
    } catch {
      return null;
    }
  }

  /** Appends a message; returns where it went, or null unless the store answered PUT_OK. */
  async putMessage(message: MessageToStore): Promise<AppendedAt | null> {
    const result = await this.broker.messageStore.putMessage({ ...message, brokerInternal: true });
    if (result.status !== PutMessageStatus.PUT_OK || result.appendResult === undefined) return null;
    const { queueOffset, physicalOffset, msgId } = result.appendResult;
    return { queueOffset, physicalOffset, msgId };
  }

  /** deletePrepareMessage: writes the op record for a resolved half message. */
  async putOpMessage(half: MessageRecord): Promise<boolean> {
    return (
      (await this.putMessage(opMessage(half.queueId, half.queueOffset, this.broker.storeHost, Date.now()))) !== null
    );
  }
}
