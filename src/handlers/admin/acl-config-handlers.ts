// The ACL admin codes (AdminBrokerProcessor, 4.7.1): UPDATE_AND_CREATE_ACL_CONFIG (50),
// DELETE_ACL_CONFIG (51), GET_BROKER_CLUSTER_ACL_INFO (52), UPDATE_GLOBAL_WHITE_ADDRS_CONFIG (53),
// GET_BROKER_CLUSTER_ACL_CONFIG (54) — mqadmin updateAclConfig, deleteAccessConfig,
// clusterAclConfigVersion, updateGlobalWhiteAddr, getAccessConfigSubCommand. A write that fails
// answers the code's *_FAILED with the exception's message, as Java. Difference: with ACL off Java
// throws a NullPointerException and never answers; ours answers SYSTEM_ERROR at once.
import { HeaderReader } from '../../codec/headers/header-reader';
import { createResponseCommand, type RemotingCommand } from '../../codec/remoting-command';
import { RequestCode } from '../../codec/request-code';
import { ResponseCode } from '../../codec/response-code';
import { brokerAddress } from '../../broker/broker-config';
import type { BrokerContext } from '../../broker/broker-context';
import type { PlainAccessValidator } from '../../broker/acl/plain-access-validator';
import type { AdminRegistry } from './admin-support';
import { failure, success } from './admin-support';

const ACL_OFF = 'The broker does not enable acl';

/** UtilAll.string2List: null for an empty string, else String.split (trailing empties dropped). */
function string2List(text: string | undefined): string[] | undefined {
  if (text === undefined || text === '') return undefined;
  const parts = text.split(',');
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

function write(
  request: RemotingCommand,
  failedCode: number,
  failedRemark: string,
  change: () => boolean,
): RemotingCommand {
  try {
    return change() ? createResponseCommand(request, ResponseCode.SUCCESS) : failure(request, failedCode, failedRemark);
  } catch (error) {
    return failure(request, failedCode, (error as Error).message);
  }
}

export function registerAclConfigHandlers(registry: AdminRegistry, broker: BrokerContext): void {
  const withAcl =
    (handler: (request: RemotingCommand, validator: PlainAccessValidator) => RemotingCommand) =>
    (request: RemotingCommand) => {
      const validator = broker.accessValidator;
      return validator === undefined
        ? failure(request, ResponseCode.SYSTEM_ERROR, ACL_OFF)
        : handler(request, validator);
    };
  registry.register(
    RequestCode.UPDATE_AND_CREATE_ACL_CONFIG,
    withAcl((request, validator) => {
      const header = new HeaderReader(request.extFields, 'CreateAccessConfigRequestHeader');
      const accessKey = header.string('accessKey');
      return write(
        request,
        ResponseCode.UPDATE_AND_CREATE_ACL_CONFIG_FAILED,
        `The accesskey[${accessKey}] corresponding to accessConfig has been updated failed.`,
        () =>
          validator.updateAccessConfig({
            accessKey,
            secretKey: header.optionalString('secretKey'),
            whiteRemoteAddress: header.optionalString('whiteRemoteAddress'),
            admin: header.optionalString('admin') === 'true',
            defaultTopicPerm: header.optionalString('defaultTopicPerm'),
            defaultGroupPerm: header.optionalString('defaultGroupPerm'),
            topicPerms: string2List(header.optionalString('topicPerms')),
            groupPerms: string2List(header.optionalString('groupPerms')),
          }),
      );
    }),
  );
  registry.register(
    RequestCode.DELETE_ACL_CONFIG,
    withAcl((request, validator) => {
      const accessKey = new HeaderReader(request.extFields, 'DeleteAccessConfigRequestHeader').string('accessKey');
      return write(
        request,
        ResponseCode.DELETE_ACL_CONFIG_FAILED,
        `The accesskey[${accessKey}] corresponding to accessConfig has been deleted failed.`,
        () => validator.deleteAccessConfig(accessKey),
      );
    }),
  );
  registry.register(
    RequestCode.UPDATE_GLOBAL_WHITE_ADDRS_CONFIG,
    withAcl((request, validator) => {
      const addresses = new HeaderReader(request.extFields, 'UpdateGlobalWhiteAddrsConfigRequestHeader').string(
        'globalWhiteAddrs',
      );
      return write(
        request,
        ResponseCode.UPDATE_GLOBAL_WHITE_ADDRS_CONFIG_FAILED,
        `The globalWhiteAddresses[${addresses}] has been updated failed.`,
        () => validator.updateGlobalWhiteAddrsConfig(string2List(addresses) ?? []),
      );
    }),
  );
  registry.register(
    RequestCode.GET_BROKER_CLUSTER_ACL_INFO,
    withAcl((request, validator) =>
      createResponseCommand(request, ResponseCode.SUCCESS, {
        extFields: {
          version: validator.aclConfigVersion(),
          brokerAddr: brokerAddress(broker.brokerConfig),
          brokerName: broker.brokerConfig.brokerName,
          clusterName: broker.brokerConfig.brokerClusterName,
        },
      }),
    ),
  );
  registry.register(
    RequestCode.GET_BROKER_CLUSTER_ACL_CONFIG,
    withAcl((request, validator) => {
      const config = validator.getAllAclConfig();
      return success(request, {
        globalWhiteAddrs: config.globalWhiteAddrs,
        plainAccessConfigs: config.plainAccessConfigs.map((account) =>
          Object.fromEntries(Object.entries(account).filter(([, value]) => value !== undefined)),
        ),
      });
    }),
  );
}
