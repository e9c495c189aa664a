// PlainAccessValidator: the broker's rpc hook (parse + validate) and the ACL admin operations of
// codes 50–54 (updateAccessConfig, deleteAccessConfig, updateGlobalWhiteAddrsConfig, the data
// version, getAllAclConfig). Each admin write rewrites plain_acl.yml atomically with the next
// dataVersion and reloads it at once (Java waits for its file watcher).
import type { RemotingCommand } from '../../codec/remoting-command';
import { AclException } from './acl-exception';
import {
  ACCESS_KEY_MIN_LENGTH,
  buildOwnedAccess,
  type PlainAccessConfig,
  plainAccessConfigFromYaml,
  SECRET_KEY_MIN_LENGTH,
} from './plain-access-config';
import { parsePlainAccessResource } from './plain-access-resource';
import { type AclYamlData, plainAclFilePath, readAclYaml, stringList, writeAclYaml } from './plain-acl-file';
import { PlainPermissionManager } from './plain-permission-manager';

export interface AclConfig {
  globalWhiteAddrs: string[];
  plainAccessConfigs: PlainAccessConfig[];
}

type AclLog = { info(line: string): void; warn(line: string): void };

export class PlainAccessValidator {
  readonly manager: PlainPermissionManager;

  /** Loads the file (throws AclException when it cannot) and starts watching it. */
  constructor(rocketmqHome: string, log?: AclLog) {
    this.manager = new PlainPermissionManager(plainAclFilePath(rocketmqHome), log);
    this.manager.load();
    this.manager.watch();
  }

  /** The rpc hook: throws AclException when the request may not proceed. */
  check(remoteAddress: string, request: RemotingCommand): void {
    this.manager.validate(parsePlainAccessResource(request, remoteAddress));
  }

  shutdown(): void {
    this.manager.shutdown();
  }

  /** DataVersion.toJson: {"counter":n,"timestamp":ms}. */
  aclConfigVersion(): string {
    return JSON.stringify({ counter: this.manager.dataVersion.counter, timestamp: this.manager.dataVersion.timestamp });
  }

  updateAccessConfig(config: PlainAccessConfig): boolean {
    const accessKey = config.accessKey ?? '';
    if (accessKey.length <= ACCESS_KEY_MIN_LENGTH)
      throw new AclException(
        `The accessKey=${config.accessKey ?? 'null'} cannot be null and length should longer than 6`,
      );
    if (config.secretKey !== undefined && config.secretKey !== '' && config.secretKey.length <= SECRET_KEY_MIN_LENGTH) {
      throw new AclException('The secretKey=****** value length should longer than 6');
    }
    return this.rewrite((data) => {
      if (!Array.isArray(data.accounts)) return false;
      const accounts = data.accounts as Record<string, unknown>[];
      const index = accounts.findIndex(
        (account) => account !== null && typeof account === 'object' && String(account.accessKey) === accessKey,
      );
      const entry = index >= 0 ? accounts.splice(index, 1)[0] : {};
      accounts.push(mergeAccount(entry, config));
      return true;
    });
  }

  deleteAccessConfig(accessKey: string | undefined): boolean {
    if (accessKey === undefined || accessKey === '') return false;
    return this.rewrite((data) => {
      if (!Array.isArray(data.accounts)) return false;
      const accounts = data.accounts as Record<string, unknown>[];
      const index = accounts.findIndex(
        (account) => account !== null && typeof account === 'object' && String(account.accessKey) === accessKey,
      );
      if (index < 0) return false;
      accounts.splice(index, 1);
      return true;
    });
  }

  updateGlobalWhiteAddrsConfig(addresses: string[]): boolean {
    return this.rewrite((data) => {
      if (!Array.isArray(data.globalWhiteRemoteAddresses)) return false;
      data.globalWhiteRemoteAddresses = addresses;
      return true;
    });
  }

  getAllAclConfig(): AclConfig {
    const data = readAclYaml(this.manager.filePath);
    if (data === null || Object.keys(data).length === 0)
      throw new AclException(`${this.manager.filePath} file  is not data`);
    return {
      globalWhiteAddrs: stringList(data.globalWhiteRemoteAddresses) ?? [],
      plainAccessConfigs: (Array.isArray(data.accounts) ? data.accounts : []).map(plainAccessConfigFromYaml),
    };
  }

  /** Read, change (false = nothing to do), bump dataVersion, write atomically, reload. */
  private rewrite(change: (data: AclYamlData) => boolean): boolean {
    const data = readAclYaml(this.manager.filePath) ?? {};
    if (!change(data)) return false;
    const version = this.manager.dataVersion;
    version.counter += 1;
    version.timestamp = Date.now();
    data.dataVersion = [{ counter: version.counter, timestamp: version.timestamp }];
    writeAclYaml(this.manager.filePath, data);
    this.manager.noteOwnWrite();
    try {
      this.manager.load();
    } catch (error) {
      throw new AclException(`plain_acl.yml written but not loadable: ${(error as Error).message}`);
    }
    return true;
  }
}

/** createAclAccessConfigMap: the given fields over the existing entry (admin always written). */
function mergeAccount(entry: Record<string, unknown>, config: PlainAccessConfig): Record<string, unknown> {
  entry.accessKey = config.accessKey;
  if (config.secretKey !== undefined && config.secretKey !== '') entry.secretKey = config.secretKey;
  if (config.whiteRemoteAddress !== undefined && config.whiteRemoteAddress !== '')
    entry.whiteRemoteAddress = config.whiteRemoteAddress;
  entry.admin = config.admin;
  if (config.defaultTopicPerm !== undefined && config.defaultTopicPerm !== '')
    entry.defaultTopicPerm = config.defaultTopicPerm;
  if (config.defaultGroupPerm !== undefined && config.defaultGroupPerm !== '')
    entry.defaultGroupPerm = config.defaultGroupPerm;
  if (config.topicPerms !== undefined && config.topicPerms.length > 0) entry.topicPerms = config.topicPerms;
  if (config.groupPerms !== undefined && config.groupPerms.length > 0) entry.groupPerms = config.groupPerms;
  buildOwnedAccess(plainAccessConfigFromYaml(entry));
  return entry;
}
