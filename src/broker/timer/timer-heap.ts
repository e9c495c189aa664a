// The in-memory index of the timer wheel: the entries of the level-0 slots that have begun,
// ordered by delivery time (then by queue and queue offset, so equal times keep arrival order).
// Its size is bounded by the service (TimerMessageService.MAX_LOADED_ENTRIES), not by the number
// of messages parked on disk.

export interface TimerEntry {
  deliverMs: number;
  queueId: number;
  queueOffset: number;
  physicalOffset: number;
}

function before(a: TimerEntry, b: TimerEntry): boolean {
  if (a.deliverMs !== b.deliverMs) return a.deliverMs < b.deliverMs;
  if (a.queueId !== b.queueId) return a.queueId < b.queueId;
  return a.queueOffset < b.queueOffset;
}

export class TimerHeap {
  private readonly items: TimerEntry[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): TimerEntry | undefined {
    return this.items[0];
  }

  push(entry: TimerEntry): void {
    const items = this.items;
    items.push(entry);
    let index = items.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(items[index], items[parent])) break;
      [items[index], items[parent]] = [items[parent], items[index]];
      index = parent;
    }
  }

  pop(): TimerEntry | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      let index = 0;
      for (;;) {
        const left = 2 * index + 1;
        const right = left + 1;
        let smallest = index;
        if (left < items.length && before(items[left], items[smallest])) smallest = left;
        if (right < items.length && before(items[right], items[smallest])) smallest = right;
        if (smallest === index) break;
        [items[index], items[smallest]] = [items[smallest], items[index]];
        index = smallest;
      }
    }
    return top;
  }
}
