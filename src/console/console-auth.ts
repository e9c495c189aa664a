// The console's login when the broker runs with aclEnable: accessKey and secretKey of a plain ACL
// account (plain_acl.yml), checked again on every request so an edited file counts at once.
// Reading needs any account, writing an admin one. Without ACL every request may read and write
// (the console then binds to 127.0.0.1 unless consoleHost says otherwise).
//
// The session is a random token in an HttpOnly, SameSite=Strict cookie; writes also need a JSON
// content type, which a cross-site form cannot send.
import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { PlainPermissionManager } from '../broker/acl/plain-permission-manager';

export const SESSION_COOKIE = 'rmqconsole';
const SESSION_TTL_MS = 12 * 3600_000;
/** Oldest sessions are dropped beyond this many. */
const MAX_SESSIONS = 1000;

interface Session {
  accessKey: string;
  secretKey: string;
  expiresAtMs: number;
}

export interface Caller {
  accessKey: string;
  /** Kept for signing the console's calls to other brokers; never sent to the browser. */
  secretKey?: string;
  canRead: boolean;
  canWrite: boolean;
}

export class ConsoleAuth {
  private readonly sessions = new Map<string, Session>();

  /** `acl` undefined: ACL is off and every caller is an anonymous admin. */
  constructor(private readonly acl: () => PlainPermissionManager | undefined) {}

  get enabled(): boolean {
    return this.acl() !== undefined;
  }

  /** A session token for a valid account, or undefined. */
  login(accessKey: string, secretKey: string): string | undefined {
    const acl = this.acl();
    if (acl === undefined || acl.authenticate(accessKey, secretKey) === undefined) return undefined;
    const token = crypto.randomBytes(32).toString('hex');
    while (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value as string);
    this.sessions.set(token, { accessKey, secretKey, expiresAtMs: Date.now() + SESSION_TTL_MS });
    return token;
  }

  logout(request: IncomingMessage): void {
    const token = sessionToken(request);
    if (token !== undefined) this.sessions.delete(token);
  }

  caller(request: IncomingMessage): Caller {
    const acl = this.acl();
    if (acl === undefined) return { accessKey: '', canRead: true, canWrite: true };
    const token = sessionToken(request);
    const session = token === undefined ? undefined : this.sessions.get(token);
    if (session === undefined || session.expiresAtMs < Date.now()) {
      if (token !== undefined) this.sessions.delete(token);
      return { accessKey: '', canRead: false, canWrite: false };
    }
    const account = acl.authenticate(session.accessKey, session.secretKey);
    if (account === undefined) return { accessKey: '', canRead: false, canWrite: false };
    return { accessKey: account.accessKey, secretKey: session.secretKey, canRead: true, canWrite: account.admin };
  }
}

function sessionToken(request: IncomingMessage): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, value] = part.trim().split('=');
    if (name === SESSION_COOKIE && value !== undefined && /^[0-9a-f]{64}$/.test(value)) return value;
  }
  return undefined;
}
