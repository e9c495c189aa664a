// PlainAccessConfig: one account of plain_acl.yml, and buildPlainAccessResource's checks of it.
import { AclException } from './acl-exception';
import { parsePermFromString, parseResourcePerms } from './permission';
import { type RemoteAddressStrategy, remoteAddressStrategy } from './remote-address-strategy';
import { stringList } from './plain-acl-file';

export const ACCESS_KEY_MIN_LENGTH = 6;
export const SECRET_KEY_MIN_LENGTH = 6;

export interface PlainAccessConfig {
  accessKey?: string;
  secretKey?: string;
  whiteRemoteAddress?: string;
  admin: boolean;
  defaultTopicPerm?: string;
  defaultGroupPerm?: string;
  topicPerms?: string[];
  groupPerms?: string[];
}

/** An account as the broker checks against it (Java's owned PlainAccessResource). */
export interface OwnedAccess {
  accessKey: string;
  secretKey: string;
  admin: boolean;
  defaultTopicPerm: number;
  defaultGroupPerm: number;
  /** Topic or retry topic → permission; undefined when the account lists none. */
  resourcePermMap?: Map<string, number>;
  remoteAddressStrategy: RemoteAddressStrategy;
}

function optionalString(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : String(value);
}

/** fastjson's toJavaList(PlainAccessConfig.class) of one yml entry. */
export function plainAccessConfigFromYaml(entry: unknown): PlainAccessConfig {
  const fields = (entry !== null && typeof entry === 'object' ? entry : {}) as Record<string, unknown>;
  return {
    accessKey: optionalString(fields.accessKey),
    secretKey: optionalString(fields.secretKey),
    whiteRemoteAddress: optionalString(fields.whiteRemoteAddress),
    admin: fields.admin === true || String(fields.admin).toLowerCase() === 'true',
    defaultTopicPerm: optionalString(fields.defaultTopicPerm),
    defaultGroupPerm: optionalString(fields.defaultGroupPerm),
    topicPerms: stringList(fields.topicPerms),
    groupPerms: stringList(fields.groupPerms),
  };
}

/** PlainPermissionManager.buildPlainAccessResource. */
export function buildOwnedAccess(config: PlainAccessConfig): OwnedAccess {
  const { accessKey, secretKey } = config;
  if (
    accessKey === undefined ||
    secretKey === undefined ||
    accessKey.length <= ACCESS_KEY_MIN_LENGTH ||
    secretKey.length <= SECRET_KEY_MIN_LENGTH
  ) {
    throw new AclException(
      `The accessKey=${String(accessKey ?? null)} and secretKey=${secretKey === undefined ? 'null' : '******'} ` +
        'cannot be null and length should longer than 6',
    );
  }
  const perms = new Map<string, number>();
  parseResourcePerms(perms, false, config.groupPerms);
  parseResourcePerms(perms, true, config.topicPerms);
  return {
    accessKey,
    secretKey,
    admin: config.admin,
    defaultTopicPerm: parsePermFromString(config.defaultTopicPerm),
    defaultGroupPerm: parsePermFromString(config.defaultGroupPerm),
    resourcePermMap: perms.size === 0 ? undefined : perms,
    remoteAddressStrategy: remoteAddressStrategy(config.whiteRemoteAddress),
  };
}
