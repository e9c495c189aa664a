// GetMessageMemo: pulls that ask one queue for the same records in the same synchronous job share one
// read. When a message arrives, every consumer group held on its queue is woken together (50 groups: 50
// pulls of the same offset, run back to back by the PullScheduler); each used to read the same
// commit-log bytes again. Shared only:
// - for pulls without a filter (a filter decides per group what an answer holds);
// - for answers read on the event loop (a cold read on the thread pool is never memoized);
// - while the queue's max offset is the one the answer was read at (it is part of the key);
// - until the current synchronous job ends (emptied in a microtask), so it holds at most the answers of
//   one scheduler turn and never outlives a change made by another event (a send, a clean, a truncation).
// The answer object is shared: its readers must not change it.
import type { GetMessageResult } from './put-message-status';

/** At most this many answers held at once (one per queue and offset read in a turn; bounded anyway). */
const MAX_ENTRIES = 1024;

export class GetMessageMemo {
  private readonly answers = new Map<string, GetMessageResult>();
  private clearQueued = false;
  hits = 0;

  static key(
    topic: string,
    queueId: number,
    queueOffset: number,
    maxMsgNums: number,
    maxQueueOffset: number,
    bodyByReference = false,
  ): string {
    const kind = bodyByReference ? 'r' : 'b'; // an answer by reference serves only such pulls
    return `${queueId}\u0001${queueOffset}\u0001${maxMsgNums}\u0001${maxQueueOffset}\u0001${kind}${topic}`;
  }

  lookup(key: string): GetMessageResult | undefined {
    const answer = this.answers.get(key);
    if (answer !== undefined) this.hits++;
    return answer;
  }

  remember(key: string, answer: GetMessageResult): void {
    if (this.answers.size >= MAX_ENTRIES) return;
    this.answers.set(key, answer);
    if (this.clearQueued) return;
    this.clearQueued = true;
    queueMicrotask(() => {
      this.answers.clear();
      this.clearQueued = false;
    });
  }

  get size(): number {
    return this.answers.size;
  }
}
