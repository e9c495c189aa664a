// Broker-facing codes of the name server's DefaultRequestProcessor:
// REGISTER_BROKER (103), UNREGISTER_BROKER (104), QUERY_DATA_VERSION (322).
import { parseFastjson } from '../../codec/fastjson-parse';
import { encodeFastjsonBody } from '../../codec/fastjson-write';
import { decodeQueryDataVersionRequestHeader } from '../../codec/headers/namesrv/query-data-version-request-header';
import { encodeQueryDataVersionResponseHeader } from '../../codec/headers/namesrv/query-data-version-response-header';
import {
  decodeRegisterBrokerRequestHeader,
  type RegisterBrokerRequestHeader,
} from '../../codec/headers/namesrv/register-broker-request-header';
import { encodeRegisterBrokerResponseHeader } from '../../codec/headers/namesrv/register-broker-response-header';
import { decodeUnRegisterBrokerRequestHeader } from '../../codec/headers/namesrv/unregister-broker-request-header';
import { messageBodyCrc } from '../../codec/message/body-crc';
import { createResponseCommand, type RemotingCommand } from '../../codec/remoting-command';
import { ResponseCode } from '../../codec/response-code';
import { dataVersionBean, EMPTY_DATA_VERSION, readDataVersion } from '../../codec/body/data-version';
import { NAMESPACE_ORDER_TOPIC_CONFIG } from '../../namesrv/kv-config-manager';
import {
  decodeRegisterBrokerBody,
  readTopicConfigSerializeWrapper,
  type RegisterBrokerBody,
} from '../../codec/body/register-broker-body';
import type { Connection } from '../../remoting/connection';
import type { NamesrvProcessorContext } from './namesrv-processor-context';

/** MQVersion.Version.V3_0_11: from this version on REGISTER_BROKER carries a RegisterBrokerBody. */
const V3_0_11 = 37;

/** bodyCrc32 0 means "not checked"; otherwise it must be CRC32(body) & 0x7FFFFFFF (0 for no body). */
function checksumMatches(header: RegisterBrokerRequestHeader, body: Buffer | undefined): boolean {
  if (header.bodyCrc32 === 0) return true;
  const crc32 = body === undefined ? 0 : messageBodyCrc(body);
  return crc32 === header.bodyCrc32;
}

function decodeBody(request: RemotingCommand, header: RegisterBrokerRequestHeader): RegisterBrokerBody {
  const body = request.body;
  if (body === undefined) {
    const topicConfigSerializeWrapper = { dataVersion: { ...EMPTY_DATA_VERSION }, topicConfigTable: new Map() };
    return { topicConfigSerializeWrapper, filterServerList: [] };
  }
  try {
    if (request.version >= V3_0_11) return decodeRegisterBrokerBody(body, header.compressed);
    // Brokers before 3.0.11 sent a bare TopicConfigSerializeWrapper and knew no filter servers.
    const topicConfigSerializeWrapper = readTopicConfigSerializeWrapper(parseFastjson(body), Date.now());
    return { topicConfigSerializeWrapper, filterServerList: [] };
  } catch (error) {
    throw new Error(`Failed to decode RegisterBrokerBody: ${(error as Error).message}`);
  }
}

export function registerBroker(
  context: NamesrvProcessorContext,
  connection: Connection,
  request: RemotingCommand,
): RemotingCommand {
  const header = decodeRegisterBrokerRequestHeader(request.extFields);
  if (!checksumMatches(header, request.body)) {
    context.logger.warn(`receive registerBroker request,crc32 not match,from ${connection.remoteAddress}`);
    return createResponseCommand(request, ResponseCode.SYSTEM_ERROR, { extFields: {}, remark: 'crc32 not match' });
  }
  const body = decodeBody(request, header);
  const result = context.routeInfoManager.registerBroker({
    clusterName: header.clusterName,
    brokerAddr: header.brokerAddr,
    brokerName: header.brokerName,
    brokerId: header.brokerId,
    haServerAddr: header.haServerAddr,
    topicConfigWrapper: body.topicConfigSerializeWrapper,
    filterServerList: request.version >= V3_0_11 ? body.filterServerList : undefined,
    channel: connection,
  });
  return createResponseCommand(request, ResponseCode.SUCCESS, {
    extFields: encodeRegisterBrokerResponseHeader(result),
    body: context.kvConfigManager.getKVListByNamespace(NAMESPACE_ORDER_TOPIC_CONFIG),
  });
}

export function unregisterBroker(context: NamesrvProcessorContext, request: RemotingCommand): RemotingCommand {
  const header = decodeUnRegisterBrokerRequestHeader(request.extFields);
  context.routeInfoManager.unregisterBroker(header.clusterName, header.brokerAddr, header.brokerName, header.brokerId);
  return createResponseCommand(request, ResponseCode.SUCCESS);
}

/**
 * Header `changed` says whether the broker's DataVersion (the body) differs from the one held;
 * an unchanged broker counts as alive. The body of the answer is the held version, if any.
 */
export function queryDataVersion(context: NamesrvProcessorContext, request: RemotingCommand): RemotingCommand {
  const header = decodeQueryDataVersionRequestHeader(request.extFields);
  if (request.body === undefined) throw new Error('QUERY_DATA_VERSION carries no DataVersion body');
  const dataVersion = readDataVersion(parseFastjson(request.body), Date.now());
  const routeInfoManager = context.routeInfoManager;
  const changed = routeInfoManager.isBrokerTopicConfigChanged(header.brokerAddr, dataVersion);
  if (!changed) routeInfoManager.updateBrokerInfoUpdateTimestamp(header.brokerAddr);
  const held = routeInfoManager.queryBrokerTopicConfig(header.brokerAddr);
  return createResponseCommand(request, ResponseCode.SUCCESS, {
    extFields: encodeQueryDataVersionResponseHeader({ changed }),
    body: held === undefined ? undefined : encodeFastjsonBody(dataVersionBean(held)),
  });
}
