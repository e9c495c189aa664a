// NamesrvController (org.apache.rocketmq.namesrv.NamesrvController): wires the name server's
// state (RouteInfoManager, KVConfigManager, Configuration) to a RemotingServer and runs the broker
// expiry scan. Everything lives on the instance (no process-global state), so a name server can
// run in the same process as a broker, or several in one test.
import { holdMemoryTrim } from '../common/free-memory';
import { getLogger, type Logger } from '../common/logger';
import { DefaultRequestProcessor, NAMESRV_REQUEST_CODES } from '../handlers/namesrv/default-request-processor';
import type { NamesrvProcessorContext } from '../handlers/namesrv/namesrv-processor-context';
import { setFastjsonMaxDepth } from '../codec/fastjson-parse';
import { RemotingServer } from '../remoting/remoting-server';
import { KVConfigManager } from './kv-config-manager';
import { type NamesrvConfig, validateNamesrvConfig } from './namesrv-config';
import { NamesrvConfiguration } from './namesrv-configuration';
import { BROKER_CHANNEL_EXPIRED_TIME_MS, RouteInfoManager } from './route-info-manager';

export interface NamesrvControllerOptions {
  /** First scanNotActiveBroker run after start (Java: 5 s). */
  scanFirstDelayMs?: number;
  /** Period of scanNotActiveBroker (Java: 10 s). */
  scanIntervalMs?: number;
  /** A broker not registered for this long is dropped (Java: 120 s). */
  brokerChannelExpiredTimeMs?: number;
  /** Raw properties of the `-c` file, shown by GET_NAMESRV_CONFIG like Java's registerConfig(properties). */
  extraProperties?: ReadonlyMap<string, string>;
  logger?: Logger;
}

type State = 'CREATED' | 'STARTING' | 'RUNNING' | 'SHUTDOWN';

export class NamesrvController implements NamesrvProcessorContext {
  readonly routeInfoManager: RouteInfoManager;
  readonly kvConfigManager: KVConfigManager;
  readonly configuration: NamesrvConfiguration;
  readonly logger: Logger;
  readonly remotingServer: RemotingServer;
  private readonly scanFirstDelayMs: number;
  private readonly scanIntervalMs: number;
  private scanTimer: NodeJS.Timeout | undefined;
  /** Releases this server's hold on the process's C-heap trim timer (common/free-memory.ts). */
  private releaseMemoryTrim: (() => void) | undefined;
  /** The Prometheus endpoint when metricsPort is set (its module and prom-client are not loaded otherwise). */
  metricsServer: import('../common/metrics-http-server').MetricsHttpServer | undefined;
  private state: State = 'CREATED';

  constructor(
    readonly namesrvConfig: NamesrvConfig,
    options: NamesrvControllerOptions = {},
  ) {
    validateNamesrvConfig(namesrvConfig);
    this.logger = options.logger ?? getLogger('namesrv');
    this.scanFirstDelayMs = options.scanFirstDelayMs ?? 5_000;
    this.scanIntervalMs = options.scanIntervalMs ?? 10_000;
    if (!(this.scanFirstDelayMs >= 0 && this.scanIntervalMs > 0)) throw new RangeError('scan delays must be positive');
    this.routeInfoManager = new RouteInfoManager(this.logger, {
      brokerChannelExpiredTimeMs: options.brokerChannelExpiredTimeMs ?? BROKER_CHANNEL_EXPIRED_TIME_MS,
    });
    this.kvConfigManager = new KVConfigManager(() => this.namesrvConfig.kvConfigPath, this.logger);
    this.configuration = new NamesrvConfiguration(namesrvConfig, options.extraProperties, this.logger);
    this.remotingServer = new RemotingServer(
      {
        listenPort: namesrvConfig.listenPort,
        bindAddress: namesrvConfig.bindAddress,
        idleTimeoutMs: namesrvConfig.serverChannelMaxIdleTimeSeconds * 1000,
        limits: {
          serverMaxConnections: namesrvConfig.serverMaxConnections,
          frameMaxLength: namesrvConfig.frameMaxLength,
          serverMaxPendingWriteBytes: namesrvConfig.serverMaxPendingWriteBytes,
        },
      },
      this.logger,
    );
    const processor = new DefaultRequestProcessor(this);
    for (const code of NAMESRV_REQUEST_CODES) this.remotingServer.registerProcessor(code, processor);
    // BrokerHousekeepingService: a closed broker connection removes that broker at once.
    this.remotingServer.onConnectionClose((connection) => this.routeInfoManager.onChannelDestroy(connection));
  }

  /** The port listened on (the real one when listenPort is 0), once started. */
  get port(): number {
    return this.remotingServer.port;
  }

  /** Loads kvConfig.json, starts listening, starts the expiry scan. */
  async start(): Promise<void> {
    if (this.state !== 'CREATED') throw new Error(`NamesrvController cannot start: it is ${this.state}`);
    this.state = 'STARTING';
    try {
      this.kvConfigManager.load();
      setFastjsonMaxDepth(this.namesrvConfig.fastjsonMaxDepth);
      await this.remotingServer.start();
    } catch (error) {
      if (this.state === 'STARTING') this.state = 'CREATED';
      throw error;
    }
    // TS narrows `state` to 'STARTING' here, but shutdown() may have run while we were binding.
    if ((this.state as State) === 'SHUTDOWN') {
      // shutdown() left the closing to us.
      await this.remotingServer.shutdown();
      return;
    }
    this.state = 'RUNNING';
    if (this.namesrvConfig.metricsPort !== 0) await this.startMetricsServer(this.namesrvConfig.metricsPort);
    this.scanTimer = setTimeout(() => this.scanPeriodically(), this.scanFirstDelayMs);
    this.scanTimer.unref();
    this.releaseMemoryTrim = holdMemoryTrim();
    this.logger.info(`name server listening on ${this.namesrvConfig.bindAddress}:${this.port}`);
  }

  /** Serves GET /metrics on metricsHost:`port` (0 = a free port, for tests). */
  async startMetricsServer(port: number): Promise<void> {
    const host = this.namesrvConfig.metricsHost;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { MetricsHttpServer } =
      require('../common/metrics-http-server') as typeof import('../common/metrics-http-server');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { collectNamesrvMetrics } = require('./namesrv-metrics') as typeof import('./namesrv-metrics');
    const server = new MetricsHttpServer(
      async () => collectNamesrvMetrics(this.routeInfoManager),
      (message) => this.logger.error(message),
    );
    try {
      await server.start(port, host);
    } catch (error) {
      await this.shutdown();
      throw new Error(
        `metrics endpoint cannot listen on ${host}:${port} (metricsHost/metricsPort): ${(error as Error).message}`,
      );
    }
    this.metricsServer = server;
    this.logger.info(`metrics endpoint listening on http://${host}:${server.port}/metrics`);
  }

  private scanPeriodically(): void {
    try {
      this.routeInfoManager.scanNotActiveBroker();
    } catch (error) {
      this.logger.error(`scanNotActiveBroker failed: ${(error as Error).stack ?? String(error)}`);
    }
    if (this.state !== 'RUNNING') return;
    this.scanTimer = setTimeout(() => this.scanPeriodically(), this.scanIntervalMs);
    this.scanTimer.unref();
  }

  /** Stops the scan and closes the server and every connection. Safe to call twice. */
  async shutdown(): Promise<void> {
    if (this.state === 'SHUTDOWN') return;
    const wasRunning = this.state === 'RUNNING';
    this.state = 'SHUTDOWN';
    clearTimeout(this.scanTimer);
    this.scanTimer = undefined;
    this.releaseMemoryTrim?.();
    this.releaseMemoryTrim = undefined;
    if (wasRunning) await this.remotingServer.shutdown();
    await this.metricsServer?.shutdown();
    this.metricsServer = undefined;
    this.logger.info('name server shut down');
  }
}
