// What happens to records after their bytes are written (Java CommitLogDispatcherBuildConsumeQueue,
// CommitLogDispatcherBuildIndex and the arriving listener of ReputMessageService):
//
//   1. consume-queue units for NOT / COMMIT records, written per queue in one write;
//   2. arriving listeners, for each unit that is now readable (long polling wakes up);
//   3. later, after callers were answered: the index.
import { isDispatchedToConsumeQueue } from '../codec/message/message-sys-flag';
import type { ConsumeQueue } from './consume-queue';
import type { ConsumeQueueTable } from './consume-queue-table';
import type { DispatchRequest } from './dispatch-request';
import type { FlushProgress } from './flush-service';
import type { IndexService } from './index-service';
import type { BatchHooks } from './sync-flush-queue';

export type MessageArrivingListener = (
  topic: string,
  queueId: number,
  maxOffset: number,
  tagsCode: number,
  storeTimestampMs: number,
) => void;

export class CommitLogDispatcher implements BatchHooks {
  readonly listeners: MessageArrivingListener[] = [];

  constructor(
    private readonly consumeQueues: ConsumeQueueTable,
    private readonly indexService: IndexService | null,
    private readonly progress: FlushProgress,
    private readonly log: (message: string) => void,
  ) {}

  /** `endPhysicalOffset`: every record below it has now been dispatched. */
  dispatch(requests: DispatchRequest[], endPhysicalOffset: number): void {
    const touched = new Set<ConsumeQueue>();
    for (const request of requests) {
      if (!isDispatchedToConsumeQueue(request.sysFlag)) continue;
      const queue = this.consumeQueues.findOrCreate(request.topic, request.queueId);
      touched.add(queue);
      queue.stageUnit(request.queueOffset, request.physicalOffset, request.sizeBytes, request.tagsCode);
    }
    for (const queue of touched) this.commitQueue(queue);
    if (requests.length > 0) {
      this.progress.lastDispatchedStoreTimestampMs = requests[requests.length - 1].storeTimestampMs;
    }
    this.progress.dispatchedPhysicalOffset = Math.max(this.progress.dispatchedPhysicalOffset, endPhysicalOffset);
    if (this.listeners.length === 0) return;
    for (const request of requests) {
      if (isDispatchedToConsumeQueue(request.sysFlag)) this.notifyArriving(request);
    }
  }

  afterAnswer(requests: DispatchRequest[]): void {
    if (this.indexService === null || requests.length === 0) return;
    try {
      this.indexService.buildIndex(requests);
    } catch (error) {
      this.log(`index build failed: ${(error as Error).message}`);
    }
  }

  private commitQueue(queue: ConsumeQueue): void {
    try {
      queue.publish();
    } catch (error) {
      // The units stay staged (and visible) and go out with the queue's next write.
      this.log(`consume queue ${queue.topic}/${queue.queueId} write failed: ${(error as Error).message}`);
    }
  }

  private notifyArriving(request: DispatchRequest): void {
    const queue = this.consumeQueues.find(request.topic, request.queueId);
    if (queue === undefined || queue.maxQueueOffset <= request.queueOffset) return;
    for (const listener of this.listeners) {
      try {
        listener(request.topic, request.queueId, request.queueOffset + 1, request.tagsCode, request.storeTimestampMs);
      } catch (error) {
        this.log(`message arriving listener failed: ${(error as Error).message}`);
      }
    }
  }
}
