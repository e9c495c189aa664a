// PullMessageProcessor: PULL_MESSAGE (11), with long polling, and LITE_PULL_MESSAGE (361), which the
// 5.x client's lite pull consumer sends and a 5.x broker serves the same way (beyond 4.7.1).
//
// Checks follow the Java processor (pull-message-check.ts: broker readable, group, topic, queue
// id, subscription from the request or from the group's latest heartbeat); the store's
// GetMessageStatus is mapped to a response code in exactly one place (statusToCode, in
// pull-message-response.ts with the answer's body). A pull that finds nothing new and carries the
// SUSPEND flag is held by the PullRequestHoldService and run again, without suspension, when a
// message arrives or its suspend timeout passes. The body of a FOUND answer is the stored records
// exactly as they are in the commit log (read by the connection worker when the answer refers to
// them: connectionWorkerPullBodies).
//
// Master and slave (Java 4.7.1's rules, kept as they run): suggestWhichBrokerId is 0 unless
// slaveReadEnable, then the group's whichBrokerWhenConsumeSlowly (1) when the pull read data no
// longer in memory (suggestPullingFromSlave), else the group's brokerId (0). A slave serves pulls
// whatever slaveReadEnable says: Java sets PULL_RETRY_IMMEDIATELY for a slave without it, but
// the status mapping that follows overwrites that code, so a consumer reads from the slave while
// its master is away. On a slave (offsetCheckInSlave off) PULL_OFFSET_MOVED becomes
// PULL_RETRY_IMMEDIATELY with the group's brokerId, and pulls never store commit offsets.
import {
  decodePullMessageRequestHeader,
  type PullMessageRequestHeader,
  PullSysFlag,
} from '../codec/headers/pull-message-request-header';
import { createResponseCommand, type RemotingCommand, RPC_TYPE_RESPONSE } from '../codec/remoting-command';
import { RequestCode } from '../codec/request-code';
import { peekRequestCode } from '../codec/request-code-peek';
import { ResponseCode } from '../codec/response-code';
import type { BrokerContext } from '../broker/broker-context';
import type { PullRequest } from '../broker/longpolling/pull-request-hold-service';
import { OVERLOAD_REMARK, PullScheduler } from '../broker/longpolling/pull-scheduler';
import { isReadable } from '../broker/perm-name';
import { buildMessageFilter } from '../broker/filter/message-filter';
import type { SubscriptionGroupConfig } from '../broker/subscription-group-manager';
import type { Connection } from '../remoting/connection';
import type { RequestProcessor } from '../remoting/request-processor';
import type { MessageFilter } from '../store/get-message';
import type { GetMessageResult } from '../store/put-message-status';
import { checkPull } from './pull-message-check';
import { bodyOf, statusToCode } from './pull-message-response';

type Answer = RemotingCommand | null | Promise<RemotingCommand | null>;

const MASTER_ID = 0;

export class PullMessageProcessor implements RequestProcessor {
  /** Pull work per event-loop turn is bounded (pullTurnBudgetMs): sends are not held up behind it. */
  readonly scheduler: PullScheduler;

  constructor(private readonly broker: BrokerContext) {
    this.scheduler = new PullScheduler(
      () => broker.brokerConfig,
      () => broker.messageStore.getMaxPhyOffset(),
    );
    // The sends read in a turn are written and answered before that turn's pull work.
    broker.messageStore.onWriteScheduled(() => this.scheduler.yieldTurn());
  }

  processRequest(connection: Connection, request: RemotingCommand): Answer {
    const config = this.broker.brokerConfig;
    if (
      request.code === RequestCode.LITE_PULL_MESSAGE &&
      isReadable(config.brokerPermission) &&
      !config.litePullMessageEnable
    ) {
      const remark = `the broker[${config.brokerIP1}] for lite pull consumer is forbidden`;
      return createResponseCommand(request, ResponseCode.NO_PERMISSION, { remark });
    }
    return this.scheduled(connection, request, () => this.pull(connection, request, true));
  }

  /**
   * The frame router's part for pulls: while pulls wait anyway, a PULL_MESSAGE frame is queued as it
   * came, undecoded, and decoded and dispatched in its turn; true when it was taken. A full queue takes
   * nothing: the frame is then decoded at once and answered SYSTEM_BUSY by `scheduled`.
   */
  deferFrame(connection: Connection, frame: Buffer): boolean {
    if (!this.scheduler.busy || peekRequestCode(frame) !== RequestCode.PULL_MESSAGE) return false;
    return this.scheduler.submit(() => {
      if (!connection.isClosed) connection.handleFrame(frame);
    });
  }

  /**
   * Runs `work` through the scheduler: at once (its answer returned as is) or in a later turn (a
   * promise of it; never settled if the connection closed meanwhile, as nothing could be answered).
   * A full queue answers SYSTEM_BUSY "[OVERLOAD]…" as Java's pull pool does when it rejects.
   */
  private scheduled(connection: Connection, request: RemotingCommand, work: () => Answer, later = false): Answer {
    let done: { answer: Answer } | undefined;
    let deliver: ((answer: Answer) => void) | undefined;
    const task = () => {
      if (connection.isClosed) return;
      let answer: Answer;
      try {
        answer = work();
      } catch (error) {
        answer = Promise.reject(error);
      }
      if (deliver !== undefined) deliver(answer);
      else done = { answer };
    };
    const accepted = later ? this.scheduler.submitLater(task) : this.scheduler.submit(task);
    if (!accepted) return createResponseCommand(request, ResponseCode.SYSTEM_BUSY, { remark: OVERLOAD_REMARK });
    if (done !== undefined) return done.answer;
    return new Promise((resolve, reject) => (deliver = (answer) => Promise.resolve(answer).then(resolve, reject)));
  }

  /**
   * Re-runs a held pull and answers it on its connection (PullMessageProcessor.executeRequestWhenWakeup),
   * in the scheduler's next turn: after the answers to the sends that woke it.
   */
  wakeUp(held: PullRequest): void {
    if (held.connection.isClosed) return;
    const pull = () => this.pull(held.connection, held.request, false);
    const answer = this.scheduled(held.connection, held.request, pull, true);
    if (answer instanceof Promise)
      answer.then(
        (response) => this.answerHeld(held, response),
        (error) => this.answerHeld(held, this.failed(held, error)),
      );
    else this.answerHeld(held, answer);
  }

  private failed(held: PullRequest, error: unknown): RemotingCommand {
    return createResponseCommand(held.request, ResponseCode.SYSTEM_ERROR, { remark: (error as Error).message });
  }

  private answerHeld(held: PullRequest, response: RemotingCommand | null): void {
    if (response === null || held.connection.isClosed) return;
    response.opaque = held.request.opaque;
    response.flag |= RPC_TYPE_RESPONSE;
    held.connection.send(response);
  }

  private pull(connection: Connection, request: RemotingCommand, brokerAllowSuspend: boolean): Answer {
    const header = decodePullMessageRequestHeader(request.extFields);
    const checked = checkPull(this.broker, header);
    if ('code' in checked) return createResponseCommand(request, checked.code, { remark: checked.remark });
    const filter = buildMessageFilter(checked.subscription, checked.filterData, {
      filterSupportRetry: this.broker.brokerConfig.filterSupportRetry,
      consumerFilterManager: this.broker.consumerFilterManager,
    });
    const store = this.broker.messageStore;
    // A pull into a cold backlog reads on the thread pool; then the answer comes later.
    // A queued cold read whose consumer has gone is dropped before it reads.
    const abandoned = (): boolean => connection.isClosed;
    // a connection worker that reads pull bodies gets the hot records' runs, not their bytes
    const bodyByReference = connection.socket.writeLogRuns !== undefined;
    const found = store.getMessageNonBlocking({
      topic: header.topic,
      queueId: header.queueId,
      queueOffset: header.queueOffset,
      maxMsgNums: header.maxMsgNums,
      filter,
      abandoned,
      bodyByReference,
    });
    if (found instanceof Promise) {
      return found.then((result) => {
        if (result !== null)
          return this.afterGet(connection, request, header, filter, result, brokerAllowSuspend, checked.groupConfig);
        this.commitOffsetIfAsked(header, brokerAllowSuspend); // Java saves it whether or not anyone listens
        return null;
      });
    }
    return this.afterGet(connection, request, header, filter, found, brokerAllowSuspend, checked.groupConfig);
  }

  private afterGet(
    connection: Connection,
    request: RemotingCommand,
    header: PullMessageRequestHeader,
    filter: MessageFilter | undefined,
    result: GetMessageResult,
    brokerAllowSuspend: boolean,
    groupConfig: SubscriptionGroupConfig,
  ): RemotingCommand | null {
    this.broker.brokerStatsManager.recordGetMessage(header.consumerGroup, header.topic, result);
    let code = statusToCode(result.status, header.queueOffset);
    let suggestWhichBrokerId = this.suggestWhichBrokerId(result, groupConfig);
    const storeConfig = this.broker.messageStoreConfig;
    if (
      code === ResponseCode.PULL_OFFSET_MOVED &&
      storeConfig.brokerRole === 'SLAVE' &&
      !storeConfig.offsetCheckInSlave
    ) {
      code = ResponseCode.PULL_RETRY_IMMEDIATELY; // a slave leaves offset corrections to the master
      suggestWhichBrokerId = groupConfig.brokerId;
    }
    this.commitOffsetIfAsked(header, brokerAllowSuspend);
    if (code === ResponseCode.PULL_NOT_FOUND && brokerAllowSuspend && (header.sysFlag & PullSysFlag.SUSPEND) !== 0) {
      const config = this.broker.brokerConfig;
      const refused = this.broker.pullRequestHoldService.suspendPullRequest(header.topic, header.queueId, {
        connection,
        request,
        suspendTimestampMs: Date.now(),
        timeoutMs: config.longPollingEnable ? header.suspendTimeoutMillis : config.shortPollingTimeMills,
        pullFromThisOffset: header.queueOffset,
        filter,
      });
      if (refused !== undefined) return createResponseCommand(request, ResponseCode.SYSTEM_BUSY, { remark: refused });
      return null;
    }
    return this.buildResponse(request, code, result, suggestWhichBrokerId);
  }

  /** Java: 0 (the master) unless slaveReadEnable; then the slave when the pull read cold data. */
  private suggestWhichBrokerId(result: GetMessageResult, groupConfig: SubscriptionGroupConfig): number {
    if (!this.broker.brokerConfig.slaveReadEnable) return MASTER_ID;
    return result.suggestPullingFromSlave === true ? groupConfig.whichBrokerWhenConsumeSlowly : groupConfig.brokerId;
  }

  /** The offset a consumer's pull carries (COMMIT_OFFSET flag), saved on its first pass only, never on a slave. */
  private commitOffsetIfAsked(header: PullMessageRequestHeader, brokerAllowSuspend: boolean): void {
    if (this.broker.messageStoreConfig.brokerRole === 'SLAVE') return;
    if (brokerAllowSuspend && (header.sysFlag & PullSysFlag.COMMIT_OFFSET) !== 0) {
      this.broker.consumerOffsetManager.commitOffset(
        header.consumerGroup,
        header.topic,
        header.queueId,
        header.commitOffset,
      );
    }
  }

  private buildResponse(
    request: RemotingCommand,
    code: number,
    result: GetMessageResult,
    suggestWhichBrokerId: number,
  ): RemotingCommand {
    const found = code === ResponseCode.SUCCESS;
    const bodyRef = found ? result.bodyRef : undefined;
    const body = found && bodyRef === undefined ? bodyOf(result) : undefined;
    if (found) this.scheduler.noteAnswer(result.nextBeginOffset < result.maxOffset);
    const response = createResponseCommand(request, code, {
      remark: result.status,
      body,
      extFields: {
        suggestWhichBrokerId: String(suggestWhichBrokerId),
        nextBeginOffset: String(result.nextBeginOffset),
        minOffset: String(result.minOffset),
        maxOffset: String(result.maxOffset),
      },
    });
    if (bodyRef !== undefined) response.bodyRef = bodyRef; // read and written by the connection worker
    return response;
  }
}
