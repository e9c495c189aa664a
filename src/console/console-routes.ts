// The console's JSON API, one entry per route: who may call it (public, any account, admin) and
// what it does. GET takes query parameters, POST a JSON object; every input is checked in the
// views (console-input.ts) and a bad one answers 400 with the reason.
import type http from 'node:http';
import { type Caller, SESSION_COOKIE } from './console-auth';
import { BadRequest, stringField, timeField } from './console-input';
import type { Account } from './console-calls';
import type { ConsoleViews } from './console-server';
import { DLQ_GROUP_TOPIC_PREFIX } from '../broker/topic-validator';

export interface RouteContext {
  request: http.IncomingMessage;
  response: http.ServerResponse;
  caller: Caller;
}

export interface Route {
  access: 'public' | 'read' | 'write';
  handler: (views: ConsoleViews, input: Record<string, unknown>, context: RouteContext) => unknown;
}

function session(views: ConsoleViews, caller: Caller) {
  const config = views.broker.brokerConfig;
  return {
    aclEnabled: views.auth.enabled,
    loggedIn: caller.canRead,
    accessKey: caller.accessKey,
    admin: caller.canWrite,
    brokerName: config.brokerName,
    clusterName: config.brokerClusterName,
  };
}

function account(caller: Caller): Account | undefined {
  return caller.secretKey === undefined ? undefined : { accessKey: caller.accessKey, secretKey: caller.secretKey };
}

function dlqList(views: ConsoleViews) {
  return views.topics
    .list()
    .filter((row) => (row as { kind: string }).kind === 'DLQ')
    .map((row) => ({
      ...(row as object),
      group: (row as { topic: string }).topic.slice(DLQ_GROUP_TOPIC_PREFIX.length),
    }));
}

export function consoleRoutes(): Map<string, Route> {
  const routes = new Map<string, Route>();
  const on = (key: string, access: Route['access'], handler: Route['handler']) => routes.set(key, { access, handler });
  on('GET /api/session', 'public', (views, _input, { caller }) => session(views, caller));
  on('POST /api/login', 'public', (views, input, { response }) => {
    if (!views.auth.enabled) throw new BadRequest('ACL is off: no login needed');
    const token = views.auth.login(stringField(input, 'accessKey'), stringField(input, 'secretKey'));
    if (token === undefined) throw new BadRequest('unknown accessKey or wrong secretKey', 401);
    response.setHeader('Set-Cookie', `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
    return { ok: true };
  });
  on('POST /api/logout', 'public', (views, _input, { request, response }) => {
    views.auth.logout(request);
    response.setHeader('Set-Cookie', `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`);
    return { ok: true };
  });
  on('GET /api/cluster', 'read', (views, _input, { caller }) => views.cluster.brokers(account(caller)));
  on('GET /api/topics', 'read', (views) => views.topics.list());
  on('GET /api/topic', 'read', (views, input) => views.topics.detail(stringField(input, 'topic')));
  on('POST /api/topic', 'write', (views, input) => views.topics.createOrUpdate(input));
  on('POST /api/topic/delete', 'write', (views, input) => views.topics.delete(stringField(input, 'topic')));
  on('GET /api/groups', 'read', (views) => views.groups.list());
  on('GET /api/group', 'read', (views, input) => views.groups.detail(stringField(input, 'group')));
  on('POST /api/group/reset-offset', 'write', (views, input) => views.groups.resetOffset(input));
  on('GET /api/group/running-info', 'read', (views, input) =>
    views.groups.runningInfo(stringField(input, 'group'), stringField(input, 'clientId')),
  );
  on('GET /api/messages/by-time', 'read', (views, input) => {
    const endMs = timeField(input, 'end', Date.now());
    return views.messages.byTopicTime(stringField(input, 'topic'), timeField(input, 'begin', endMs - 3600_000), endMs);
  });
  on('GET /api/messages/by-id', 'read', (views, input) => ({
    messages: views.messages.byId(stringField(input, 'msgId'), stringField(input, 'topic', { optional: true })),
  }));
  on('GET /api/messages/by-key', 'read', (views, input) => ({
    messages: views.messages.byKey(stringField(input, 'topic'), stringField(input, 'key')),
  }));
  on('POST /api/messages/send', 'write', (views, input) => views.writer.sendTest(input));
  on('POST /api/messages/resend', 'write', (views, input) => views.writer.resend(input));
  on('GET /api/dlq', 'read', (views) => dlqList(views));
  on('GET /api/stats', 'read', (views) => ({ samples: views.stats.samples }));
  return routes;
}
