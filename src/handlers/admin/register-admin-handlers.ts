// The broker admin codes of issue #7 (runtime info, stats, topics, consume progress, connections,
// consume queues), claimed on AdminBrokerProcessor in one call.
import type { BrokerContext } from '../../broker/broker-context';
import { registerAclConfigHandlers } from './acl-config-handlers';
import type { AdminRegistry } from './admin-support';
import { registerBrokerRuntimeInfo } from './broker-runtime-info';
import { registerBrokerStatsData } from './broker-stats-data';
import { registerConnectionHandlers } from './connection-handlers';
import { registerConsumeQueueHandlers } from './consume-queue-handlers';
import { registerConsumeStatsHandlers } from './consume-stats-handlers';
import { registerTopicAdminHandlers } from './topic-admin-handlers';

export function registerAdminHandlers(registry: AdminRegistry, broker: BrokerContext): void {
  registerBrokerRuntimeInfo(registry, broker);
  registerBrokerStatsData(registry, broker);
  registerTopicAdminHandlers(registry, broker);
  registerConsumeStatsHandlers(registry, broker);
  registerConnectionHandlers(registry, broker);
  registerConsumeQueueHandlers(registry, broker);
  registerAclConfigHandlers(registry, broker);
}
