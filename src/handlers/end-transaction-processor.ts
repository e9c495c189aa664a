// EndTransactionProcessor: END_TRANSACTION (37), oneway from the 4.7.1 client (a request sent
// with a response expected gets the response below, which tests use).
//
//   commitOrRollback 0 (NOT, "unknown")  nothing happens (the check loop will ask later)
//   8 COMMIT     the half message at commitLogOffset is checked (it must be a half message of the
//                producer group, at tranStateTableOffset and commitLogOffset), the real message is
//                stored (REAL_TOPIC / REAL_QID, transaction bits COMMIT, PREPAREDTRANSACTIONOFFSET =
//                the half offset; a DELAY level or a timer property applies as for any send), then
//                the op record that resolves the half message
//   12 ROLLBACK  the same checks, then only the op record; SUCCESS carries the remark
//                "not set any response code", as in Java 4.7.1 (seen by rocketmq-client-go, which
//                sends END_TRANSACTION without the oneway flag)
//   on a SLAVE   SLAVE_NOT_AVAILABLE, whatever the request (Java)
//
// Store statuses map to codes in sendFinalMessage, the one switch (EndTransactionProcessor).
import {
  decodeEndTransactionRequestHeader,
  type EndTransactionRequestHeader,
} from '../codec/headers/end-transaction-request-header';
import { findMessageProperty, MessageConst } from '../codec/message/message-properties';
import type { MessageRecord } from '../codec/message/message-record';
import { MessageSysFlag } from '../codec/message/message-sys-flag';
import { createResponseCommand, NOT_SET_RESPONSE_REMARK, type RemotingCommand } from '../codec/remoting-command';
import { ResponseCode } from '../codec/response-code';
import { getLogger } from '../common/logger';
import type { BrokerContext } from '../broker/broker-context';
import { applyDelayLevel } from '../broker/schedule/delay-level';
import { applyTimer } from '../broker/timer/timer-message';
import { TransactionalMessageBridge } from '../broker/transaction/transactional-message-bridge';
import { committedMessage, HALF_TOPIC } from '../broker/transaction/transactional-message-util';
import type { Connection } from '../remoting/connection';
import type { RequestProcessor } from '../remoting/request-processor';
import { PutMessageStatus } from '../store/put-message-status';

type Outcome = { code: number; remark?: string };

const STATE_NAMES: Record<number, string> = { 0: 'pending', 8: 'commit', 12: 'rollback' };

export class EndTransactionProcessor implements RequestProcessor {
  private readonly bridge: TransactionalMessageBridge;
  private readonly log = getLogger('broker');

  constructor(private readonly broker: BrokerContext) {
    this.bridge = new TransactionalMessageBridge(broker);
  }

  async processRequest(connection: Connection, request: RemotingCommand): Promise<RemotingCommand | null> {
    const header = decodeEndTransactionRequestHeader(request.extFields);
    if (this.broker.messageStoreConfig.brokerRole === 'SLAVE') {
      this.log.warn('Message store is slave mode, so end transaction is forbidden. ');
      return createResponseCommand(request, ResponseCode.SLAVE_NOT_AVAILABLE);
    }
    const state = header.commitOrRollback;
    if (header.fromTransactionCheck || state !== MessageSysFlag.TRANSACTION_COMMIT_TYPE) {
      const origin = header.fromTransactionCheck ? 'Check producer' : 'The producer';
      this.log.warn(
        `${origin}[${connection.remoteAddress}] end transaction: ${STATE_NAMES[state]}. ` +
          `msgId=${header.msgId} remark=${request.remark ?? ''}`,
      );
    }
    if (state === MessageSysFlag.TRANSACTION_NOT_TYPE) return null;
    const half = this.bridge.lookMessageByOffset(header.commitLogOffset);
    const problem = checkPrepareMessage(half, header);
    if (problem !== undefined) return createResponseCommand(request, ResponseCode.SYSTEM_ERROR, { remark: problem });
    // A rollback answers with checkPrepareMessage's response, whose SUCCESS keeps the remark of
    // Java's createResponseCommand(null); a commit answers with sendFinalMessage's.
    let outcome: Outcome = { code: ResponseCode.SUCCESS, remark: NOT_SET_RESPONSE_REMARK };
    if (state === MessageSysFlag.TRANSACTION_COMMIT_TYPE) outcome = await this.commit(half!);
    if (outcome.code === ResponseCode.SUCCESS && !(await this.bridge.putOpMessage(half!))) {
      this.log.error(`Transaction op message write failed. half offset ${half!.physicalOffset}`);
    }
    return createResponseCommand(request, outcome.code, { remark: outcome.remark });
  }

  private async commit(half: MessageRecord): Promise<Outcome> {
    const realTopic = findMessageProperty(half.propertiesString, MessageConst.PROPERTY_REAL_TOPIC);
    const realQueueId = Number(findMessageProperty(half.propertiesString, MessageConst.PROPERTY_REAL_QUEUE_ID));
    if (realTopic === undefined || !Number.isInteger(realQueueId))
      return { code: ResponseCode.SYSTEM_ERROR, remark: 'The half message has no REAL_TOPIC/REAL_QID' };
    const timed = applyTimer(committedMessage(half, realTopic, realQueueId), Date.now());
    if ('illegal' in timed) return { code: ResponseCode.MESSAGE_ILLEGAL, remark: timed.illegal };
    const message = applyDelayLevel(timed.message, this.broker.scheduleMessageService.maxDelayLevel);
    const result = await this.broker.messageStore.putMessage({ ...message, brokerInternal: true });
    return sendFinalMessage(result.status);
  }
}

/** Java checkPrepareMessage; returns the remark of the refusal, or undefined when it matches. */
function checkPrepareMessage(half: MessageRecord | null, header: EndTransactionRequestHeader): string | undefined {
  // Java takes whatever record starts at the offset; a record outside the half topic is refused
  // here as well, so a stray END_TRANSACTION cannot re-deliver an ordinary message.
  if (half === null || half.topic !== HALF_TOPIC) return 'Find prepared transaction message failed';
  if (findMessageProperty(half.propertiesString, MessageConst.PROPERTY_PRODUCER_GROUP) !== header.producerGroup)
    return 'The producer group wrong';
  if (half.queueOffset !== header.tranStateTableOffset) return 'The transaction state table offset wrong';
  if (half.physicalOffset !== header.commitLogOffset) return 'The commit log offset wrong';
  return undefined;
}

/** EndTransactionProcessor.sendFinalMessage: the one place a put status becomes a code here. */
function sendFinalMessage(status: PutMessageStatus): Outcome {
  switch (status) {
    case PutMessageStatus.PUT_OK:
    case PutMessageStatus.FLUSH_DISK_TIMEOUT:
    case PutMessageStatus.FLUSH_SLAVE_TIMEOUT:
    case PutMessageStatus.SLAVE_NOT_AVAILABLE:
      return { code: ResponseCode.SUCCESS };
    case PutMessageStatus.CREATE_MAPEDFILE_FAILED:
      return { code: ResponseCode.SYSTEM_ERROR, remark: 'Create mapped file failed.' };
    case PutMessageStatus.MESSAGE_ILLEGAL:
    case PutMessageStatus.PROPERTIES_SIZE_EXCEEDED:
      return {
        code: ResponseCode.MESSAGE_ILLEGAL,
        remark:
          'The message is illegal, maybe msg body or properties length not matched. ' +
          'msg body length limit 128k, msg properties length limit 32k.',
      };
    case PutMessageStatus.SERVICE_NOT_AVAILABLE:
      return { code: ResponseCode.SERVICE_NOT_AVAILABLE, remark: 'Service not available now.' };
    case PutMessageStatus.OS_PAGECACHE_BUSY:
      return { code: ResponseCode.SYSTEM_ERROR, remark: 'OS page cache busy, please try another machine' };
    case PutMessageStatus.UNKNOWN_ERROR:
      return { code: ResponseCode.SYSTEM_ERROR, remark: 'UNKNOWN_ERROR' };
    default:
      return { code: ResponseCode.SYSTEM_ERROR, remark: 'UNKNOWN_ERROR DEFAULT' };
  }
}
