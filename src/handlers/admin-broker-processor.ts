// AdminBrokerProcessor: the broker's default processor (every code not claimed by another one).
// This file handles topics, groups, offsets and store queries; codes it does not know are
// answered REQUEST_CODE_NOT_SUPPORTED (the Java broker stays silent and lets the client time out).
import { decodeCreateTopicRequestHeader } from '../codec/headers/create-topic-request-header';
import { decodeQueueHeader, decodeSearchOffsetHeader } from '../codec/headers/consumer-offset-headers';
import { HeaderReader } from '../codec/headers/header-reader';
import { parseFastjson } from '../codec/fastjson-parse';
import { createResponseCommand, NOT_SET_RESPONSE_REMARK, type RemotingCommand } from '../codec/remoting-command';
import { RequestCode } from '../codec/request-code';
import { ResponseCode } from '../codec/response-code';
import type { BrokerContext } from '../broker/broker-context';
import { subscriptionGroupConfigFromJson } from '../broker/subscription-group-manager';
import { groupNameProblem } from '../broker/name-validator';
import { topicNameProblem } from '../broker/topic-validator';
import type { Connection } from '../remoting/connection';
import type { RequestProcessor } from '../remoting/request-processor';
import { BrokerConfigRequests } from './broker-config-requests';
import { registerConsumerClientCalls } from './admin/consumer-client-calls';
import { registerConsumerLockHandlers } from './admin/consumer-lock-handlers';
import { registerConsumerOffsetReset } from './admin/consumer-offset-reset';
import { registerAdminHandlers } from './admin/register-admin-handlers';

type Handler = (request: RemotingCommand, connection: Connection) => RemotingCommand | Promise<RemotingCommand>;

export class AdminBrokerProcessor implements RequestProcessor {
  private readonly handlers = new Map<number, Handler>();
  private readonly configRequests: BrokerConfigRequests;

  constructor(private readonly broker: BrokerContext) {
    this.configRequests = new BrokerConfigRequests(broker);
    const on = (code: number, handler: Handler) => this.handlers.set(code, handler);
    on(RequestCode.UPDATE_AND_CREATE_TOPIC, (r) => this.updateAndCreateTopic(r));
    on(RequestCode.GET_ALL_TOPIC_CONFIG, (r) => this.ok(r, Buffer.from(broker.topicConfigManager.encode(), 'utf8')));
    on(RequestCode.GET_MAX_OFFSET, (r) =>
      this.queueQuery(r, 'GetMaxOffsetRequestHeader', (t, q) => ({
        offset: broker.messageStore.getMaxOffsetInQueue(t, q),
      })),
    );
    on(RequestCode.GET_MIN_OFFSET, (r) =>
      this.queueQuery(r, 'GetMinOffsetRequestHeader', (t, q) => ({
        offset: broker.messageStore.getMinOffsetInQueue(t, q),
      })),
    );
    on(RequestCode.GET_EARLIEST_MSG_STORETIME, (r) =>
      this.queueQuery(r, 'GetEarliestMsgStoretimeRequestHeader', (t, q) => ({
        timestamp: broker.messageStore.getEarliestMessageTime(t, q),
      })),
    );
    on(RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, (r) => this.searchOffsetByTimestamp(r));
    on(RequestCode.GET_ALL_CONSUMER_OFFSET, (r) =>
      this.ok(r, Buffer.from(broker.consumerOffsetManager.encode(), 'utf8')),
    );
    on(RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG, (r) =>
      this.ok(r, Buffer.from(broker.subscriptionGroupManager.encode(), 'utf8')),
    );
    on(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, (r) => this.updateSubscriptionGroup(r));
    on(RequestCode.DELETE_SUBSCRIPTIONGROUP, (r) => this.deleteSubscriptionGroup(r));
    on(RequestCode.GET_BROKER_CONFIG, (r) => this.configRequests.getBrokerConfig(r));
    on(RequestCode.UPDATE_BROKER_CONFIG, (r) => this.configRequests.updateBrokerConfig(r));
    registerConsumerLockHandlers(this, broker);
    registerConsumerOffsetReset(this, broker);
    registerConsumerClientCalls(this, broker);
    registerAdminHandlers(this, broker);
  }

  /** Lets other files (runtime info, stats, …) add admin codes. */
  register(code: number, handler: Handler): void {
    this.handlers.set(code, handler);
  }

  processRequest(connection: Connection, request: RemotingCommand): RemotingCommand | Promise<RemotingCommand> {
    const handler = this.handlers.get(request.code);
    if (handler === undefined) {
      return createResponseCommand(request, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, {
        remark: ` request type ${request.code} not supported`,
      });
    }
    return handler(request, connection);
  }

  private ok(request: RemotingCommand, body?: Buffer, extFields?: Record<string, string>): RemotingCommand {
    return createResponseCommand(request, ResponseCode.SUCCESS, { body, extFields });
  }

  private error(request: RemotingCommand, remark: string, code: number = ResponseCode.SYSTEM_ERROR): RemotingCommand {
    return createResponseCommand(request, code, { remark });
  }

  private async updateAndCreateTopic(request: RemotingCommand): Promise<RemotingCommand> {
    const header = decodeCreateTopicRequestHeader(request.extFields);
    const problem = topicNameProblem(header.topic);
    if (problem !== undefined) return this.error(request, problem);
    if (
      this.broker.topicConfigManager.isSystemTopic(header.topic) ||
      header.topic === this.broker.brokerConfig.brokerClusterName
    ) {
      return this.error(request, `The topic[${header.topic}] is conflict with system topic.`);
    }
    const limit = this.broker.topicConfigManager.creationLimitProblem(header.topic);
    if (limit !== undefined) return this.error(request, limit);
    this.broker.topicConfigManager.updateTopicConfig({
      topicName: header.topic,
      readQueueNums: header.readQueueNums,
      writeQueueNums: header.writeQueueNums,
      perm: header.perm,
      topicFilterType: header.topicFilterType,
      topicSysFlag: header.topicSysFlag,
      order: header.order,
    });
    // As Java's registerIncrementBrokerData, answered once the NameServers have the new route (each
    // registration bounded by registerBrokerTimeoutMills): a client told "created" finds the route.
    try {
      await this.broker.registerBrokerAll();
    } catch {
      // a failed registration is logged by the controller and retried every 30 s; the topic is created
    }
    // Java 4.7.1 only sets SUCCESS on its createResponseCommand(null) response: the remark stays.
    return createResponseCommand(request, ResponseCode.SUCCESS, { remark: NOT_SET_RESPONSE_REMARK });
  }

  private queueQuery(
    request: RemotingCommand,
    headerName: string,
    query: (topic: string, queueId: number) => Record<string, number>,
  ): RemotingCommand {
    const { topic, queueId } = decodeQueueHeader(request.extFields, headerName);
    const fields = query(topic, queueId);
    return this.ok(
      request,
      undefined,
      Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, String(value)])),
    );
  }

  private searchOffsetByTimestamp(request: RemotingCommand): RemotingCommand {
    const header = decodeSearchOffsetHeader(request.extFields);
    const offset = this.broker.messageStore.getOffsetInQueueByTime(header.topic, header.queueId, header.timestamp);
    return this.ok(request, undefined, { offset: String(offset) });
  }

  private updateSubscriptionGroup(request: RemotingCommand): RemotingCommand {
    let config: ReturnType<typeof subscriptionGroupConfigFromJson>;
    try {
      config = subscriptionGroupConfigFromJson(parseFastjson(request.body ?? ''));
    } catch (error) {
      return this.error(request, `bad SubscriptionGroupConfig body: ${(error as Error).message}`);
    }
    const problem = groupNameProblem('groupName', config.groupName);
    if (problem !== undefined) return this.error(request, problem);
    const limit = this.broker.subscriptionGroupManager.creationLimitProblem(config.groupName);
    if (limit !== undefined) return this.error(request, limit);
    this.broker.subscriptionGroupManager.updateSubscriptionGroupConfig(config);
    return this.ok(request);
  }

  private deleteSubscriptionGroup(request: RemotingCommand): RemotingCommand {
    const groupName = new HeaderReader(request.extFields, 'DeleteSubscriptionGroupRequestHeader').string('groupName');
    this.broker.subscriptionGroupManager.deleteSubscriptionGroupConfig(groupName);
    return this.ok(request);
  }
}
