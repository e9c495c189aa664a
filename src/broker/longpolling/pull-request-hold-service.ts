// PullRequestHoldService: pulls that found nothing new wait here, keyed by topic@queueId, until a
// message arrives for their queue (woken within the same tick as the store's dispatch) or their
// suspend timeout passes; either way the pull is run again without suspension and answered.
// Java checks timeouts every 5 s; we check every CHECK_INTERVAL_MS so a held pull is answered close
// to its suspendTimeoutMillis and well before the client's 30 s RPC timeout.
// Held pulls are bounded per connection (maxHeldPullsPerConnection) and in all (maxHeldPulls):
// suspendPullRequest refuses one more with a reason naming the key, which the processor answers
// SYSTEM_BUSY (a 4.7.1 client pulls that queue again after 3 s).
import type { RemotingCommand } from '../../codec/remoting-command';
import type { Connection } from '../../remoting/connection';

export interface PullRequest {
  connection: Connection;
  request: RemotingCommand;
  suspendTimestampMs: number;
  timeoutMs: number;
  pullFromThisOffset: number;
  /** The tag check of the pull's subscription; undefined matches everything. */
  filter: ((tagsCode: number) => boolean) | undefined;
}

const CHECK_INTERVAL_MS = 200;
/** Held pulls per queue; past this the oldest is answered at once (bounded memory). */
const MAX_HELD_PER_QUEUE = 1024;

export interface HeldPullLimits {
  maxHeldPullsPerConnection: number;
  maxHeldPulls: number;
}

const UNLIMITED: HeldPullLimits = {
  maxHeldPullsPerConnection: Number.MAX_SAFE_INTEGER,
  maxHeldPulls: Number.MAX_SAFE_INTEGER,
};

export class PullRequestHoldService {
  private readonly pullRequestTable = new Map<string, PullRequest[]>();
  private readonly heldPerConnection = new Map<Connection, number>();
  private heldTotal = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly wakeUpRequest: (request: PullRequest) => void,
    private readonly maxOffsetInQueue: (topic: string, queueId: number) => number,
    private readonly limits: () => HeldPullLimits = () => UNLIMITED,
  ) {}

  /** Pulls held for `connection` now. */
  heldCountOf(connection: Connection): number {
    return this.heldPerConnection.get(connection) ?? 0;
  }

  /** Forgets a request that leaves the table (answered, or its connection closed). */
  private release(request: PullRequest): void {
    const count = this.heldPerConnection.get(request.connection);
    if (count === undefined) throw new Error('held pull count out of step: releasing a pull never held');
    if (count <= 1) this.heldPerConnection.delete(request.connection);
    else this.heldPerConnection.set(request.connection, count - 1);
    this.heldTotal--;
  }

  private wakeUp(request: PullRequest): void {
    this.release(request);
    this.wakeUpRequest(request);
  }

  private static key(topic: string, queueId: number): string {
    return `${topic}@${queueId}`;
  }

  get heldCount(): number {
    return this.heldTotal;
  }

  /** Holds the pull; or, past a limit, returns why it was not held (the caller answers it). */
  suspendPullRequest(topic: string, queueId: number, request: PullRequest): string | undefined {
    const { maxHeldPullsPerConnection, maxHeldPulls } = this.limits();
    const ofConnection = this.heldCountOf(request.connection);
    if (ofConnection >= maxHeldPullsPerConnection)
      return `[HELD_PULL_LIMIT] ${ofConnection} pulls held for this connection, maxHeldPullsPerConnection=${maxHeldPullsPerConnection}`;
    if (this.heldTotal >= maxHeldPulls)
      return `[HELD_PULL_LIMIT] ${this.heldTotal} pulls held in all, maxHeldPulls=${maxHeldPulls}`;
    this.heldPerConnection.set(request.connection, ofConnection + 1);
    this.heldTotal++;
    const key = PullRequestHoldService.key(topic, queueId);
    let requests = this.pullRequestTable.get(key);
    if (requests === undefined) {
      requests = [];
      this.pullRequestTable.set(key, requests);
    }
    requests.push(request);
    if (requests.length > MAX_HELD_PER_QUEUE) this.wakeUp(requests.shift()!);
    return undefined;
  }

  /** Called by the store after a message for topic/queueId is dispatched. */
  notifyMessageArriving(topic: string, queueId: number, maxOffset: number, tagsCode?: number): void {
    const key = PullRequestHoldService.key(topic, queueId);
    const requests = this.pullRequestTable.get(key);
    if (requests === undefined) return;
    const waiting: PullRequest[] = [];
    const ready: PullRequest[] = [];
    for (const request of requests) {
      const matches = tagsCode === undefined || request.filter === undefined || request.filter(tagsCode);
      if (maxOffset > request.pullFromThisOffset && matches) ready.push(request);
      else if (request.connection.isClosed) this.release(request);
      else waiting.push(request);
    }
    if (waiting.length === 0) this.pullRequestTable.delete(key);
    else this.pullRequestTable.set(key, waiting);
    for (const request of ready) this.wakeUp(request);
  }

  /** Answers every pull whose timeout passed; re-checks queues in case a notification was missed. */
  checkHoldRequest(nowMs = Date.now()): void {
    for (const [key, requests] of [...this.pullRequestTable]) {
      const separator = key.lastIndexOf('@');
      const topic = key.slice(0, separator);
      const queueId = Number(key.slice(separator + 1));
      const maxOffset = this.maxOffsetInQueue(topic, queueId);
      const waiting: PullRequest[] = [];
      for (const request of requests) {
        if (request.connection.isClosed) {
          this.release(request);
          continue;
        }
        if (maxOffset > request.pullFromThisOffset || nowMs - request.suspendTimestampMs >= request.timeoutMs)
          this.wakeUp(request);
        else waiting.push(request);
      }
      if (waiting.length === 0) this.pullRequestTable.delete(key);
      else this.pullRequestTable.set(key, waiting);
    }
  }

  start(): void {
    this.timer = setInterval(() => this.checkHoldRequest(), CHECK_INTERVAL_MS);
    this.timer.unref();
  }

  shutdown(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.pullRequestTable.clear();
    this.heldPerConnection.clear();
    this.heldTotal = 0;
  }
}
