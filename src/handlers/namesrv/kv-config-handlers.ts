// KV config codes of the name server's DefaultRequestProcessor:
// PUT_KV_CONFIG (100), GET_KV_CONFIG (101), DELETE_KV_CONFIG (102), GET_KVLIST_BY_NAMESPACE (219).
import { decodeDeleteKVConfigRequestHeader } from '../../codec/headers/namesrv/delete-kv-config-request-header';
import { decodeGetKVConfigRequestHeader } from '../../codec/headers/namesrv/get-kv-config-request-header';
import { encodeGetKVConfigResponseHeader } from '../../codec/headers/namesrv/get-kv-config-response-header';
import { decodeGetKVListByNamespaceRequestHeader } from '../../codec/headers/namesrv/get-kv-list-by-namespace-request-header';
import { decodePutKVConfigRequestHeader } from '../../codec/headers/namesrv/put-kv-config-request-header';
import { createResponseCommand, type RemotingCommand } from '../../codec/remoting-command';
import { ResponseCode } from '../../codec/response-code';
import { unpairedSurrogateProblem } from '../../common/unsafe-text';
import type { NamesrvProcessorContext } from './namesrv-processor-context';

/**
 * kvConfig.json is JSON, so it loads back any namespace, key and value, control characters
 * included (Java checks nothing either), except text that is not well-formed UTF-16: it would be
 * written as U+FFFD and load back as another key. No official client can send that; it is refused.
 */
export function putKVConfig(context: NamesrvProcessorContext, request: RemotingCommand): RemotingCommand {
  const header = decodePutKVConfigRequestHeader(request.extFields);
  for (const field of ['namespace', 'key', 'value'] as const) {
    const problem = unpairedSurrogateProblem(header[field]);
    if (problem !== undefined) {
      const remark = `The specified ${field} ${problem}; kvConfig.json is written as UTF-8, which cannot hold it`;
      return createResponseCommand(request, ResponseCode.SYSTEM_ERROR, { remark });
    }
  }
  context.kvConfigManager.putKVConfig(header.namespace, header.key, header.value);
  return createResponseCommand(request, ResponseCode.SUCCESS);
}

/** The value in header `value`, or QUERY_NOT_FOUND naming the namespace and key. */
export function getKVConfig(context: NamesrvProcessorContext, request: RemotingCommand): RemotingCommand {
  const header = decodeGetKVConfigRequestHeader(request.extFields);
  const value = context.kvConfigManager.getKVConfig(header.namespace, header.key);
  if (value !== undefined) {
    return createResponseCommand(request, ResponseCode.SUCCESS, {
      extFields: encodeGetKVConfigResponseHeader({ value }),
    });
  }
  // Java built this response with GetKVConfigResponseHeader, so it carries an empty extFields map.
  return createResponseCommand(request, ResponseCode.QUERY_NOT_FOUND, {
    extFields: {},
    remark: `No config item, Namespace: ${header.namespace} Key: ${header.key}`,
  });
}

export function deleteKVConfig(context: NamesrvProcessorContext, request: RemotingCommand): RemotingCommand {
  const header = decodeDeleteKVConfigRequestHeader(request.extFields);
  context.kvConfigManager.deleteKVConfig(header.namespace, header.key);
  return createResponseCommand(request, ResponseCode.SUCCESS);
}

/** KVTable body of the namespace, or QUERY_NOT_FOUND when the namespace is unknown. */
export function getKVListByNamespace(context: NamesrvProcessorContext, request: RemotingCommand): RemotingCommand {
  const header = decodeGetKVListByNamespaceRequestHeader(request.extFields);
  const body = context.kvConfigManager.getKVListByNamespace(header.namespace);
  if (body !== undefined) return createResponseCommand(request, ResponseCode.SUCCESS, { body });
  return createResponseCommand(request, ResponseCode.QUERY_NOT_FOUND, {
    remark: `No config item, Namespace: ${header.namespace}`,
  });
}
