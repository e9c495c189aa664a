// Registering with every NameServer (Java BrokerController.registerBrokerAll / doRegisterBrokerAll):
// at start, every registerNameServerPeriod, and whenever the topic table changes. Passes are
// coalesced (registration-passes.ts): a caller waits for a pass that started after its call.
import type { Logger } from '../common/logger';
import type { BrokerController } from './broker-controller';
import type { BrokerOuterAPI } from './broker-outer-api';
import { isReadable, isWriteable } from './perm-name';
import { RegistrationPasses } from './registration-passes';
import { newTopicConfig, type TopicConfig } from './topic-config';

/** A registration pass this long is logged: a heartbeat that creates a %RETRY% topic waits for one. */
const SLOW_REGISTRATION_MS = 1000;

export class BrokerRegistration {
  /** A slave without haMasterAddress follows the haServerAddr registration answers (Java's flag). */
  updateMasterHAServerAddrPeriodically = false;
  private readonly passes = new RegistrationPasses(() => this.registerOnce());

  constructor(
    private readonly broker: BrokerController,
    private readonly outerApi: BrokerOuterAPI,
    private readonly logger: Logger,
  ) {}

  /** Resolves once a pass that started after this call (so with the current topics) is done. */
  request(): Promise<void> {
    return this.passes.request();
  }

  /** Resolves when no pass is running (shutdown). */
  settled(): Promise<void> {
    return this.passes.settled();
  }

  private async registerOnce(): Promise<void> {
    const { brokerConfig, topicConfigManager } = this.broker;
    const startedMs = Date.now();
    const wrapper = {
      dataVersion: topicConfigManager.dataVersion,
      topicConfigTable: topicConfigsToRegister(brokerConfig.brokerPermission, topicConfigManager.topicConfigTable),
    };
    const identity = { ...this.broker.identity, brokerAddr: `${brokerConfig.brokerIP1}:${this.broker.listenPort}` };
    try {
      const { failures, results } = await this.outerApi.registerBrokerAll(
        brokerConfig.namesrvAddr,
        identity,
        wrapper,
        brokerConfig.registerBrokerTimeoutMills,
      );
      for (const failure of failures) this.logger.warn(`register broker to name server failed: ${failure}`);
      if (results.length > 0) this.onRegistered(results[0]);
    } catch (error) {
      this.logger.warn(`register broker to name server failed: ${(error as Error).message}`);
    }
    const tookMs = Date.now() - startedMs;
    if (tookMs >= SLOW_REGISTRATION_MS)
      this.logger.warn(`registerBrokerAll took ${tookMs} ms (${wrapper.topicConfigTable.size} topics)`);
  }

  /** Java doRegisterBrokerAll: a slave learns its master's HA and broker addresses from the first answer. */
  private onRegistered(result: { haServerAddr?: string; masterAddr?: string }): void {
    if (this.updateMasterHAServerAddrPeriodically && result.haServerAddr !== undefined)
      this.broker.messageStore.ha.updateMasterAddress(result.haServerAddr);
    this.broker.slaveSynchronize.masterAddr = result.masterAddr ?? null;
  }
}

/** The topic table as registered: with every perm set to brokerPermission while that is not RW (Java registerBrokerAll). */
export function topicConfigsToRegister(
  brokerPermission: number,
  topicConfigTable: ReadonlyMap<string, TopicConfig>,
): Map<string, TopicConfig> {
  const table = new Map(topicConfigTable);
  if (isWriteable(brokerPermission) && isReadable(brokerPermission)) return table;
  for (const [name, config] of table)
    table.set(name, {
      ...newTopicConfig(name, config.readQueueNums, brokerPermission),
      writeQueueNums: config.writeQueueNums,
    });
  return table;
}
