// BrokerStatsManager (org.apache.rocketmq.store.stats): the per-topic, per-group and per-broker
// counters that VIEW_BROKER_STATS_DATA (mqadmin statsAll, rocketmq-exporter, the dashboard) reads,
// under Java's stats names and keys:
//
//   TOPIC_PUT_NUMS / TOPIC_PUT_SIZE   key topic             messages / bytes stored by sends
//   GROUP_GET_NUMS / GROUP_GET_SIZE   key topic@group       messages / bytes returned by pulls
//   SNDBCK_PUT_NUMS                   key topic@group       consumer send-backs
//   BROKER_PUT_NUMS / BROKER_GET_NUMS key brokerClusterName the broker's totals
//
// It also owns the StoreStatsService counters of GET_BROKER_RUNTIME_INFO, so the send and pull
// processors feed everything with one call each (recordPut, recordGetMessage, recordSendBack).
import type { RemotingCommand } from '../../codec/remoting-command';
import { ResponseCode } from '../../codec/response-code';
import { getLogger } from '../../common/logger';
import { type GetMessageResult, GetMessageStatus } from '../../store/put-message-status';
import type { AppendResult } from '../../store/put-message-status';
import {
  DAY_SAMPLE_PERIOD_MS,
  HOUR_SAMPLE_PERIOD_MS,
  MINUTE_SAMPLE_PERIOD_MS,
  type StatsItem,
  StatsItemSet,
} from './stats-item';
import { msUntilNextMorning, STORE_STATS_SAMPLE_PERIOD_MS, StoreStatsService } from './store-stats-service';

export const BrokerStatsNames = {
  TOPIC_PUT_NUMS: 'TOPIC_PUT_NUMS',
  TOPIC_PUT_SIZE: 'TOPIC_PUT_SIZE',
  GROUP_GET_NUMS: 'GROUP_GET_NUMS',
  GROUP_GET_SIZE: 'GROUP_GET_SIZE',
  SNDBCK_PUT_NUMS: 'SNDBCK_PUT_NUMS',
  BROKER_PUT_NUMS: 'BROKER_PUT_NUMS',
  BROKER_GET_NUMS: 'BROKER_GET_NUMS',
} as const;

const DAY_MS = 24 * 60 * 60_000;

/** `topic@group`, the key of the group stats (BrokerStatsManager.buildStatsKey). */
export function buildStatsKey(topic: string, group: string): string {
  return `${topic}@${group}`;
}

export class BrokerStatsManager {
  readonly storeStats = new StoreStatsService();
  private readonly statsTable = new Map<string, StatsItemSet>();
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(private readonly clusterName: () => string) {
    for (const name of Object.values(BrokerStatsNames)) this.statsTable.set(name, new StatsItemSet(name));
  }

  private set(name: string): StatsItemSet {
    return this.statsTable.get(name)!;
  }

  start(): void {
    const every = (periodMs: number, task: (nowMs: number) => void) => {
      const timer = setInterval(() => task(Date.now()), periodMs);
      timer.unref();
      this.timers.push(timer);
    };
    every(MINUTE_SAMPLE_PERIOD_MS, (nowMs) => this.samplingInSeconds(nowMs));
    every(HOUR_SAMPLE_PERIOD_MS, (nowMs) => this.statsTable.forEach((set) => set.samplingInMinutes(nowMs)));
    every(DAY_SAMPLE_PERIOD_MS, (nowMs) => this.statsTable.forEach((set) => set.samplingInHour(nowMs)));
    every(STORE_STATS_SAMPLE_PERIOD_MS, (nowMs) => this.storeStats.sampling(nowMs));
    every(60_000, () => this.printAtMinutes((line) => getLogger('stats').info(line)));
    const morning = setTimeout(() => {
      this.storeStats.recordMorning();
      every(DAY_MS, () => this.storeStats.recordMorning());
    }, msUntilNextMorning());
    morning.unref();
    this.timers.push(morning);
  }

  /** The 10 s tick of the minute windows (public for tests that cannot wait for it). */
  samplingInSeconds(nowMs = Date.now()): void {
    for (const set of this.statsTable.values()) set.samplingInSeconds(nowMs);
  }

  /** Every key's last-minute figures, one line each (to stats.log once a minute, as Java's StatsItem). */
  printAtMinutes(print: (line: string) => void): void {
    for (const set of this.statsTable.values()) set.printAtMinutes(print);
  }

  shutdown(): void {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
  }

  /** A successful send (SendMessageProcessor after PUT_OK and the other stored outcomes). */
  recordPut(topic: string, append: AppendResult, nowMs = Date.now()): void {
    this.set(BrokerStatsNames.TOPIC_PUT_NUMS).addValue(topic, append.msgNum, 1);
    this.set(BrokerStatsNames.TOPIC_PUT_SIZE).addValue(topic, append.wroteBytes, 1);
    this.set(BrokerStatsNames.BROKER_PUT_NUMS).getAndCreateStatsItem(this.clusterName()).add(append.msgNum, 0);
    this.storeStats.onPut(append.msgNum, append.wroteBytes, nowMs - append.storeTimestampMs);
  }

  /** One store read of a pull; the group and broker counters only count messages returned. */
  recordGetMessage(group: string, topic: string, result: GetMessageResult): void {
    const found = result.status === GetMessageStatus.FOUND;
    this.storeStats.onGet(found, found ? result.messageCount : 0);
    if (!found) return;
    const statsKey = buildStatsKey(topic, group);
    this.set(BrokerStatsNames.GROUP_GET_NUMS).addValue(statsKey, result.messageCount, 1);
    this.set(BrokerStatsNames.GROUP_GET_SIZE).addValue(statsKey, result.bufferTotalSize, 1);
    this.set(BrokerStatsNames.BROKER_GET_NUMS).getAndCreateStatsItem(this.clusterName()).add(result.messageCount, 0);
  }

  /** A consumer sent a message back for retry (CONSUMER_SEND_MSG_BACK stored it). */
  recordSendBack(group: string, topic: string): void {
    this.set(BrokerStatsNames.SNDBCK_PUT_NUMS).addValue(buildStatsKey(topic, group), 1, 1);
  }

  /**
   * Counts a CONSUMER_SEND_MSG_BACK answered SUCCESS under `originTopic@group` and returns the
   * response unchanged (Java counts under the stored message's topic: the same on a first retry).
   */
  recordSendBackResponse(request: RemotingCommand, response: RemotingCommand): RemotingCommand {
    const group = request.extFields?.group;
    const topic = request.extFields?.originTopic;
    if (response.code === ResponseCode.SUCCESS && group !== undefined && topic !== undefined)
      this.recordSendBack(group, topic);
    return response;
  }

  /** The item VIEW_BROKER_STATS_DATA reports; undefined for an unknown name or a key never counted. */
  getStatsItem(statsName: string, statsKey: string): StatsItem | undefined {
    return this.statsTable.get(statsName)?.getStatsItem(statsKey);
  }

  /** Every counted key of one stats name (the /metrics endpoint walks them); empty for an unknown name. */
  statsItems(statsName: string): Iterable<StatsItem> {
    return this.statsTable.get(statsName)?.items.values() ?? [];
  }

  /** GROUP_GET_NUMS tps over the last minute (ConsumeStats.consumeTps). */
  tpsGroupGetNums(group: string, topic: string): number {
    return this.set(BrokerStatsNames.GROUP_GET_NUMS).getStatsDataInMinute(buildStatsKey(topic, group)).tps;
  }

  /** Drops a deleted topic's counters (BrokerStatsManager.onTopicDeleted). */
  onTopicDeleted(topic: string): void {
    this.set(BrokerStatsNames.TOPIC_PUT_NUMS).deleteWhere((key) => key === topic);
    this.set(BrokerStatsNames.TOPIC_PUT_SIZE).deleteWhere((key) => key === topic);
    for (const name of [
      BrokerStatsNames.GROUP_GET_NUMS,
      BrokerStatsNames.GROUP_GET_SIZE,
      BrokerStatsNames.SNDBCK_PUT_NUMS,
    ]) {
      this.set(name).deleteWhere((key) => key.startsWith(`${topic}@`));
    }
  }

  /** Drops a deleted group's counters (BrokerStatsManager.onGroupDeleted). */
  onGroupDeleted(group: string): void {
    for (const name of [
      BrokerStatsNames.GROUP_GET_NUMS,
      BrokerStatsNames.GROUP_GET_SIZE,
      BrokerStatsNames.SNDBCK_PUT_NUMS,
    ]) {
      this.set(name).deleteWhere((key) => key.endsWith(`@${group}`));
    }
  }
}
