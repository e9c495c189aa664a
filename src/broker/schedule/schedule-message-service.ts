// ScheduleMessageService: delivers the messages parked in SCHEDULE_TOPIC_XXXX when their delay
// level's time has passed since they were stored. One cursor per level (queue level − 1),
// persisted as config/delayOffset.json ({"offsetTable":{1:0,2:5,…}}, unquoted int keys) every
// 10 s and at shutdown, so a restart neither loses nor repeats deliveries (a message delivered
// after the last persist and before a crash can be delivered again: at least once, as in Java).
// A level whose next message is not yet due sleeps until exactly then (capped at 1 s, and at
// 100 ms when its queue is empty), so delivery lands within a few ms of the due time.
import type { FastjsonValue } from '../../codec/fastjson-parse';
import { decodeMessageRecord } from '../../codec/message/message-record';
import { decodeMessageProperties, MessageConst } from '../../codec/message/message-properties';
import type { DefaultMessageStore } from '../../store/message-store';
import { PutMessageStatus } from '../../store/put-message-status';
import { parseDelayLevels } from '../../store/message-store-config';
import { messageFromRecord } from '../message-from-record';
import { ConfigManager, integerOf, wrapperTable } from '../config-manager';
import { TopicValidator } from '../topic-validator';

const SCHEDULE_GROUP = 'SCHEDULE_CONSUMER';
const IDLE_RECHECK_MS = 100;
const MAX_SLEEP_MS = 1000;
const PERSIST_INTERVAL_MS = 10_000;
const BATCH_MAX_MESSAGES = 32;

export class ScheduleMessageService extends ConfigManager {
  readonly delayLevelTable: number[];
  readonly offsetTable = new Map<number, number>();
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private persistTimer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    configFilePath: string,
    messageDelayLevel: string,
    private readonly store: DefaultMessageStore,
    private readonly onError: (message: string) => void,
  ) {
    super(configFilePath);
    this.delayLevelTable = parseDelayLevels(messageDelayLevel);
  }

  get maxDelayLevel(): number {
    return this.delayLevelTable.length;
  }

  start(): void {
    this.running = true;
    for (let level = 1; level <= this.maxDelayLevel; level++) this.arm(level, 1000);
    this.persistTimer = setInterval(() => this.persist(), PERSIST_INTERVAL_MS);
    this.persistTimer.unref();
  }

  shutdown(): void {
    if (!this.running) return; // never started (a slave): delayOffset.json is what the master sent
    this.running = false;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    if (this.persistTimer !== undefined) clearInterval(this.persistTimer);
    this.persist();
  }

  /** Wakes a level at once (a message was just parked in it). */
  wakeUp(level: number): void {
    if (this.running && level >= 1 && level <= this.maxDelayLevel) this.arm(level, 0);
  }

  private arm(level: number, delayMs: number): void {
    const existing = this.timers.get(level);
    if (existing !== undefined) clearTimeout(existing);
    const timer = setTimeout(() => void this.deliverLevel(level), delayMs);
    timer.unref();
    this.timers.set(level, timer);
  }

  private async deliverLevel(level: number): Promise<void> {
    this.timers.delete(level);
    if (!this.running) return;
    let nextDelayMs = IDLE_RECHECK_MS;
    try {
      nextDelayMs = await this.deliverDue(level);
    } catch (error) {
      this.onError(`schedule level ${level} delivery failed: ${(error as Error).stack}`);
      nextDelayMs = MAX_SLEEP_MS;
    }
    if (this.running && !this.timers.has(level)) this.arm(level, nextDelayMs);
  }

  /** Delivers every due message of a level; returns how long to sleep before looking again. */
  private async deliverDue(level: number): Promise<number> {
    const queueId = level - 1;
    const delayMs = this.delayLevelTable[queueId];
    for (;;) {
      const cursor = this.offsetTable.get(level) ?? 0;
      const result = this.store.getMessage(
        SCHEDULE_GROUP,
        TopicValidator.SCHEDULE_TOPIC,
        queueId,
        cursor,
        BATCH_MAX_MESSAGES,
      );
      if (result.messageBuffers.length === 0) {
        if (result.nextBeginOffset !== cursor) this.offsetTable.set(level, result.nextBeginOffset);
        return IDLE_RECHECK_MS;
      }
      let delivered = cursor;
      for (const buffer of result.messageBuffers) {
        const { record } = decodeMessageRecord(buffer, 0);
        const dueMs = record.storeTimestampMs + delayMs;
        const waitMs = dueMs - Date.now();
        if (waitMs > 0) return Math.min(waitMs, MAX_SLEEP_MS);
        if (!(await this.redeliver(record))) return MAX_SLEEP_MS;
        delivered = record.queueOffset + 1;
        this.offsetTable.set(level, delivered);
      }
    }
  }

  /** Puts the parked message back to its real topic and queue. */
  private async redeliver(record: ReturnType<typeof decodeMessageRecord>['record']): Promise<boolean> {
    const properties = decodeMessageProperties(record.propertiesString);
    const topic = properties.get(MessageConst.PROPERTY_REAL_TOPIC);
    const queueId = Number(properties.get(MessageConst.PROPERTY_REAL_QUEUE_ID));
    if (topic === undefined || !Number.isInteger(queueId)) {
      this.onError(`schedule message at ${record.physicalOffset} has no REAL_TOPIC/REAL_QID; skipped`);
      return true;
    }
    // Java (messageTimeup) encodes the stored properties before it clears DELAY and sets WAIT=false
    // in the map, so the delivered record keeps them as parked: consumers see the DELAY level.
    const propertiesString = record.propertiesString;
    const result = await this.store.putMessage({
      ...messageFromRecord(record, { topic, queueId, propertiesString }),
      brokerInternal: true,
    });
    if (result.status === PutMessageStatus.PUT_OK || result.status === PutMessageStatus.FLUSH_DISK_TIMEOUT) return true;
    this.onError(`schedule redelivery to ${topic} failed: ${result.status}`);
    return false;
  }

  protected encodeContent(): unknown {
    return { offsetTable: new Map(this.offsetTable) };
  }

  protected decodeContent(parsed: FastjsonValue): void {
    const { table } = wrapperTable(parsed, 'offsetTable', 'delay offset table');
    this.loadEntries(table, 'delay level', (level, queueOffset) => {
      this.offsetTable.set(integerOf(level, 'delay level', 1, 0x7fffffff), integerOf(queueOffset, 'offset', 0));
    });
  }
}
