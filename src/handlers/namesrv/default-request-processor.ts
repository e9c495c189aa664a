// The name server's request processor (org.apache.rocketmq.namesrv.processor.DefaultRequestProcessor).
// It is registered for each code in NAMESRV_REQUEST_CODES only, so every other code is answered
// REQUEST_CODE_NOT_SUPPORTED by the RemotingServer (Java would stay silent and let the caller
// time out). A header missing a required field throws HeaderFieldError, which the server answers
// with SYSTEM_ERROR and a remark naming the field.
import { decodeDeleteTopicInNamesrvRequestHeader } from '../../codec/headers/namesrv/delete-topic-in-namesrv-request-header';
import { decodeGetRouteInfoRequestHeader } from '../../codec/headers/namesrv/get-route-info-request-header';
import { decodeGetTopicsByClusterRequestHeader } from '../../codec/headers/namesrv/get-topics-by-cluster-request-header';
import { decodeWipeWritePermOfBrokerRequestHeader } from '../../codec/headers/namesrv/wipe-write-perm-of-broker-request-header';
import { encodeWipeWritePermOfBrokerResponseHeader } from '../../codec/headers/namesrv/wipe-write-perm-of-broker-response-header';
import { createResponseCommand, type RemotingCommand } from '../../codec/remoting-command';
import { RequestCode } from '../../codec/request-code';
import { ResponseCode } from '../../codec/response-code';
import { NAMESPACE_ORDER_TOPIC_CONFIG } from '../../namesrv/kv-config-manager';
import { encodeClusterInfo, encodeTopicList, encodeTopicRouteData, type TopicList } from '../../namesrv/route-data';
import type { Connection } from '../../remoting/connection';
import type { RequestProcessor } from '../../remoting/request-processor';
import { queryDataVersion, registerBroker, unregisterBroker } from './broker-registration-handlers';
import { deleteKVConfig, getKVConfig, getKVListByNamespace, putKVConfig } from './kv-config-handlers';
import { getConfig, updateConfig } from './namesrv-config-handlers';
import type { NamesrvProcessorContext } from './namesrv-processor-context';

/** Every code the 4.7.1 name server serves (protocol §2.1). */
export const NAMESRV_REQUEST_CODES: readonly number[] = [
  RequestCode.PUT_KV_CONFIG,
  RequestCode.GET_KV_CONFIG,
  RequestCode.DELETE_KV_CONFIG,
  RequestCode.QUERY_DATA_VERSION,
  RequestCode.REGISTER_BROKER,
  RequestCode.UNREGISTER_BROKER,
  RequestCode.GET_ROUTEINFO_BY_TOPIC,
  RequestCode.GET_BROKER_CLUSTER_INFO,
  RequestCode.WIPE_WRITE_PERM_OF_BROKER,
  RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER,
  RequestCode.DELETE_TOPIC_IN_NAMESRV,
  RequestCode.GET_KVLIST_BY_NAMESPACE,
  RequestCode.GET_TOPICS_BY_CLUSTER,
  RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_NS,
  RequestCode.GET_UNIT_TOPIC_LIST,
  RequestCode.GET_HAS_UNIT_SUB_TOPIC_LIST,
  RequestCode.GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST,
  RequestCode.UPDATE_NAMESRV_CONFIG,
  RequestCode.GET_NAMESRV_CONFIG,
];

/** FAQUrl.suggestTodo(FAQUrl.APPLY_TOPIC_URL) */
const APPLY_TOPIC_TIP = '\nSee http://rocketmq.apache.org/docs/faq/ for further details.';

export class DefaultRequestProcessor implements RequestProcessor {
  constructor(private readonly context: NamesrvProcessorContext) {}

  processRequest(connection: Connection, request: RemotingCommand): RemotingCommand | null {
    const context = this.context;
    const routes = context.routeInfoManager;
    switch (request.code) {
      case RequestCode.PUT_KV_CONFIG:
        return putKVConfig(context, request);
      case RequestCode.GET_KV_CONFIG:
        return getKVConfig(context, request);
      case RequestCode.DELETE_KV_CONFIG:
        return deleteKVConfig(context, request);
      case RequestCode.QUERY_DATA_VERSION:
        return queryDataVersion(context, request);
      case RequestCode.REGISTER_BROKER:
        return registerBroker(context, connection, request);
      case RequestCode.UNREGISTER_BROKER:
        return unregisterBroker(context, request);
      case RequestCode.GET_ROUTEINFO_BY_TOPIC:
        return this.getRouteInfoByTopic(request);
      case RequestCode.GET_BROKER_CLUSTER_INFO:
        return this.getBrokerClusterInfo(request);
      case RequestCode.WIPE_WRITE_PERM_OF_BROKER:
        return this.wipeWritePermOfBroker(connection, request);
      case RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER:
        return topicList(request, routes.getAllTopicList());
      case RequestCode.DELETE_TOPIC_IN_NAMESRV:
        return this.deleteTopicInNamesrv(request);
      case RequestCode.GET_KVLIST_BY_NAMESPACE:
        return getKVListByNamespace(context, request);
      case RequestCode.GET_TOPICS_BY_CLUSTER:
        return this.getTopicsByCluster(request);
      case RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_NS:
        return topicList(request, routes.getSystemTopicList());
      case RequestCode.GET_UNIT_TOPIC_LIST:
        return topicList(request, routes.getUnitTopics());
      case RequestCode.GET_HAS_UNIT_SUB_TOPIC_LIST:
        return topicList(request, routes.getHasUnitSubTopicList());
      case RequestCode.GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST:
        return topicList(request, routes.getHasUnitSubUnUnitTopicList());
      case RequestCode.UPDATE_NAMESRV_CONFIG:
        return updateConfig(context, connection, request);
      case RequestCode.GET_NAMESRV_CONFIG:
        return getConfig(context, request);
      default:
        return null;
    }
  }

  /** TopicRouteData, with orderTopicConf when orderMessageEnable and the KV holds one; else TOPIC_NOT_EXIST. */
  private getRouteInfoByTopic(request: RemotingCommand): RemotingCommand {
    const { topic } = decodeGetRouteInfoRequestHeader(request.extFields);
    const topicRouteData = this.context.routeInfoManager.pickupTopicRouteData(topic);
    if (topicRouteData === undefined) {
      return createResponseCommand(request, ResponseCode.TOPIC_NOT_EXIST, {
        remark: `No topic route info in name server for the topic: ${topic}${APPLY_TOPIC_TIP}`,
      });
    }
    if (this.context.namesrvConfig.orderMessageEnable) {
      topicRouteData.orderTopicConf = this.context.kvConfigManager.getKVConfig(NAMESPACE_ORDER_TOPIC_CONFIG, topic);
    }
    return createResponseCommand(request, ResponseCode.SUCCESS, { body: encodeTopicRouteData(topicRouteData) });
  }

  private getBrokerClusterInfo(request: RemotingCommand): RemotingCommand {
    const body = encodeClusterInfo(this.context.routeInfoManager.getAllClusterInfo());
    return createResponseCommand(request, ResponseCode.SUCCESS, { body });
  }

  private wipeWritePermOfBroker(connection: Connection, request: RemotingCommand): RemotingCommand {
    const { brokerName } = decodeWipeWritePermOfBrokerRequestHeader(request.extFields);
    const wipeTopicCount = this.context.routeInfoManager.wipeWritePermOfBroker(brokerName);
    this.context.logger.info(
      `wipe write perm of broker[${brokerName}], client: ${connection.remoteAddress}, ${wipeTopicCount}`,
    );
    return createResponseCommand(request, ResponseCode.SUCCESS, {
      extFields: encodeWipeWritePermOfBrokerResponseHeader({ wipeTopicCount }),
    });
  }

  private deleteTopicInNamesrv(request: RemotingCommand): RemotingCommand {
    const { topic } = decodeDeleteTopicInNamesrvRequestHeader(request.extFields);
    this.context.routeInfoManager.deleteTopic(topic);
    return createResponseCommand(request, ResponseCode.SUCCESS);
  }

  private getTopicsByCluster(request: RemotingCommand): RemotingCommand {
    const { cluster } = decodeGetTopicsByClusterRequestHeader(request.extFields);
    return topicList(request, this.context.routeInfoManager.getTopicsByCluster(cluster));
  }
}

/** A TopicList body: a bare list of topics, or the system list with its broker address. */
function topicList(request: RemotingCommand, topics: string[] | TopicList): RemotingCommand {
  const body = encodeTopicList(Array.isArray(topics) ? { topicList: topics } : topics);
  return createResponseCommand(request, ResponseCode.SUCCESS, { body });
}
