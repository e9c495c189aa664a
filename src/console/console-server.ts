// The web console (issue #16 §3): a small JSON API over node:http plus the browser files, served
// by the broker when consolePort > 0 (bound to consoleHost, 127.0.0.1 by default). The broker
// loads this module only then. Routes: console-routes.ts; login: console-auth.ts.
import crypto from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import type { BrokerContext } from '../broker/broker-context';
import { ConsoleAuth, type Caller } from './console-auth';
import { CallError, ConsoleCalls } from './console-calls';
import { ClusterView } from './console-cluster';
import { GroupsView } from './console-groups';
import { BadRequest } from './console-input';
import { MessagesView } from './console-messages';
import { consoleRoutes, type Route } from './console-routes';
import { MessageWriter } from './console-send';
import { StaticCache, staticFiles } from './console-static';
import { ConsoleStats } from './console-stats';
import { TopicsView } from './console-topics';

/** Largest request body accepted (a test message body is at most 64 Ki characters). */
const MAX_BODY_BYTES = 512 * 1024;

/** Headers of every answer; the page's only inline script (its import map) is allowed by its hash. */
function securityHeaders(importMapHash: string): Record<string, string> {
  return {
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Content-Security-Policy':
      `default-src 'self'; script-src 'self' '${importMapHash}'; ` +
      `style-src 'self' 'unsafe-inline'; img-src 'self' data:`,
    'Cache-Control': 'no-store',
  };
}

export type ConsoleBroker = BrokerContext & { readonly listenPort: number };

export interface ConsoleViews {
  broker: ConsoleBroker;
  auth: ConsoleAuth;
  cluster: ClusterView;
  topics: TopicsView;
  groups: GroupsView;
  messages: MessagesView;
  writer: MessageWriter;
  stats: ConsoleStats;
}

export class ConsoleServer {
  private readonly server: http.Server;
  private readonly calls: ConsoleCalls;
  private readonly views: ConsoleViews;
  private readonly routes: Map<string, Route>;
  private readonly files = new StaticCache(staticFiles());
  private readonly headers: Record<string, string>;

  constructor(
    broker: ConsoleBroker,
    private readonly options: { port: number; host: string },
  ) {
    this.calls = new ConsoleCalls(broker);
    const groups = new GroupsView(broker, this.calls);
    const messages = new MessagesView(broker);
    this.views = {
      broker,
      auth: new ConsoleAuth(() => broker.accessValidator?.manager),
      cluster: new ClusterView(broker, this.calls),
      topics: new TopicsView(broker, this.calls),
      groups,
      messages,
      writer: new MessageWriter(broker, messages),
      stats: new ConsoleStats(broker, groups),
    };
    this.routes = consoleRoutes();
    this.headers = securityHeaders(importMapHash(this.files.get('/')!.body.toString('utf8')));
    this.server = http.createServer((request, response) => void this.handle(request, response));
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address !== null ? address.port : this.options.port;
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.views.stats.start();
  }

  async shutdown(): Promise<void> {
    this.views.stats.shutdown();
    this.calls.shutdown();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://console');
    try {
      if (!this.views.auth.enabled && !isAddressHost(request.headers.host)) {
        throw new BadRequest(
          `Host ${request.headers.host ?? '(none)'} refused: ` +
            'without ACL the console answers only requests to an IP address or localhost (DNS rebinding)',
          403,
        );
      }
      if (request.method === 'GET' && url.pathname === '/favicon.ico')
        return void response.writeHead(204, this.headers).end();
      if (request.method === 'GET' && !url.pathname.startsWith('/api/')) return this.serveFile(url.pathname, response);
      const route = this.routes.get(`${request.method} ${url.pathname}`);
      if (route === undefined) throw new BadRequest(`no such API: ${request.method} ${url.pathname}`, 404);
      const caller: Caller = this.views.auth.caller(request);
      if (route.access !== 'public' && !caller.canRead) throw new BadRequest('log in first', 401);
      if (route.access === 'write' && !caller.canWrite)
        throw new BadRequest('this account is not an admin: writes need admin=true in plain_acl.yml', 403);
      const input = request.method === 'POST' ? await readJson(request) : Object.fromEntries(url.searchParams);
      const result = await route.handler(this.views, input, { request, response, caller });
      sendJson(response, this.headers, 200, result ?? { ok: true });
    } catch (error) {
      const status = error instanceof BadRequest ? error.status : error instanceof CallError ? 400 : 500;
      // an unread body (too large, wrong type) is not drained: the connection closes after the answer
      if (status === 413 || status === 415) response.setHeader('Connection', 'close');
      if (!response.headersSent) sendJson(response, this.headers, status, { error: (error as Error).message });
    }
  }

  private serveFile(pathname: string, response: http.ServerResponse): void {
    const file = this.files.get(pathname);
    if (file === undefined) throw new BadRequest(`not found: ${pathname}`, 404);
    response.writeHead(200, {
      ...this.headers,
      'Cache-Control': 'max-age=300',
      'Content-Type': file.type,
      'Content-Length': file.body.length,
    });
    response.end(file.body);
  }
}

/** True for "127.0.0.1:8080", "[::1]:8080", "localhost:8080" and the like: names no DNS can rebind. */
export function isAddressHost(host: string | undefined): boolean {
  if (host === undefined) return false;
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d+$/, '');
  return name === 'localhost' || net.isIP(name) !== 0;
}

/** The CSP source of the page's <script type="importmap">. */
export function importMapHash(indexHtml: string): string {
  const match = /<script type="importmap">([\s\S]*?)<\/script>/.exec(indexHtml);
  if (match === null) throw new Error('console index.html has no import map');
  return `sha256-${crypto.createHash('sha256').update(match[1]).digest('base64')}`;
}

function sendJson(
  response: http.ServerResponse,
  headers: Record<string, string>,
  status: number,
  value: unknown,
): void {
  const body = Buffer.from(JSON.stringify(value));
  response.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': body.length,
  });
  response.end(body);
}

async function readJson(request: http.IncomingMessage): Promise<Record<string, unknown>> {
  if (!(request.headers['content-type'] ?? '').startsWith('application/json'))
    throw new BadRequest('POST bodies must be application/json', 415);
  const chunks: Buffer[] = [];
  let sizeBytes = 0;
  for await (const chunk of request) {
    sizeBytes += (chunk as Buffer).length;
    if (sizeBytes > MAX_BODY_BYTES) throw new BadRequest(`request body is larger than ${MAX_BODY_BYTES} bytes`, 413);
    chunks.push(chunk as Buffer);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    throw new BadRequest('request body is not JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new BadRequest('request body must be a JSON object');
  return parsed as Record<string, unknown>;
}
