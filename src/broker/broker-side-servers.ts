// The broker's HTTP sides: the Prometheus endpoint (metricsPort) and the web console (consolePort).
// Their modules (and prom-client, the console's assets) are loaded only when the port is set, so a
// broker without them starts as fast as before they existed.
import type { ConsoleBroker, ConsoleServer } from '../console/console-server';
import type { MetricsHttpServer } from '../common/metrics-http-server';
import type { Logger } from '../common/logger';
import type { BrokerContext } from './broker-context';
import { consolePortProblem, metricsPortProblem } from './broker-config-update';

/** metricsPort and consolePort must each be 0 (off) or a port number; checked before anything starts. */
export function checkSidePorts(config: { metricsPort: number; consolePort: number }): void {
  const problem = metricsPortProblem(config.metricsPort) ?? consolePortProblem(config.consolePort);
  if (problem !== undefined) throw new Error(problem);
}

/**
 * Serves GET /metrics on metricsHost:`port` (0 = a free port, for tests). Fails with a clear error
 * when the port is not a port number or cannot be bound.
 */
export async function startMetricsServer(
  broker: BrokerContext,
  port: number,
  brokerAddr: () => string,
  logger: Logger,
): Promise<MetricsHttpServer> {
  const host = broker.brokerConfig.metricsHost;
  const problem = metricsPortProblem(port);
  if (problem !== undefined) throw new Error(problem);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { MetricsHttpServer } =
    require('../common/metrics-http-server') as typeof import('../common/metrics-http-server');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { BrokerMetricsManager } =
    require('./metrics/broker-metrics-manager') as typeof import('./metrics/broker-metrics-manager');
  const metrics = new BrokerMetricsManager(broker, brokerAddr);
  const server = new MetricsHttpServer(
    () => metrics.collect(),
    (message) => logger.error(message),
  );
  try {
    await server.start(port, host);
  } catch (error) {
    throw new Error(
      `metrics endpoint cannot listen on ${host}:${port} (metricsHost/metricsPort): ${(error as Error).message}`,
    );
  }
  logger.info(`metrics endpoint listening on http://${host}:${server.port}/metrics`);
  return server;
}

/** Serves the web console on consoleHost:consolePort. */
export async function startConsole(broker: ConsoleBroker, logger: Logger): Promise<ConsoleServer> {
  const { consolePort, consoleHost } = broker.brokerConfig;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ConsoleServer } = require('../console/console-server') as typeof import('../console/console-server');
  const console = new ConsoleServer(broker, { port: consolePort, host: consoleHost });
  await console.start();
  logger.info(`web console listening on http://${consoleHost}:${console.port}/`);
  return console;
}
