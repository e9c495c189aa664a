// What the name server's request handlers reach (Java hands them the NamesrvController).
import type { Logger } from '../../common/logger';
import type { KVConfigManager } from '../../namesrv/kv-config-manager';
import type { NamesrvConfig } from '../../namesrv/namesrv-config';
import type { NamesrvConfiguration } from '../../namesrv/namesrv-configuration';
import type { RouteInfoManager } from '../../namesrv/route-info-manager';

export interface NamesrvProcessorContext {
  readonly namesrvConfig: NamesrvConfig;
  readonly routeInfoManager: RouteInfoManager;
  readonly kvConfigManager: KVConfigManager;
  readonly configuration: NamesrvConfiguration;
  readonly logger: Logger;
}
