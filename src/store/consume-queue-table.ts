// All consume queues of the store, by topic and queue id
// (`<storePathRootDir>/consumequeue/<topic>/<queueId>/`).
import * as fs from 'node:fs';
import { ConsumeQueue } from './consume-queue';
import type { FileHandleCache } from './file-handle-cache';

export class ConsumeQueueTable {
  private readonly byTopic = new Map<string, Map<number, ConsumeQueue>>();

  constructor(
    readonly rootDir: string,
    readonly fileSizeBytes: number,
    private readonly handles: FileHandleCache,
  ) {}

  find(topic: string, queueId: number): ConsumeQueue | undefined {
    return this.byTopic.get(topic)?.get(queueId);
  }

  findOrCreate(topic: string, queueId: number): ConsumeQueue {
    let queues = this.byTopic.get(topic);
    if (queues === undefined) {
      queues = new Map();
      this.byTopic.set(topic, queues);
    }
    let queue = queues.get(queueId);
    if (queue === undefined) {
      queue = new ConsumeQueue(this.rootDir, topic, queueId, this.fileSizeBytes, this.handles);
      queues.set(queueId, queue);
    }
    return queue;
  }

  /** Opens every `<topic>/<queueId>` directory; an error text when a queue's files are invalid. */
  load(): string | null {
    if (!fs.existsSync(this.rootDir)) return null;
    for (const topic of fs.readdirSync(this.rootDir)) {
      const topicDir = `${this.rootDir}/${topic}`;
      if (!fs.statSync(topicDir).isDirectory()) continue;
      for (const name of fs.readdirSync(topicDir)) {
        if (!/^-?\d+$/.test(name)) continue;
        const error = this.findOrCreate(topic, Number(name)).files.load();
        if (error !== null) return error;
      }
    }
    return null;
  }

  *all(): IterableIterator<ConsumeQueue> {
    for (const queues of this.byTopic.values()) yield* queues.values();
  }

  topics(): string[] {
    return [...this.byTopic.keys()];
  }

  queueIds(topic: string): number[] {
    return [...(this.byTopic.get(topic)?.keys() ?? [])].sort((a, b) => a - b);
  }

  /** Deletes the topic's queues and their files. */
  deleteTopic(topic: string): void {
    const queues = this.byTopic.get(topic);
    if (queues === undefined) return;
    for (const queue of queues.values()) queue.destroy();
    this.byTopic.delete(topic);
    fs.rmSync(`${this.rootDir}/${topic}`, { recursive: true, force: true });
  }

  closeAll(): void {
    for (const queue of this.all()) queue.close();
  }
}

/** Next queue offset to assign per topic/queue (Java CommitLog.topicQueueTable). */
export class QueueOffsetTable {
  private readonly byTopic = new Map<string, Map<number, number>>();

  /** The offset the next record of this queue gets. */
  next(topic: string, queueId: number): number {
    return this.byTopic.get(topic)?.get(queueId) ?? 0;
  }

  set(topic: string, queueId: number, nextQueueOffset: number): void {
    let queues = this.byTopic.get(topic);
    if (queues === undefined) {
      queues = new Map();
      this.byTopic.set(topic, queues);
    }
    queues.set(queueId, nextQueueOffset);
  }

  deleteTopic(topic: string): void {
    this.byTopic.delete(topic);
  }
}
