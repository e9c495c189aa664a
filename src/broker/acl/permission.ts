// Permission (acl/common/Permission.java): the bits of a topic or group permission, how the yml's
// strings map to them, and the request codes only an admin account may send.
import { RequestCode } from '../../codec/request-code';
import { AclException } from './acl-exception';

export const Permission = {
  DENY: 1,
  ANY: 1 << 1,
  PUB: 1 << 2,
  SUB: 1 << 3,
} as const;

/** Java's ADMIN_CODE set. */
export const ADMIN_CODES: ReadonlySet<number> = new Set([
  RequestCode.UPDATE_AND_CREATE_TOPIC,
  RequestCode.UPDATE_BROKER_CONFIG,
  RequestCode.DELETE_TOPIC_IN_BROKER,
  RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP,
  RequestCode.DELETE_SUBSCRIPTIONGROUP,
]);

export function needAdminPerm(code: number): boolean {
  return ADMIN_CODES.has(code);
}

/** A DENY bit refuses everything; ANY is satisfied by PUB or SUB; otherwise one shared bit. */
export function checkPermission(neededPerm: number, ownedPerm: number): boolean {
  if ((ownedPerm & Permission.DENY) > 0) return false;
  if ((neededPerm & Permission.ANY) > 0) return (ownedPerm & Permission.PUB) > 0 || (ownedPerm & Permission.SUB) > 0;
  return (neededPerm & ownedPerm) > 0;
}

/** "PUB", "SUB", "PUB|SUB", "SUB|PUB", "DENY"; anything else (and a missing value) is DENY. */
export function parsePermFromString(text: string | undefined | null): number {
  switch (text === undefined || text === null ? undefined : String(text).trim()) {
    case 'PUB':
      return Permission.PUB;
    case 'SUB':
      return Permission.SUB;
    case 'PUB|SUB':
    case 'SUB|PUB':
      return Permission.PUB | Permission.SUB;
    default:
      return Permission.DENY;
  }
}

export const RETRY_GROUP_TOPIC_PREFIX = '%RETRY%';

export function retryTopic(group: string): string {
  return RETRY_GROUP_TOPIC_PREFIX + group;
}

/**
 * Permission.parseResourcePerms: "name=PERM" entries into `into` (groups keyed by their retry
 * topic). StringUtils.split drops empty pieces, so "a==PUB" is a, PUB; anything but two pieces throws.
 */
export function parseResourcePerms(
  into: Map<string, number>,
  isTopic: boolean,
  resources: readonly unknown[] | undefined,
): void {
  if (resources === undefined || resources.length === 0) return;
  for (const resource of resources) {
    const items = String(resource)
      .split('=')
      .filter((item) => item.length > 0);
    if (items.length !== 2) {
      throw new AclException(`Parse resource permission failed for ${isTopic ? 'topic' : 'group'}:${String(resource)}`);
    }
    const name = items[0].trim();
    into.set(isTopic ? name : retryTopic(name), parsePermFromString(items[1].trim()));
  }
}
