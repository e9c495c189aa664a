// The broker's limits on what clients can make it hold: the remoting ones (remoting-limits.ts,
// shared with the NameServer) and the broker's own. None is a Java 4.7.1 key (Java's only limit
// here is the frame length); each is in the README's "Limits" table with what happens when it is
// hit. They are read where they are enforced, so UPDATE_BROKER_CONFIG changes them at once (the
// remoting ones apply to servers started after the change, i.e. at the next start).
import { FASTJSON_MAX_DEPTH } from '../codec/fastjson-parse';
import { MAX_PROPERTIES_BYTES } from '../codec/message/message-record-layout';
import { DEFAULT_REMOTING_LIMITS, type RemotingLimits, validateRemotingLimits } from '../remoting/remoting-limits';

export interface BrokerLimits extends RemotingLimits {
  /** Long-polling pulls held for one connection; one more is answered SYSTEM_BUSY. */
  maxHeldPullsPerConnection: number;
  /** Long-polling pulls held in all. */
  maxHeldPulls: number;
  /** HEART_BEAT body bytes; a longer body is answered SYSTEM_ERROR. */
  maxHeartbeatBodyBytes: number;
  /** Subscriptions one consumer group may carry in a heartbeat. */
  maxSubscriptionsPerGroup: number;
  /** Nesting depth of any JSON body (process-wide, see setFastjsonMaxDepth). */
  fastjsonMaxDepth: number;
  /** Topics (all kinds counted) past which no new plain topic is created by a send or UPDATE_AND_CREATE_TOPIC. */
  maxTopicCount: number;
  /** Subscription groups past which no new group is created (auto or by admin). */
  maxSubscriptionGroupCount: number;
  /** Pull work per event-loop turn (ms, fractions allowed) before the rest waits for the next turn (pull-scheduler.ts). */
  pullTurnBudgetMs: number;
  /** Pulls waiting for the scheduler (Java's key: its pull pool's queue); one more is answered SYSTEM_BUSY. */
  pullThreadPoolQueueCapacity: number;
  /** Length of a message's properties string (Java: Short.MAX_VALUE, AbstractSendMessageProcessor). */
  maxPropertiesLength: number;
}

export const DEFAULT_BROKER_LIMITS: Readonly<BrokerLimits> = {
  ...DEFAULT_REMOTING_LIMITS,
  maxHeldPullsPerConnection: 4096,
  maxHeldPulls: 100_000,
  maxHeartbeatBodyBytes: 4 * 1024 * 1024,
  maxSubscriptionsPerGroup: 1000,
  fastjsonMaxDepth: FASTJSON_MAX_DEPTH,
  maxTopicCount: 20_000,
  maxSubscriptionGroupCount: 20_000,
  maxPropertiesLength: MAX_PROPERTIES_BYTES,
  pullTurnBudgetMs: 1,
  pullThreadPoolQueueCapacity: 100_000,
};

/** pullTurnBudgetMs may be a fraction of a millisecond, down to this. */
export const PULL_TURN_BUDGET_MIN_MS = 0.05;

export const BROKER_LIMIT_KEYS = Object.keys(DEFAULT_BROKER_LIMITS) as (keyof BrokerLimits)[];

/** Throws RangeError naming the first limit out of its range. */
export function validateBrokerLimits(limits: BrokerLimits): void {
  validateRemotingLimits(limits);
  const ranges: [keyof BrokerLimits, number, number][] = [
    ['maxHeldPullsPerConnection', 1, 10_000_000],
    ['maxHeldPulls', 1, 10_000_000],
    ['maxHeartbeatBodyBytes', 256, 0x7fffffff],
    ['maxSubscriptionsPerGroup', 1, 1_000_000],
    ['fastjsonMaxDepth', 1, 1000],
    ['maxTopicCount', 1, 10_000_000],
    ['maxSubscriptionGroupCount', 1, 10_000_000],
    ['maxPropertiesLength', 1, MAX_PROPERTIES_BYTES],
    ['pullTurnBudgetMs', PULL_TURN_BUDGET_MIN_MS, 1000],
    ['pullThreadPoolQueueCapacity', 1, 10_000_000],
  ];
  for (const [key, min, max] of ranges) {
    const value = limits[key];
    if (key === 'pullTurnBudgetMs') {
      if (!Number.isFinite(value) || value < PULL_TURN_BUDGET_MIN_MS || value > max)
        throw new RangeError(`${key} must be a number in ${PULL_TURN_BUDGET_MIN_MS}..${max}, got ${value}`);
    } else if (!Number.isInteger(value) || value < min || value > max)
      throw new RangeError(`${key} must be an integer in ${min}..${max}, got ${value}`);
  }
}

/** The limit keys among `properties` whose values would break validateBrokerLimits (checked on a copy). */
export function badLimitProperties(current: BrokerLimits, properties: ReadonlyMap<string, string>): string[] {
  const bad: string[] = [];
  for (const key of BROKER_LIMIT_KEYS) {
    const text = properties.get(key);
    if (text === undefined) continue;
    const copy: BrokerLimits = { ...pickLimits(current), [key]: Number(text.trim()) };
    try {
      validateBrokerLimits(copy);
    } catch {
      bad.push(key);
    }
  }
  return bad;
}

export function pickLimits(config: BrokerLimits): BrokerLimits {
  const limits = {} as Record<string, number>;
  for (const key of BROKER_LIMIT_KEYS) limits[key] = config[key];
  return limits as unknown as BrokerLimits;
}
