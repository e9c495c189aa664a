// PullRequestHoldService: pulls that found nothing new wait here, keyed by topic@queueId, until a
// message arrives for their queue (woken within the same tick as the store's dispatch) or their
// suspend timeout passes; either way the pull is run again without suspension and answered.
// Java checks timeouts every 5 s; we check every CHECK_INTERVAL_MS so a held pull is answered close
// to its suspendTimeoutMillis and well before the client's 30 s RPC timeout.
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

export class PullRequestHoldService {
  private readonly pullRequestTable = new Map<string, PullRequest[]>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly wakeUp: (request: PullRequest) => void,
    private readonly maxOffsetInQueue: (topic: string, queueId: number) => number,
  ) {}

  private static key(topic: string, queueId: number): string {
    return `${topic}@${queueId}`;
  }

  get heldCount(): number {
    let count = 0;
    for (const requests of this.pullRequestTable.values()) count += requests.length;
    return count;
  }

  suspendPullRequest(topic: string, queueId: number, request: PullRequest): void {
    const key = PullRequestHoldService.key(topic, queueId);
    let requests = this.pullRequestTable.get(key);
    if (requests === undefined) {
      requests = [];
      this.pullRequestTable.set(key, requests);
    }
    requests.push(request);
    if (requests.length > MAX_HELD_PER_QUEUE) this.wakeUp(requests.shift()!);
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
      else if (request.connection.isClosed) continue;
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
        if (request.connection.isClosed) continue;
        if (maxOffset > request.pullFromThisOffset || nowMs - request.suspendTimestampMs >= request.timeoutMs) this.wakeUp(request);
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
  }
}
