// PlainPermissionManager: the accounts and global white list loaded from plain_acl.yml, the check
// of one request (`validate`, Java's order), and the reload when the file changes (Java's
// FileWatchService: an MD5 of the file compared every 500 ms; a file that does not load keeps the
// previous rules).
import crypto from 'node:crypto';
import fs from 'node:fs';
import { AclException, AclFrame } from './acl-exception';
import { calSignature } from './acl-signer';
import { BEYOND_JAVA_ADMIN_CODES } from './beyond-java-resources';
import { buildOwnedAccess, type OwnedAccess, plainAccessConfigFromYaml } from './plain-access-config';
import { isRetryTopic, type PlainAccessResource, printStr } from './plain-access-resource';
import { readAclYaml } from './plain-acl-file';
import { checkPermission, needAdminPerm } from './permission';
import { type RemoteAddressStrategy, remoteAddressStrategy } from './remote-address-strategy';

export const WATCH_INTERVAL_MS = 500;

export interface AclDataVersion {
  timestamp: number;
  counter: number;
}

export class PlainPermissionManager {
  private accounts = new Map<string, OwnedAccess>();
  private globalWhiteRemoteAddressStrategy: RemoteAddressStrategy[] = [];
  readonly dataVersion: AclDataVersion = { timestamp: Date.now(), counter: 0 };
  private watchTimer: NodeJS.Timeout | undefined;
  private lastHash: string | undefined;

  constructor(
    readonly filePath: string,
    private readonly log: { info(line: string): void; warn(line: string): void } = { info: () => {}, warn: () => {} },
  ) {}

  /** PlainPermissionManager.load: all or nothing; throws AclException and keeps the old rules. */
  load(): void {
    const data = readAclYaml(this.filePath);
    if (data === null || Object.keys(data).length === 0)
      throw new AclException(`${this.filePath} file  is not data`, AclFrame.load);
    const globals = Array.isArray(data.globalWhiteRemoteAddresses) ? data.globalWhiteRemoteAddresses : [];
    const strategies = globals.map((pattern) => remoteAddressStrategy(pattern === null ? undefined : String(pattern)));
    const accounts = new Map<string, OwnedAccess>();
    for (const entry of Array.isArray(data.accounts) ? data.accounts : []) {
      const owned = buildOwnedAccess(plainAccessConfigFromYaml(entry));
      accounts.set(owned.accessKey, owned);
    }
    const versions = Array.isArray(data.dataVersion) ? data.dataVersion : [];
    const first = versions[0] as Partial<AclDataVersion> | undefined;
    if (first !== undefined && first !== null) {
      this.dataVersion.timestamp = Number(first.timestamp ?? this.dataVersion.timestamp);
      this.dataVersion.counter = Number(first.counter ?? this.dataVersion.counter);
    }
    this.globalWhiteRemoteAddressStrategy = strategies;
    this.accounts = accounts;
    this.log.info(
      `plain acl loaded from ${this.filePath}: ${accounts.size} account(s), ${strategies.length} global white address pattern(s)`,
    );
  }

  /** PlainPermissionManager.validate. Throws AclException; returns when the request may proceed. */
  validate(resource: PlainAccessResource): void {
    if (this.globalWhiteRemoteAddressStrategy.some((strategy) => strategy.match(resource.whiteRemoteAddress))) return;
    if (resource.accessKey === undefined)
      throw new AclException('No accessKey is configured', AclFrame.validateNoAccessKey);
    const owned = this.accounts.get(resource.accessKey);
    if (owned === undefined)
      throw new AclException(`No acl config for ${resource.accessKey}`, AclFrame.validateUnknownKey);
    if (owned.remoteAddressStrategy.match(resource.whiteRemoteAddress)) return;
    const signature = calSignature(resource.content ?? Buffer.alloc(0), owned.secretKey);
    if (signature !== resource.signature) {
      throw new AclException(`Check signature failed for accessKey=${resource.accessKey}`, AclFrame.validateSignature);
    }
    checkPerm(resource, owned);
  }

  /**
   * The web console's login: the account whose accessKey and secretKey both match (the secret
   * compared in constant time), or undefined. Asked on every console request, so a reload counts at once.
   */
  authenticate(accessKey: string, secretKey: string): { accessKey: string; admin: boolean } | undefined {
    const owned = this.accounts.get(accessKey);
    if (owned === undefined) return undefined;
    const expected = crypto.createHash('sha256').update(owned.secretKey).digest();
    const given = crypto.createHash('sha256').update(secretKey).digest();
    return crypto.timingSafeEqual(expected, given) ? { accessKey, admin: owned.admin } : undefined;
  }

  /** Start polling the file; `onReload` after each successful reload. */
  watch(onReload: () => void = () => {}): void {
    this.lastHash = this.fileHash();
    this.watchTimer = setInterval(() => {
      const hash = this.fileHash();
      if (hash === this.lastHash) return;
      this.lastHash = hash;
      this.log.info('The plain acl yml changed, reload the context');
      try {
        this.load();
        onReload();
      } catch (error) {
        this.log.warn(`plain acl reload failed, the previous rules stay: ${(error as Error).message}`);
      }
    }, WATCH_INTERVAL_MS);
    this.watchTimer.unref();
  }

  /** The current hash becomes the known one (after our own write, which was loaded already). */
  noteOwnWrite(): void {
    this.lastHash = this.fileHash();
  }

  shutdown(): void {
    if (this.watchTimer !== undefined) clearInterval(this.watchTimer);
    this.watchTimer = undefined;
  }

  private fileHash(): string | undefined {
    try {
      return crypto.createHash('md5').update(fs.readFileSync(this.filePath)).digest('hex');
    } catch {
      return undefined;
    }
  }
}

/** PlainPermissionManager.checkPerm. */
export function checkPerm(needed: PlainAccessResource, owned: OwnedAccess): void {
  if ((needAdminPerm(needed.requestCode) || BEYOND_JAVA_ADMIN_CODES.has(needed.requestCode)) && !owned.admin) {
    throw new AclException(
      `Need admin permission for request code=${needed.requestCode}, but accessKey=${owned.accessKey} is not`,
      AclFrame.checkPermAdmin,
    );
  }
  if (needed.resourcePermMap === undefined) return;
  if (owned.resourcePermMap === undefined && owned.admin) return;
  for (const [resource, neededPerm] of needed.resourcePermMap) {
    const isGroup = isRetryTopic(resource);
    const ownedPerm = owned.resourcePermMap?.get(resource);
    if (ownedPerm === undefined) {
      if (!checkPermission(neededPerm, isGroup ? owned.defaultGroupPerm : owned.defaultTopicPerm)) {
        throw new AclException(`No default permission for ${printStr(resource, isGroup)}`, AclFrame.checkPermDefault);
      }
      continue;
    }
    if (!checkPermission(neededPerm, ownedPerm)) {
      throw new AclException(`No default permission for ${printStr(resource, isGroup)}`, AclFrame.checkPermResource);
    }
  }
}
