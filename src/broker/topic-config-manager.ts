// TopicConfigManager: the broker's topics, persisted as config/topics.json
// ({"dataVersion":{…},"topicConfigTable":{"T":{TopicConfig}}}), with the system topics Java 4.7.1
// creates at start and the auto-creation rules of the send path (through TBW102 and friends).
import type { FastjsonValue } from '../codec/fastjson-parse';
import type { BrokerConfig } from './broker-config';
import { ConfigManager, DataVersion, wrapperTable } from './config-manager';
import { isInherited, PermName } from './perm-name';
import { newTopicConfig, type TopicConfig, topicConfigFromJson } from './topic-config';
import { REPLY_TOPIC_POSTFIX, TopicValidator } from './topic-validator';

export class TopicConfigManager extends ConfigManager {
  readonly topicConfigTable = new Map<string, TopicConfig>();
  readonly dataVersion = new DataVersion();
  /** Names created by the broker itself; refused by UPDATE_AND_CREATE_TOPIC. */
  readonly systemTopics = new Set<string>();
  /**
   * Called after createTopicIfAbsent created a topic: Java's createTopicInSendMessageBackMethod and
   * createTopicOfTranCheckMaxTime register with the NameServers at once, so clients find the new
   * %RETRY% / %DLQ% / transaction topic without waiting for the periodic registration.
   */
  onCreatedIfAbsent: ((config: TopicConfig) => void) | undefined;

  constructor(
    configFilePath: string,
    private readonly brokerConfig: BrokerConfig,
  ) {
    super(configFilePath);
    this.createSystemTopics();
  }

  private addSystemTopic(config: TopicConfig): void {
    this.topicConfigTable.set(config.topicName, config);
    this.systemTopics.add(config.topicName);
  }

  private createSystemTopics(): void {
    const broker = this.brokerConfig;
    const readWrite = PermName.PERM_READ | PermName.PERM_WRITE;
    this.addSystemTopic(newTopicConfig(TopicValidator.SELF_TEST_TOPIC, 1));
    if (broker.autoCreateTopicEnable) {
      this.addSystemTopic(
        newTopicConfig(
          TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC,
          broker.defaultTopicQueueNums,
          readWrite | PermName.PERM_INHERIT,
        ),
      );
    }
    this.addSystemTopic(newTopicConfig(TopicValidator.BENCHMARK_TOPIC, 1024));
    this.addSystemTopic(
      newTopicConfig(
        broker.brokerClusterName,
        16,
        broker.clusterTopicEnable ? readWrite | PermName.PERM_INHERIT : readWrite,
      ),
    );
    this.addSystemTopic(
      newTopicConfig(broker.brokerName, 1, broker.brokerTopicEnable ? readWrite | PermName.PERM_INHERIT : readWrite),
    );
    this.addSystemTopic(newTopicConfig(TopicValidator.OFFSET_MOVED_EVENT, 1));
    this.addSystemTopic(newTopicConfig(TopicValidator.SCHEDULE_TOPIC, 18));
    if (broker.traceTopicEnable) this.addSystemTopic(newTopicConfig(broker.msgTraceTopicName, 1));
    this.addSystemTopic(newTopicConfig(`${broker.brokerClusterName}_${REPLY_TOPIC_POSTFIX}`, 1));
  }

  /** The topics a client may not create (TopicValidator system topics plus ours). */
  isSystemTopic(topic: string): boolean {
    const fixed: string[] = [
      TopicValidator.RMQ_SYS_TRANS_HALF_TOPIC,
      TopicValidator.RMQ_SYS_TRANS_OP_HALF_TOPIC,
      TopicValidator.RMQ_SYS_TRACE_TOPIC,
      TopicValidator.TRANS_CHECK_MAX_TIME_TOPIC,
      TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC,
    ];
    return (
      this.systemTopics.has(topic) || fixed.includes(topic) || topic.startsWith(TopicValidator.SYSTEM_TOPIC_PREFIX)
    );
  }

  selectTopicConfig(topic: string): TopicConfig | undefined {
    return this.topicConfigTable.get(topic);
  }

  isOrderTopic(topic: string): boolean {
    return this.topicConfigTable.get(topic)?.order === true;
  }

  /**
   * Creates `topic` on its first send, from `defaultTopic` when that topic exists and may be
   * inherited: queues = min(clientDefaultTopicQueueNums, writeQueueNums of the default topic),
   * perm = the default topic's perm without INHERIT. Returns undefined when that is not allowed.
   */
  createTopicInSendMessageMethod(
    topic: string,
    defaultTopic: string,
    clientDefaultTopicQueueNums: number,
    topicSysFlag: number,
  ): TopicConfig | undefined {
    const existing = this.topicConfigTable.get(topic);
    if (existing !== undefined) return existing;
    if (this.creationLimitProblem(topic) !== undefined) return undefined;
    const template = this.topicConfigTable.get(defaultTopic);
    if (template === undefined || !isInherited(template.perm)) return undefined;
    if (defaultTopic === TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC && !this.brokerConfig.autoCreateTopicEnable)
      return undefined;
    const queueNums = Math.max(1, Math.min(clientDefaultTopicQueueNums, template.writeQueueNums));
    const created: TopicConfig = {
      ...newTopicConfig(topic, queueNums, template.perm & ~PermName.PERM_INHERIT),
      topicSysFlag,
    };
    this.putTopicConfig(created);
    return created;
  }

  /**
   * Why `topic` cannot be created by a send or an admin now (maxTopicCount reached, every kind of
   * topic counted), or undefined. Retry, DLQ and system topics are not refused: they are bounded
   * by the groups (maxSubscriptionGroupCount) and the broker itself.
   */
  creationLimitProblem(topic: string): string | undefined {
    const maxCount = this.brokerConfig.maxTopicCount;
    if (this.topicConfigTable.has(topic) || this.topicConfigTable.size < maxCount) return undefined;
    return `topic[${topic}] not created: ${this.topicConfigTable.size} topics, maxTopicCount=${maxCount}`;
  }

  /** Retry, DLQ and transaction topics the broker creates for itself. */
  createTopicIfAbsent(topic: string, queueNums: number, perm: number, topicSysFlag = 0): TopicConfig {
    const existing = this.topicConfigTable.get(topic);
    if (existing !== undefined) return existing;
    const created: TopicConfig = { ...newTopicConfig(topic, queueNums, perm), topicSysFlag };
    this.putTopicConfig(created);
    this.onCreatedIfAbsent?.(created);
    return created;
  }

  updateTopicConfig(config: TopicConfig): void {
    this.putTopicConfig(config);
  }

  deleteTopicConfig(topic: string): boolean {
    if (!this.topicConfigTable.delete(topic)) return false;
    this.dataVersion.nextVersion();
    this.persist();
    return true;
  }

  private putTopicConfig(config: TopicConfig): void {
    this.topicConfigTable.set(config.topicName, config);
    this.dataVersion.nextVersion();
    this.persist();
  }

  /** TopicConfigSerializeWrapper, as REGISTER_BROKER and GET_ALL_TOPIC_CONFIG carry it. */
  protected encodeContent(): unknown {
    return { dataVersion: this.dataVersion, topicConfigTable: new Map(this.topicConfigTable) };
  }

  protected decodeContent(parsed: FastjsonValue): void {
    const { wrapper, table } = wrapperTable(parsed, 'topicConfigTable', 'TopicConfigSerializeWrapper');
    this.dataVersion.assign(wrapper.dataVersion);
    this.loadEntries(table, 'topic', (name, value) =>
      this.topicConfigTable.set(name, { ...topicConfigFromJson(name, value), topicName: name }),
    );
  }
}
