// ClientManageProcessor: HEART_BEAT (34), UNREGISTER_CLIENT (35), CHECK_CLIENT_CONFIG (46).
//
// A heartbeat registers the client's producer groups and consumer groups with their
// subscriptions, auto-creates each consumer group's config and its %RETRY% topic (a new one is
// registered with the NameServers before the group hears of its new member), and answers with
// our version (the client stores the answering version as the broker version; < 232 would make it
// refuse SQL92 pulls).
import { decodeUnregisterClientHeader } from '../codec/headers/consumer-offset-headers';
import { createResponseCommand, type RemotingCommand } from '../codec/remoting-command';
import { RequestCode } from '../codec/request-code';
import { ResponseCode } from '../codec/response-code';
import type { BrokerContext } from '../broker/broker-context';
import type { ClientChannelInfo } from '../broker/consumer-manager';
import { checkClientConfig } from '../broker/filter/check-client-config';
import { decodeHeartbeatData, type HeartbeatData } from '../broker/heartbeat-data';
import { groupNameProblem } from '../broker/name-validator';
import { PermName } from '../broker/perm-name';
import { getLogger } from '../common/logger';
import { settledWithin } from '../broker/registration-passes';
import { retryTopic } from '../broker/topic-validator';
import type { Connection } from '../remoting/connection';
import type { RequestProcessor } from '../remoting/request-processor';

/**
 * How long a heartbeat that created a %RETRY% topic waits for the NameServer registration: clients time
 * heartbeats out after 3 s (mqClientApiTimeout), and 5.x clients then close the connection, losing the
 * registration the heartbeat was for until their next heartbeat, 30 s later.
 */
const HEARTBEAT_REGISTRATION_WAIT_MS = 1000;

export class ClientManageProcessor implements RequestProcessor {
  constructor(private readonly broker: BrokerContext) {}

  processRequest(connection: Connection, request: RemotingCommand): Promise<RemotingCommand> | RemotingCommand {
    switch (request.code) {
      case RequestCode.HEART_BEAT:
        return this.heartBeat(connection, request);
      case RequestCode.UNREGISTER_CLIENT:
        return this.unregisterClient(connection, request);
      case RequestCode.CHECK_CLIENT_CONFIG:
        return checkClientConfig(this.broker.brokerConfig, request);
      default:
        return createResponseCommand(request, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, {
          remark: ` request type ${request.code} not supported`,
        });
    }
  }

  private async heartBeat(connection: Connection, request: RemotingCommand): Promise<RemotingCommand> {
    const limits = this.broker.brokerConfig;
    const bodyBytes = request.body?.length ?? 0;
    if (bodyBytes > limits.maxHeartbeatBodyBytes) {
      return createResponseCommand(request, ResponseCode.SYSTEM_ERROR, {
        remark: `heartbeat body of ${bodyBytes} bytes exceeds maxHeartbeatBodyBytes=${limits.maxHeartbeatBodyBytes}`,
      });
    }
    let heartbeat: HeartbeatData;
    try {
      heartbeat = decodeHeartbeatData(request.body);
    } catch (error) {
      return createResponseCommand(request, ResponseCode.SYSTEM_ERROR, { remark: (error as Error).message });
    }
    // Each consumer group is auto-created and persisted below: refuse the heartbeat before any of it.
    for (const consumer of heartbeat.consumerDataSet) {
      const problem = groupNameProblem('consumer groupName', consumer.groupName);
      if (problem !== undefined) return createResponseCommand(request, ResponseCode.SYSTEM_ERROR, { remark: problem });
      const subscriptions = consumer.subscriptionDataSet.length;
      if (subscriptions > limits.maxSubscriptionsPerGroup) {
        return createResponseCommand(request, ResponseCode.SYSTEM_ERROR, {
          remark:
            `consumer group ${consumer.groupName} has ${subscriptions} subscriptions, ` +
            `maxSubscriptionsPerGroup=${limits.maxSubscriptionsPerGroup}`,
        });
      }
      const groupLimit = limits.autoCreateSubscriptionGroup
        ? this.broker.subscriptionGroupManager.creationLimitProblem(consumer.groupName)
        : undefined;
      if (groupLimit !== undefined)
        return createResponseCommand(request, ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, { remark: groupLimit });
    }
    const info: ClientChannelInfo = {
      connection,
      clientId: heartbeat.clientID,
      language: request.language,
      version: request.version,
      lastUpdateTimestampMs: Date.now(),
    };
    connection.attributes.set('clientId', heartbeat.clientID);
    for (const consumer of heartbeat.consumerDataSet) {
      const groupConfig = this.broker.subscriptionGroupManager.findSubscriptionGroupConfig(consumer.groupName);
      let notify = true;
      if (groupConfig !== undefined) {
        notify = groupConfig.notifyConsumerIdsChangedEnable;
        // Java createTopicInSendMessageBackMethod: a new %RETRY% topic is registered with the NameServers at once,
        // and the heartbeat waits for that, so the rebalance its notification starts finds the topic's route;
        // but never past HEARTBEAT_REGISTRATION_WAIT_MS (a 5.x client closes its connection after 3 s)
        const created = this.broker.topicConfigManager.selectTopicConfig(retryTopic(consumer.groupName)) === undefined;
        this.broker.topicConfigManager.createTopicIfAbsent(
          retryTopic(consumer.groupName),
          groupConfig.retryQueueNums,
          PermName.PERM_READ | PermName.PERM_WRITE,
        );
        if (created && !(await settledWithin(this.broker.registerBrokerAll(), HEARTBEAT_REGISTRATION_WAIT_MS)))
          getLogger('broker').warn(
            `heartbeat of ${consumer.groupName} answered before the NameServers ` +
              `had ${retryTopic(consumer.groupName)} (${HEARTBEAT_REGISTRATION_WAIT_MS} ms)`,
          );
      }
      this.broker.consumerManager.registerConsumer(
        consumer,
        info,
        notify && this.broker.brokerConfig.notifyConsumerIdsChangedEnable,
      );
    }
    for (const producer of heartbeat.producerDataSet)
      this.broker.producerManager.registerProducer(producer.groupName, info);
    return createResponseCommand(request, ResponseCode.SUCCESS);
  }

  private unregisterClient(connection: Connection, request: RemotingCommand): RemotingCommand {
    const header = decodeUnregisterClientHeader(request.extFields);
    if (header.producerGroup !== undefined)
      this.broker.producerManager.unregisterProducer(header.producerGroup, connection);
    if (header.consumerGroup !== undefined) {
      const groupConfig = this.broker.subscriptionGroupManager.subscriptionGroupTable.get(header.consumerGroup);
      const notify =
        (groupConfig?.notifyConsumerIdsChangedEnable ?? true) &&
        this.broker.brokerConfig.notifyConsumerIdsChangedEnable;
      this.broker.consumerManager.unregisterConsumer(header.consumerGroup, connection, notify);
    }
    return createResponseCommand(request, ResponseCode.SUCCESS, { extFields: {} });
  }
}
