// The Prometheus endpoint: GET /metrics on metricsHost:metricsPort (node:http), rendered by
// prom-client in the text exposition format 0.0.4. Each scrape rebuilds the server's families (the
// broker's src/broker/metrics/broker-metrics-manager.ts, the NameServer's src/namesrv/namesrv-metrics.ts)
// into prom-client gauges and counters, and prom-client's default collectors add the process_* and nodejs_* families (CPU, memory, heap, event-loop lag, GC,
// handles). Anything but GET /metrics is answered 404 (405 for another method on /metrics).
// This module, and prom-client with it, is only loaded when the endpoint is enabled.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { MetricFamily } from './metric-family';

type Families = () => Promise<MetricFamily[]>;
type PromMetric = Gauge<string> | Counter<string>;

export class MetricsHttpServer {
  readonly registry = new Registry();
  private readonly metrics = new Map<string, PromMetric>();
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
    for (const family of await this.families()) this.load(family);
    return this.registry.metrics();
  }

  private load(family: MetricFamily): void {
    let metric = this.metrics.get(family.name);
    if (metric === undefined) {
      const options = { name: family.name, help: family.help, labelNames: [...family.labelNames], registers: [this.registry] };
      metric = family.type === 'counter' ? new Counter(options) : new Gauge(options);
      this.metrics.set(family.name, metric);
    }
    metric.reset();
    for (const sample of family.samples) {
      const labels: Record<string, string> = {};
      family.labelNames.forEach((name, i) => (labels[name] = sample.labels[i]));
      if (metric instanceof Counter) metric.inc(labels, Math.max(0, sample.value));
      else metric.set(labels, sample.value);
    }
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
      response.writeHead(500, { 'Content-Type': 'text/plain' }).end(`metrics scrape failed: ${(error as Error).message}\n`);
    }
  }
}
