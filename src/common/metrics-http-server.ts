// The Prometheus endpoint: GET /metrics on metricsHost:metricsPort (node:http), in the text
// exposition format 0.0.4. Each scrape rebuilds the server's families (the broker's
// src/broker/metrics/broker-metrics-manager.ts, the NameServer's src/namesrv/namesrv-metrics.ts) and
// writes them (renderTextFormat), then prom-client's default collectors add the process_* and
// nodejs_* families (CPU, memory, open fds, heap, event-loop lag, GC, handles). Anything but
// GET/HEAD /metrics is answered 404 (405 for another method on /metrics). This module, and
// prom-client with it, is only loaded when the endpoint is enabled.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { renderTextFormat, type MetricFamily } from './metric-family';

type Families = () => Promise<MetricFamily[]>;

export class MetricsHttpServer {
  /** prom-client's default process and Node.js metrics. */
  readonly registry = new Registry();
  private server: http.Server | undefined;

  constructor(
    private readonly families: Families,
    private readonly onError: (message: string) => void = () => undefined,
  ) {
    collectDefaultMetrics({ register: this.registry });
  }

  /** The port listened on (differs from the configured one only when that was 0). */
  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  start(port: number, host: string): Promise<void> {
    const server = http.createServer((request, response) => void this.handle(request, response));
    server.requestTimeout = 10_000;
    server.headersTimeout = 10_000;
    server.maxConnections = 64;
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  async shutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The whole page, as a scrape gets it. */
  async render(): Promise<string> {
    const families = renderTextFormat(await this.families());
    return families + (await this.registry.metrics());
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found: the metrics are at /metrics\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { 'Content-Type': 'text/plain', Allow: 'GET, HEAD' }).end('Method not allowed\n');
      return;
    }
    try {
      const body = await this.render();
      response.writeHead(200, { 'Content-Type': this.registry.contentType });
      response.end(request.method === 'HEAD' ? undefined : body);
    } catch (error) {
      this.onError(`metrics scrape failed: ${(error as Error).stack}`);
      response
        .writeHead(500, { 'Content-Type': 'text/plain' })
        .end(`metrics scrape failed: ${(error as Error).message}\n`);
    }
  }
}
