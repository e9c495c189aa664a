// RebalanceLockManager: the broker side of ordered consumption. An orderly consumer locks each of
// its queues (LOCK_BATCH_MQ, every 20 s) before pulling from it; a lock belongs to one clientId of
// the group and lives 60 s after its last renewal (rocketmq.broker.rebalance.lockMaxLiveTime), so
// a consumer that dies without unlocking gives its queues up after at most a minute. As in Java, a
// closed connection does not release its locks; UNLOCK_BATCH_MQ (sent at shutdown and when a
// queue is rebalanced away) does, but only for the client holding the lock.
import { type MessageQueue, messageQueueKey } from './message-queue';

export const REBALANCE_LOCK_MAX_LIVE_TIME_MS = 60_000;
/** Lock entries over all groups; past this, expired entries are purged and new locks refused. */
const MAX_LOCK_ENTRIES = 100_000;

interface LockEntry {
  clientId: string;
  lastUpdateTimestampMs: number;
}

export class RebalanceLockManager {
  /** group → queue key → lock. */
  private readonly mqLockTable = new Map<string, Map<string, LockEntry>>();
  private entryCount = 0;

  constructor(private readonly lockMaxLiveTimeMs = REBALANCE_LOCK_MAX_LIVE_TIME_MS) {}

  private isExpired(entry: LockEntry, nowMs: number): boolean {
    return nowMs - entry.lastUpdateTimestampMs > this.lockMaxLiveTimeMs;
  }

  /** Locks (or renews) every queue that is free, expired or already this client's; returns those. */
  tryLockBatch(group: string, mqs: MessageQueue[], clientId: string, nowMs = Date.now()): MessageQueue[] {
    const groupTable = this.mqLockTable.get(group) ?? new Map<string, LockEntry>();
    const locked: MessageQueue[] = [];
    for (const mq of mqs) {
      const key = messageQueueKey(mq);
      const entry = groupTable.get(key);
      if (entry === undefined) {
        if (!this.roomForOneMore(nowMs)) continue;
        groupTable.set(key, { clientId, lastUpdateTimestampMs: nowMs });
        this.entryCount++;
        locked.push(mq);
      } else if (entry.clientId === clientId || this.isExpired(entry, nowMs)) {
        entry.clientId = clientId;
        entry.lastUpdateTimestampMs = nowMs;
        locked.push(mq);
      }
    }
    // Set again after the loop: a purge in roomForOneMore may have dropped an emptied table.
    if (groupTable.size > 0) this.mqLockTable.set(group, groupTable);
    else this.mqLockTable.delete(group);
    return locked;
  }

  /** Releases the queues this client holds; locks held by others stay. */
  unlockBatch(group: string, mqs: MessageQueue[], clientId: string): void {
    const groupTable = this.mqLockTable.get(group);
    if (groupTable === undefined) return;
    for (const mq of mqs) {
      const key = messageQueueKey(mq);
      if (groupTable.get(key)?.clientId !== clientId) continue;
      groupTable.delete(key);
      this.entryCount--;
    }
    if (groupTable.size === 0) this.mqLockTable.delete(group);
  }

  /** The client holding a live lock on the queue, if any. */
  lockHolder(group: string, mq: MessageQueue, nowMs = Date.now()): string | undefined {
    const entry = this.mqLockTable.get(group)?.get(messageQueueKey(mq));
    return entry === undefined || this.isExpired(entry, nowMs) ? undefined : entry.clientId;
  }

  private roomForOneMore(nowMs: number): boolean {
    if (this.entryCount < MAX_LOCK_ENTRIES) return true;
    for (const [group, groupTable] of this.mqLockTable) {
      for (const [key, entry] of groupTable) {
        if (!this.isExpired(entry, nowMs)) continue;
        groupTable.delete(key);
        this.entryCount--;
      }
      if (groupTable.size === 0) this.mqLockTable.delete(group);
    }
    return this.entryCount < MAX_LOCK_ENTRIES;
  }
}
