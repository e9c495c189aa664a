// ConsumerFilterManager: the compiled SQL92 expression of every (topic, group) whose consumers
// subscribe with MessageSelector.bySql, learnt from heartbeats (Java ConsumerFilterManager).
//
// A heartbeat registers each non-TAG subscription with its subVersion as the client version: a
// newer version with another expression replaces the entry, an older one is ignored, and an
// expression that does not compile drops the entry, so the group's pulls get FILTER_DATA_NOT_EXIST
// instead of being filtered by a stale expression. Topics the group no longer subscribes, and groups
// that leave, are marked dead and removed after filterDataCleanTimeSpan (24 h). Java also keeps a
// bloom-filter bit map per entry in the consume-queue extension and persists the table as
// config/consumerFilter.json; neither changes what a client sees, so neither is done here.
import { compileSql92, type CompiledFilter } from '../../filter';
import type { SubscriptionData } from '../subscription-data';

export const TAG_EXPRESSION_TYPE = 'TAG';
export const SQL92_EXPRESSION_TYPE = 'SQL92';
const FILTER_DATA_CLEAN_TIME_SPAN_MS = 24 * 3600 * 1000;
/** Entries over all topics; past this, dead entries are dropped at once (bounded memory). */
const MAX_FILTER_ENTRIES = 100_000;

export interface ConsumerFilterData {
  topic: string;
  consumerGroup: string;
  expression: string;
  expressionType: string;
  clientVersion: number;
  bornTimestampMs: number;
  /** 0 while a consumer subscribes with it. */
  deadTimestampMs: number;
  compiled: CompiledFilter;
}

export function isTagType(expressionType: string | undefined): boolean {
  return expressionType === undefined || expressionType === '' || expressionType === TAG_EXPRESSION_TYPE;
}

/**
 * Compiles an expression as the broker's FilterFactory does. Only SQL92 is known; Java, like this
 * parser, ignores text after the longest valid prefix. Throws with Java's kind of message.
 */
export function compileExpression(expression: string, expressionType: string): CompiledFilter {
  if (expressionType !== SQL92_EXPRESSION_TYPE) throw new Error(`unsupported expression type ${expressionType}`);
  return compileSql92(expression, { ignoreTrailingInput: true });
}

/** The filter data for one subscription, or undefined when it does not compile (Java build). */
export function buildConsumerFilterData(
  topic: string,
  consumerGroup: string,
  expression: string,
  expressionType: string,
  clientVersion: number,
  nowMs = Date.now(),
): ConsumerFilterData | undefined {
  if (isTagType(expressionType) || expression === '') return undefined;
  try {
    const compiled = compileExpression(expression, expressionType);
    return {
      topic,
      consumerGroup,
      expression,
      expressionType,
      clientVersion,
      bornTimestampMs: nowMs,
      deadTimestampMs: 0,
      compiled,
    };
  } catch {
    return undefined;
  }
}

export class ConsumerFilterManager {
  /** topic → group → filter data. */
  private readonly filterDataByTopic = new Map<string, Map<string, ConsumerFilterData>>();
  private entryCount = 0;

  constructor(private readonly cleanTimeSpanMs = FILTER_DATA_CLEAN_TIME_SPAN_MS) {}

  get(topic: string, consumerGroup: string): ConsumerFilterData | undefined {
    return this.filterDataByTopic.get(topic)?.get(consumerGroup);
  }

  /** A heartbeat's subscriptions of one group (Java register(group, subList)). */
  registerGroup(consumerGroup: string, subscriptions: SubscriptionData[], nowMs = Date.now()): void {
    for (const sub of subscriptions)
      this.register(sub.topic, consumerGroup, sub.subString, sub.expressionType, sub.subVersion, nowMs);
    const topics = new Set(subscriptions.map((sub) => sub.topic));
    for (const [topic, groups] of this.filterDataByTopic) {
      const data = groups.get(consumerGroup);
      if (data !== undefined && data.deadTimestampMs === 0 && !topics.has(topic)) data.deadTimestampMs = nowMs;
    }
  }

  /** Returns true when the entry is new, replaced or revived. */
  register(
    topic: string,
    consumerGroup: string,
    expression: string,
    expressionType: string,
    clientVersion: number,
    nowMs = Date.now(),
  ): boolean {
    if (isTagType(expressionType) || expression === '') return false;
    const old = this.get(topic, consumerGroup);
    if (old !== undefined && clientVersion <= old.clientVersion) {
      if (clientVersion !== old.clientVersion || old.deadTimestampMs === 0) return false;
      old.deadTimestampMs = 0;
      return true;
    }
    if (old !== undefined && old.expression === expression && old.expressionType === expressionType) {
      old.clientVersion = clientVersion;
      old.deadTimestampMs = 0;
      return true;
    }
    const built = buildConsumerFilterData(topic, consumerGroup, expression, expressionType, clientVersion, nowMs);
    if (old !== undefined) this.remove(topic, consumerGroup);
    if (built === undefined) return false;
    if (this.entryCount >= MAX_FILTER_ENTRIES) this.clean(nowMs, 0);
    if (this.entryCount >= MAX_FILTER_ENTRIES) return false;
    let groups = this.filterDataByTopic.get(topic);
    if (groups === undefined) {
      groups = new Map();
      this.filterDataByTopic.set(topic, groups);
    }
    groups.set(consumerGroup, built);
    this.entryCount++;
    return true;
  }

  /** The group has no consumer left: its entries die (Java unRegister). */
  unregisterGroup(consumerGroup: string, nowMs = Date.now()): void {
    for (const groups of this.filterDataByTopic.values()) {
      const data = groups.get(consumerGroup);
      if (data !== undefined && data.deadTimestampMs === 0) data.deadTimestampMs = nowMs;
    }
  }

  /** Drops entries dead for longer than the clean time span. */
  clean(nowMs = Date.now(), timeSpanMs = this.cleanTimeSpanMs): void {
    for (const [topic, groups] of [...this.filterDataByTopic]) {
      for (const [group, data] of [...groups]) {
        if (data.deadTimestampMs > 0 && nowMs - data.deadTimestampMs >= timeSpanMs) this.remove(topic, group);
      }
    }
  }

  private remove(topic: string, consumerGroup: string): void {
    const groups = this.filterDataByTopic.get(topic);
    if (groups === undefined || !groups.delete(consumerGroup)) return;
    this.entryCount--;
    if (groups.size === 0) this.filterDataByTopic.delete(topic);
  }
}
