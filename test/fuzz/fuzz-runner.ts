// The socket fuzzer: starts a NameServer and a broker (or uses the ones it is pointed at), checks
// that a client can send and consume, replays the regression fixtures, sends `count` hostile inputs
// (at most `seconds`), then checks: both processes alive and answering, the messages sent before
// still there, a fresh client sends and consumes, RSS back near its start; then stops the broker,
// starts it again on the same store and checks all of it once more.
import path from 'node:path';
import { RemotingClient } from '../../src/remoting/remoting-client';
import { ServerConnections } from './fuzz-connections';
import { fixtureInputs, FIXTURES_DIR, InputWindow, loadFixtures, saveFailure } from './fuzz-fixtures';
import { type FuzzInput, nextInput, type Target } from './fuzz-inputs';
import { Random } from './fuzz-random';
import { FuzzServers, isAlive, rssMiB } from './fuzz-servers';
import { expectMessages, probe, sendAndConsume } from './fuzz-checks';
import { settleRss, type RssFigures, type StoreState, storeState } from './fuzz-rss';

export interface FuzzOptions {
  count: number;
  seconds: number;
  seed: number;
  /** Use running servers instead of starting them (no RSS, process or restart checks then). */
  namesrvAddr?: string;
  brokerAddr?: string;
  lanes?: number;
  idleConnections?: number;
  heldMax?: number;
  probeEvery?: number;
  /** Where inputs that broke something are saved (undefined: not saved). */
  saveDir?: string;
  fixturesDir?: string;
  rssSlackMiB?: number;
  log?: (line: string) => void;
}

export interface FuzzReport {
  ok: boolean;
  seed: number;
  sent: number;
  byKind: Record<string, number>;
  elapsedMs: number;
  inputsPerSecond: number;
  fixturesReplayed: number;
  connectionsOpened: number;
  lanesClosedByServer: number;
  probes: number;
  probeMaxMs: number;
  rss: { namesrv?: RssFigures; broker?: RssFigures };
  /** Topics and groups in the broker's config files after the fuzz. */
  state?: StoreState;
  restart: string;
  failures: string[];
  savedFixtures: string[];
}

const WINDOW_SIZE = 256;
const BEFORE_BODIES = Array.from({ length: 10 }, (_, i) => `before-fuzz-${i}`);
const AFTER_BODIES = Array.from({ length: 10 }, (_, i) => `after-fuzz-${i}`);
const RESTART_BODIES = Array.from({ length: 10 }, (_, i) => `after-restart-${i}`);

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const log = options.log ?? (() => undefined);
  const servers = options.namesrvAddr === undefined ? new FuzzServers() : undefined;
  const report: FuzzReport = {
    ok: false,
    seed: options.seed,
    sent: 0,
    byKind: {},
    elapsedMs: 0,
    inputsPerSecond: 0,
    fixturesReplayed: 0,
    connectionsOpened: 0,
    lanesClosedByServer: 0,
    probes: 0,
    probeMaxMs: 0,
    rss: {},
    restart: 'skipped',
    failures: [],
    savedFixtures: [],
  };
  let client = new RemotingClient();
  try {
    if (servers !== undefined) await servers.start();
    const namesrvAddr = servers?.namesrv.address ?? options.namesrvAddr!;
    let brokerAddr = servers?.broker.address ?? options.brokerAddr!;
    log(`servers: NameServer ${namesrvAddr}, broker ${brokerAddr}${servers ? ` (home ${servers.home})` : ''}`);
    await sendAndConsume(client, namesrvAddr, brokerAddr, 'FuzzCheckBefore', BEFORE_BODIES);
    const rssStart = { namesrv: rssMiB(servers?.namesrv.child.pid), broker: rssMiB(servers?.broker.child.pid) };
    if (servers !== undefined) {
      report.rss.namesrv = { start: rssStart.namesrv, peak: rssStart.namesrv, end: NaN, backNearStart: false };
      report.rss.broker = { start: rssStart.broker, peak: rssStart.broker, end: NaN, backNearStart: false };
    }
    await fuzzPhase(options, report, client, namesrvAddr, brokerAddr, servers, log);
    if (report.failures.length > 0) return report;
    await probe(client, namesrvAddr, brokerAddr);
    await expectMessages(client, brokerAddr, 'FuzzCheckBefore', BEFORE_BODIES);
    await sendAndConsume(client, namesrvAddr, brokerAddr, 'FuzzCheckAfter', AFTER_BODIES);
    log('after the fuzz: both servers answer, the messages sent before are there, a fresh client sends and consumes');
    if (servers !== undefined) {
      const slackMiB = options.rssSlackMiB ?? 150;
      report.rss.namesrv = await settleRss(
        servers.namesrv.child.pid,
        rssStart.namesrv,
        report.rss.namesrv?.peak ?? rssStart.namesrv,
        slackMiB,
      );
      report.rss.broker = await settleRss(
        servers.broker.child.pid,
        rssStart.broker,
        report.rss.broker?.peak ?? rssStart.broker,
        slackMiB,
      );
      report.state = storeState(path.join(servers.home, 'store'));
      for (const [name, figures] of Object.entries(report.rss)) {
        if (figures !== undefined && !figures.backNearStart)
          report.failures.push(
            `${name} RSS ${figures.end.toFixed(0)} MiB did not come back near its start ${figures.start.toFixed(0)} MiB (+${slackMiB})`,
          );
      }
      await servers.stopBroker();
      await servers.startBroker();
      brokerAddr = servers.broker.address;
      client.shutdown();
      client = new RemotingClient();
      await expectMessages(client, brokerAddr, 'FuzzCheckBefore', BEFORE_BODIES);
      await expectMessages(client, brokerAddr, 'FuzzCheckAfter', AFTER_BODIES);
      await sendAndConsume(client, namesrvAddr, brokerAddr, 'FuzzCheckRestart', RESTART_BODIES);
      report.restart = 'ok';
      log('broker stopped and started again on the same store: it serves the old messages and new ones');
    }
    report.ok = report.failures.length === 0;
    return report;
  } catch (error) {
    report.failures.push(`check failed: ${(error as Error).message}`);
    if (servers !== undefined) {
      for (const server of [servers.namesrv, servers.broker])
        if (server !== undefined && !isAlive(server)) report.failures.push(`${server.name} died: ${server.stderrTail}`);
    }
    return report;
  } finally {
    client.shutdown();
    await servers?.stop();
  }
}

async function fuzzPhase(
  options: FuzzOptions,
  report: FuzzReport,
  client: RemotingClient,
  namesrvAddr: string,
  brokerAddr: string,
  servers: FuzzServers | undefined,
  log: (line: string) => void,
): Promise<void> {
  const heldMax = options.heldMax ?? 100;
  const targets: Record<Target, ServerConnections> = {
    namesrv: new ServerConnections(namesrvAddr, options.lanes ?? 3, heldMax),
    broker: new ServerConnections(brokerAddr, options.lanes ?? 3, heldMax),
  };
  const idle = options.idleConnections ?? 500;
  await targets.namesrv.openIdle(Math.floor(idle / 2));
  await targets.broker.openIdle(Math.ceil(idle / 2));
  const window = new InputWindow(WINDOW_SIZE);
  const startedMs = Date.now();
  const fail = (reason: string) => {
    report.failures.push(reason);
    if (options.saveDir !== undefined) {
      report.savedFixtures.push(
        saveFailure(
          options.saveDir,
          `found-seed${options.seed}-at${report.sent}`,
          `${reason} (seed ${options.seed}, after ${report.sent} inputs; the last ${WINDOW_SIZE} inputs)`,
          window.snapshot(),
        ),
      );
    }
  };
  const check = async (): Promise<boolean> => {
    if (servers !== undefined) {
      for (const server of [servers.namesrv, servers.broker]) {
        if (!isAlive(server)) {
          fail(`${server.name} died: ${server.stderrTail.slice(-1500)}`);
          return false;
        }
        const figures = report.rss[server.name as 'namesrv' | 'broker'];
        if (figures !== undefined) figures.peak = Math.max(figures.peak, rssMiB(server.child.pid));
      }
    }
    try {
      report.probeMaxMs = Math.max(report.probeMaxMs, await probe(client, namesrvAddr, brokerAddr));
      report.probes++;
      return true;
    } catch (error) {
      fail(`probe failed: ${(error as Error).message}`);
      return false;
    }
  };
  try {
    for (const fixture of loadFixtures(options.fixturesDir ?? FIXTURES_DIR)) {
      for (const input of fixtureInputs(fixture)) {
        window.push(input);
        await targets[input.target].deliverAndWait(input.bytes, 300);
      }
      if (!(await check())) return;
      report.fixturesReplayed++;
    }
    log(`replayed ${report.fixturesReplayed} regression fixtures`);
    const random = new Random(options.seed);
    const probeEvery = options.probeEvery ?? 2000;
    const deadlineMs = startedMs + options.seconds * 1000;
    let lastLogMs = startedMs;
    for (let index = 0; index < options.count && Date.now() < deadlineMs; index++) {
      const input: FuzzInput = nextInput(random, index);
      window.push(input);
      await targets[input.target].deliver(input.bytes, input.delivery);
      report.sent++;
      report.byKind[input.kind] = (report.byKind[input.kind] ?? 0) + 1;
      if (index % 64 === 63) await new Promise((resolve) => setImmediate(resolve));
      if (index % probeEvery === probeEvery - 1 && !(await check())) return;
      if (Date.now() - lastLogMs > 10_000) {
        lastLogMs = Date.now();
        const rate = report.sent / ((lastLogMs - startedMs) / 1000);
        log(
          `${report.sent} inputs, ${rate.toFixed(0)}/s, ` +
            `RSS NameServer ${rssMiB(servers?.namesrv.child.pid).toFixed(0)} MiB, ` +
            `broker ${rssMiB(servers?.broker.child.pid).toFixed(0)} MiB`,
        );
      }
    }
    await check();
  } finally {
    for (const connections of Object.values(targets)) await connections.closeAll();
    report.elapsedMs = Date.now() - startedMs;
    report.inputsPerSecond = Math.round(report.sent / Math.max(report.elapsedMs / 1000, 0.001));
    report.connectionsOpened = targets.namesrv.stats.opened + targets.broker.stats.opened;
    report.lanesClosedByServer = targets.namesrv.stats.lanesClosedByServer + targets.broker.stats.lanesClosedByServer;
  }
}
