// One side of a comparison: a NameServer and a Broker (Java 4.7.1 or ours) on free loopback ports,
// with the same broker.conf, a private store and log folder. Starting the broker is timed from spawn
// to the first successful sync send of a Java probe that retries every 10 ms.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Child } from './proc';
import { freePort } from './ports';
import { ProcSampler } from './sampler';
import { BROKER_NODE_FLAGS } from '../../src/cli/node-flags';
import { type JavaContext, javaClientCommand, javaServerCommand, makeRocketmqHome, REPO_ROOT } from './java';
import { COMMIT_LOG_SEGMENT_BYTES } from './workloads';

/**
 * Copies dist/src (without tests and maps) and dist/native to bench/.snapshot so that every workload runs the
 * same build of our servers even when dist/ is rebuilt meanwhile; node_modules resolve from the
 * repository root as for dist/. Returns the snapshot folder.
 */
export function snapshotOurs(): string {
  const from = path.join(REPO_ROOT, 'dist', 'src');
  const to = path.join(REPO_ROOT, 'bench', '.snapshot');
  if (!fs.existsSync(path.join(from, 'cli', 'mqbroker.js')))
    throw new Error('no dist/src/cli/mqbroker.js: run npm run build first');
  fs.rmSync(to, { recursive: true, force: true });
  fs.cpSync(from, path.join(to, 'src'), {
    recursive: true,
    filter: (file) => !file.endsWith('.map') && !file.endsWith('.test.js'),
  });
  const native = path.join(REPO_ROOT, 'dist', 'native'); // the mapped reads' addon (src/store/mapped-view.ts)
  if (fs.existsSync(native)) fs.cpSync(native, path.join(to, 'native'), { recursive: true });
  return to;
}

export type Side = 'java' | 'ours';
export type FlushDiskType = 'ASYNC_FLUSH' | 'SYNC_FLUSH';

export const NAMESRV_BOOT = /The Name Server boot success/;
export const BROKER_BOOT = /boot success/;
const BOOT_TIMEOUT_MS = 60_000;

/** Pause between the start-up probe's READY and the broker's spawn. */
const PROBE_SETTLE_MS = 2000;

export interface ServerOptions {
  side: Side;
  java: JavaContext;
  /** a fresh folder for this side: store, confs, logs */
  workDir: string;
  flushDiskType: FlushDiskType;
  mappedFileSizeCommitLog: number;
  /** extra broker.conf lines (the workload's) */
  brokerConf?: string[];
  /** ours only: node --cpu-prof into this folder */
  cpuProfileDir?: string;
  /** ours only: the folder holding src/cli/*.js (a snapshot of dist/, see snapshotOurs) */
  oursDir: string;
  /** pin the broker with `taskset -c <cpuList>` (capacity per core); the NameServer goes to nsCpuList */
  cpuList?: string;
  nsCpuList?: string;
  /** false: wait for the broker's boot line only, no Java start-up probe (faster; no start-up figure) */
  timeStartup?: boolean;
  /** brokerId and brokerRole (a master/slave pair); default 0 and the conf's (ASYNC_MASTER) */
  brokerId?: number;
  brokerRole?: 'ASYNC_MASTER' | 'SYNC_MASTER' | 'SLAVE';
  /** use this NameServer instead of starting one (the slave of a pair) */
  nsPort?: number;
}

/**
 * The options every side of the bench starts from: a Java home of its own under workDir,
 * ASYNC_FLUSH, commit-log segments of COMMIT_LOG_SEGMENT_BYTES and ctx's snapshot of ours;
 * `overrides` change or add to them.
 */
export function sideOptions(
  ctx: { java: Omit<JavaContext, 'homeDir'>; oursDir: string },
  side: Side,
  workDir: string,
  overrides: Partial<ServerOptions> = {},
): ServerOptions {
  return {
    side,
    java: { ...ctx.java, homeDir: path.join(workDir, 'home') },
    workDir,
    flushDiskType: 'ASYNC_FLUSH',
    mappedFileSizeCommitLog: COMMIT_LOG_SEGMENT_BYTES,
    oursDir: ctx.oursDir,
    ...overrides,
  };
}

function pinned(cpuList: string | undefined, command: string[]): string[] {
  return cpuList ? ['taskset', '-c', cpuList, ...command] : command;
}

export class SideServers {
  namesrv?: Child;
  broker?: Child;
  sampler?: ProcSampler;
  nsPort = 0;
  brokerPort = 0;
  /** spawn → first accepted send, per broker start */
  readonly startupMs: number[] = [];
  /** spawn → the broker's boot line (it prints it once registered with the NameServer), per start */
  readonly bootLineMs: number[] = [];
  private brokerStarts = 0;
  readonly logDir: string;
  readonly storeDir: string;
  private readonly env: NodeJS.ProcessEnv;

  constructor(readonly opts: ServerOptions) {
    this.logDir = path.join(opts.workDir, 'logs');
    this.storeDir = path.join(opts.workDir, 'store');
    fs.mkdirSync(this.logDir, { recursive: true });
    fs.mkdirSync(opts.java.homeDir, { recursive: true });
    this.env = { ROCKETMQ_LOG_DIR: this.logDir };
    if (opts.side === 'java') {
      this.env.ROCKETMQ_HOME = makeRocketmqHome(path.join(opts.workDir, 'rmqhome'), this.logDir);
    }
  }

  get nsAddr(): string {
    return `127.0.0.1:${this.nsPort}`;
  }

  private spawn(role: string, command: string[]): Child {
    return new Child(`${this.opts.side}-${role}`, command, {
      cwd: this.opts.workDir,
      env: this.env,
      logFile: path.join(this.logDir, `${role}.out`),
    });
  }

  /** A Java client (benchmark or probe) against this side's NameServer. */
  client(role: string, mainClass: string, args: string[]): Child {
    return this.spawn(role, javaClientCommand(this.opts.java, mainClass, args));
  }

  async start(): Promise<void> {
    this.brokerPort = await freePort(true);
    if (this.opts.nsPort) {
      this.nsPort = this.opts.nsPort;
      await this.startBroker();
      return;
    }
    this.nsPort = await freePort(false);
    const nsConf = path.join(this.opts.workDir, 'namesrv.properties');
    fs.writeFileSync(nsConf, `listenPort=${this.nsPort}\n`);
    this.namesrv = this.spawn(
      'namesrv',
      pinned(
        this.opts.nsCpuList,
        this.opts.side === 'java'
          ? javaServerCommand(this.opts.java, 'namesrv', this.env.ROCKETMQ_HOME ?? '', nsConf)
          : [process.execPath, path.join(this.opts.oursDir, 'src', 'cli', 'mqnamesrv.js'), '-c', nsConf],
      ),
    );
    await this.namesrv.waitForLine(NAMESRV_BOOT, BOOT_TIMEOUT_MS);
    await this.startBroker();
  }

  private writeBrokerConf(): string {
    const conf = path.join(this.opts.workDir, 'broker.conf');
    fs.writeFileSync(
      conf,
      [
        'brokerClusterName=DefaultCluster',
        'brokerName=broker-a',
        `brokerId=${this.opts.brokerId ?? 0}`,
        ...(this.opts.brokerRole ? [`brokerRole=${this.opts.brokerRole}`, 'brokerIP2=127.0.0.1'] : []),
        `listenPort=${this.brokerPort}`,
        `namesrvAddr=${this.nsAddr}`,
        'brokerIP1=127.0.0.1',
        `storePathRootDir=${this.storeDir}`,
        `storePathCommitLog=${path.join(this.storeDir, 'commitlog')}`,
        `mappedFileSizeCommitLog=${this.opts.mappedFileSizeCommitLog}`,
        `flushDiskType=${this.opts.flushDiskType}`,
        ...(this.opts.brokerConf ?? []),
        // BENCH_BROKER_CONF='pullTurnBudgetMs=0.25;…': more broker.conf lines for our broker (experiments)
        ...(this.opts.side === 'ours' ? (process.env.BENCH_BROKER_CONF ?? '').split(';').filter((l) => l !== '') : []),
        '',
      ].join('\n'),
    );
    return conf;
  }

  private brokerCommand(conf: string): string[] {
    return pinned(this.opts.cpuList, this.unpinnedBrokerCommand(conf));
  }

  private unpinnedBrokerCommand(conf: string): string[] {
    if (this.opts.side === 'java')
      return javaServerCommand(this.opts.java, 'broker', this.env.ROCKETMQ_HOME ?? '', conf);
    // node's own profile names (CPU.<date>.<pid>.<thread>.<n>): a worker thread gets a file of its own
    const profile = this.opts.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${this.opts.cpuProfileDir}`] : [];
    // BENCH_BROKER_NODE_ARGS='--trace-gc': more node flags for our broker (its stdout is logs/broker.out)
    const extra = (process.env.BENCH_BROKER_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');
    // started as the product's launcher starts it (the mqbroker shebang's node flags)
    return [
      process.execPath,
      ...BROKER_NODE_FLAGS,
      ...extra,
      ...profile,
      path.join(this.opts.oursDir, 'src', 'cli', 'mqbroker.js'),
      '-c',
      conf,
    ];
  }

  /**
   * Spawns the broker and times it to the first accepted send; returns that time in ms. A restart
   * over a cold backlog gets longer (Java re-reads and CRC-checks the last commit-log files).
   */
  async startBroker(bootTimeoutMs = BOOT_TIMEOUT_MS): Promise<number> {
    const conf = this.writeBrokerConf();
    const role = this.brokerStarts++ === 0 ? 'broker' : `broker-${this.brokerStarts}`;
    if (this.opts.timeStartup === false) return this.startBrokerUntimed(role, conf, bootTimeoutMs);
    const probe = this.client(`${role}-startup-probe`, 'org.rmqts.bench.StartupProbe', [
      '--namesrv',
      this.nsAddr,
      '--topic',
      'BenchmarkTest',
      '--timeoutMs',
      String(bootTimeoutMs),
    ]);
    try {
      await probe.waitForLine(/^READY/, BOOT_TIMEOUT_MS);
      // The probe's JVM keeps compiling for a while after READY; on 2 cores that would be timed
      // as the broker's start-up. Let it settle first.
      await new Promise((resolve) => setTimeout(resolve, PROBE_SETTLE_MS));
      this.broker = this.spawn(role, this.brokerCommand(conf));
      if (this.sampler) this.sampler.retarget(this.broker.pid);
      else this.sampler = new ProcSampler(this.broker.pid);
      probe.write('go\n');
      const ok = await probe.waitForLine(/^FIRST_SEND_OK /, bootTimeoutMs + 5_000);
      const boot = await this.broker.waitForLine(BROKER_BOOT, bootTimeoutMs);
      this.bootLineMs.push(boot.atMs - this.broker.spawnedAtMs);
      const ms = ok.atMs - this.broker.spawnedAtMs;
      this.startupMs.push(ms);
      return ms;
    } finally {
      await probe.stop(2_000);
    }
  }

  /** Spawn → the broker's boot line (registered with the NameServer); returns that time in ms. */
  private async startBrokerUntimed(role: string, conf: string, bootTimeoutMs: number): Promise<number> {
    this.broker = this.spawn(role, this.brokerCommand(conf));
    if (this.sampler) this.sampler.retarget(this.broker.pid);
    else this.sampler = new ProcSampler(this.broker.pid);
    const boot = await this.broker.waitForLine(BROKER_BOOT, bootTimeoutMs);
    const ms = boot.atMs - this.broker.spawnedAtMs;
    this.bootLineMs.push(ms);
    return ms;
  }

  get brokerAddr(): string {
    return `127.0.0.1:${this.brokerPort}`;
  }

  /** SIGKILL the broker (crash restart); the store stays. */
  async killBroker(): Promise<void> {
    this.sampler?.sample();
    if (this.broker?.alive) {
      process.kill(this.broker.pid, 'SIGKILL');
      await this.broker.waitExit(10_000);
    }
  }

  async stopBroker(): Promise<void> {
    this.sampler?.sample();
    await this.broker?.stop(20_000);
  }

  async stop(): Promise<void> {
    this.sampler?.stop();
    await this.stopBroker();
    await this.namesrv?.stop(10_000);
  }

  /** Every file of the store (commit log, consume queues, index). */
  storeFiles(): string[] {
    const out: string[] = [];
    const walk = (dir: string): void => {
      if (!fs.existsSync(dir)) return;
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else out.push(full);
      }
    };
    for (const sub of ['commitlog', 'consumequeue', 'index']) walk(path.join(this.storeDir, sub));
    return out;
  }
}

/** Bytes of these files resident in the page cache (fincore). */
export function cachedBytes(files: string[]): number {
  let total = 0;
  for (let i = 0; i < files.length; i += 200) {
    const out = execFileSync('fincore', ['--bytes', '--noheadings', '--raw', '-o', 'RES', ...files.slice(i, i + 200)], {
      encoding: 'utf8',
    });
    for (const line of out.split('\n')) total += Number(line.trim()) || 0;
  }
  return total;
}

/**
 * Makes the store cold: fsync every file, then ask the kernel to drop its cached pages
 * (`dd iflag=nocache count=0`, posix_fadvise DONTNEED). Only for files no process maps, so the
 * broker must be stopped. Returns the cached bytes before and after.
 */
export function dropStoreCache(files: string[]): { beforeBytes: number; afterBytes: number } {
  const beforeBytes = cachedBytes(files);
  for (let i = 0; i < files.length; i += 200) execFileSync('sync', files.slice(i, i + 200));
  for (const file of files) {
    execFileSync('dd', [`if=${file}`, 'iflag=nocache', 'count=0', 'status=none']);
  }
  return { beforeBytes, afterBytes: cachedBytes(files) };
}
