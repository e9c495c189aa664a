#!/usr/bin/env node
// `healthcheck`: the container image's HEALTHCHECK. Asks the server one question over the remoting
// protocol and exits 0 when it answers SUCCESS, 1 otherwise, with one line saying which:
//
//   healthcheck [nameserver|broker] [host:port]
//
// NameServer: GET_BROKER_CLUSTER_INFO (106); broker: GET_BROKER_RUNTIME_INFO (28), whose table must
// carry brokerVersionDesc. Without a role it looks for the server of this container in /proc (a node
// process running mqnamesrv.js or mqbroker.js); without an address it takes listenPort and
// bindAddress from that process's `-c` file (defaults 9876 / 10911, and ROCKETMQ_BIND_ADDRESS), and
// asks 127.0.0.1 when the server binds every interface.
import fs from 'node:fs';
import path from 'node:path';
import { parseFastjson } from '../codec/fastjson-parse';
import { createRequestCommand } from '../codec/remoting-command';
import { RequestCode } from '../codec/request-code';
import { ResponseCode } from '../codec/response-code';
import { parseJavaProperties } from '../common/java-properties';
import { newOpaque } from '../remoting/connection';
import { RemotingClient } from '../remoting/remoting-client';

export type ServerRole = 'nameserver' | 'broker';

export interface HealthTarget {
  role: ServerRole;
  address: string;
}

const TIMEOUT_MS = 3000;
const DEFAULT_PORT: Record<ServerRole, number> = { nameserver: 9876, broker: 10911 };

/** The role of a process from its argv: which of our two entry scripts it runs, if any. */
export function roleOfCommandLine(argv: string[]): ServerRole | undefined {
  if (!/(^|\/)node$/.test(argv[0] ?? '')) return undefined;
  const script = argv.slice(1).find((arg) => !arg.startsWith('-'));
  if (script?.endsWith('mqnamesrv.js')) return 'nameserver';
  if (script?.endsWith('mqbroker.js')) return 'broker';
  return undefined;
}

function configFileOf(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if ((arg === '-c' || arg === '--configFile') && i + 1 < argv.length) return argv[i + 1];
    if (arg.startsWith('--configFile=')) return arg.slice('--configFile='.length);
    if (arg.startsWith('-c') && arg.length > 2) return arg.slice(2);
  }
  return undefined;
}

/** host:port to ask a server started with `argv` in `cwd` and `env`. */
export function addressOfServer(
  role: ServerRole,
  argv: string[],
  cwd: string,
  env: Record<string, string | undefined>,
): string {
  let port = DEFAULT_PORT[role];
  let bind = env.ROCKETMQ_BIND_ADDRESS || '127.0.0.1';
  const configFile = configFileOf(argv);
  if (configFile !== undefined) {
    const properties = parseJavaProperties(fs.readFileSync(path.resolve(cwd, configFile), 'utf8'));
    const listenPort = Number(properties.get('listenPort')?.trim());
    if (Number.isInteger(listenPort) && listenPort > 0) port = listenPort;
    bind = properties.get('bindAddress')?.trim() || bind;
  }
  const host = bind === '0.0.0.0' || bind === '::' ? '127.0.0.1' : bind;
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function readNulList(file: string): string[] {
  return fs
    .readFileSync(file, 'latin1')
    .split('\0')
    .filter((part) => part.length > 0);
}

/** The server this container (or machine) runs, found through /proc. */
export function findLocalServer(proc = '/proc'): HealthTarget | undefined {
  const pids = fs
    .readdirSync(proc)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(a) - Number(b));
  for (const pid of pids) {
    try {
      const argv = readNulList(path.join(proc, pid, 'cmdline'));
      const role = roleOfCommandLine(argv);
      if (role === undefined) continue;
      const env = Object.fromEntries(
        readNulList(path.join(proc, pid, 'environ')).map((entry) => {
          const at = entry.indexOf('=');
          return [entry.slice(0, at), entry.slice(at + 1)];
        }),
      );
      return { role, address: addressOfServer(role, argv, fs.readlinkSync(path.join(proc, pid, 'cwd')), env) };
    } catch {
      // the process ended, or is not ours to read
    }
  }
  return undefined;
}

/** Asks the server; resolves with a one-line description, rejects with the reason it is not healthy. */
export async function checkServer(target: HealthTarget, timeoutMs = TIMEOUT_MS): Promise<string> {
  const client = new RemotingClient({ connectTimeoutMs: timeoutMs, idleTimeoutMs: timeoutMs * 2 });
  try {
    const code = target.role === 'broker' ? RequestCode.GET_BROKER_RUNTIME_INFO : RequestCode.GET_BROKER_CLUSTER_INFO;
    const response = await client.invoke(target.address, createRequestCommand(code, newOpaque()), timeoutMs);
    if (response.code !== ResponseCode.SUCCESS) {
      throw new Error(`answered code ${response.code}${response.remark ? ` (${response.remark})` : ''}`);
    }
    if (target.role === 'nameserver') return `nameserver ${target.address} OK`;
    const body =
      response.body === undefined ? undefined : (parseFastjson(response.body) as { table?: Record<string, string> });
    const version = body?.table?.brokerVersionDesc;
    if (version === undefined) throw new Error('runtime info without brokerVersionDesc');
    return `broker ${target.address} OK (${version})`;
  } finally {
    client.shutdown();
  }
}

async function main(args: string[]): Promise<number> {
  const role = args[0] === 'nameserver' || args[0] === 'broker' ? args[0] : undefined;
  const explicitAddress = role === undefined ? undefined : args[1];
  const found = role === undefined ? findLocalServer() : undefined;
  const target: HealthTarget | undefined =
    role === undefined ? found : { role, address: explicitAddress ?? `127.0.0.1:${DEFAULT_PORT[role]}` };
  if (target === undefined) {
    process.stdout.write('UNHEALTHY: no mqnamesrv or mqbroker process found\n');
    return 1;
  }
  try {
    process.stdout.write(`${await checkServer(target)}\n`);
    return 0;
  } catch (error) {
    process.stdout.write(`UNHEALTHY: ${target.role} ${target.address}: ${(error as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
