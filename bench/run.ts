// `npm run bench` and its modes: the Java 4.7.1 servers and ours side by side in one run. Every run
// first records `uptime` and the busiest other processes, and refuses to start with a 1-minute load
// average above 1.5 unless --allow-noisy (then its rows are marked NOISY). Bounds are hard limits.
//
//   (default)            full: official benchmark Producer/Consumer workloads + latency probe; the headline
//                        (64 thr 1 KiB async) --runs times alternating Java/ours, median and range.  ~30 min (limit 50)
//   --quick              the headline workload only (--runs times) + start-up trials.                 ~12 min (limit 20)
//   --capacity           capacity per core: broker `taskset -c 1`, bench/loadgen on core 0; 1 KiB and
//                        128 B sends, hot pulls, send + consume, and the broker on 2 cores; per-thread
//                        CPU µs/msg. --runs (3) --seconds (15 measured).                              ~20 min (limit 35)
//   --sync-pair          SYNC_MASTER + SLAVE pairs (official Producer 64 thr 1 KiB), then ASYNC_MASTER
//                        pairs under generator load with the replication lag each second. --runs (1)
//                        --seconds (20, the ASYNC load).                                               ~6 min (limit 30)
//   --validate           the generator vs benchmark.Producer at 1 and 4 in flight, both brokers.      ~5 min (limit 15)
//   --backlog N          N × 128 B filled by the generator, restarts (clean, SIGKILL), RSS at rest,
//                        disk use, cold read from offset 0 + send p99. --java-backlog M for a smaller
//                        Java backlog, --seconds (60, the cold read). 1M: ~6 min; 100M: hours (limit 24 h)
//
//   --runs N             runs per side (alternating Java/ours); headline and --capacity 3, --sync-pair 1
//   --allow-noisy        run on a busy machine and mark the rows NOISY instead of refusing
//   --only a,b           only these workloads (bench/lib/workloads.ts ids; with --capacity, capacity ids)
//   --startup-trials N   extra start-up-only runs per side (default 2 quick, 0 full)
//   --sides java,ours    which servers to run (default both; also for --backlog and --capacity; one side gives no ratios, for profiling)
//   --profile            run our broker with node --cpu-prof; summaries under bench/results/profiles/
//   --keep               keep the temporary work folder (logs, confs)
//   --readme             also put the tables into README.md (bench:latest, or bench:<mode> markers)
//
// Writes bench/results/<timestamp>.{md,json} (and latest.md) or <timestamp>-<mode>.{md,json}.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildJava, javaBin, JAVA_BROKER_HEAP, JAVA_NAMESRV_HEAP, REPO_ROOT } from './lib/java';
import { killAll } from './lib/proc';
import { checkQuiet, loadText } from './lib/quiet';
import { type Mode, MODE_LIMIT_MIN, runMode, updateReadmeSection } from './lib/modes';
import { summarizeProfile } from './lib/profile';
import { renderJson, renderMarkdown, type Report, type RunMeta, type WorkloadPair } from './lib/report';
import { type RunContext, runSide, runStartupTrial, type SideResult } from './lib/runner';
import { type Side, snapshotOurs } from './lib/servers';
import { fullWorkloads, PROBE_RATE_PER_SECOND, quickWorkloads, type Workload } from './lib/workloads';

const HARD_LIMIT_MS = { quick: 20 * 60_000, full: 50 * 60_000 };
/** the workload run --runs times (alternating sides) for the headline ratio */
const HEADLINE_WORKLOAD = 'send-64t-1024b-async';

/** The run with the median send TPS (the lower middle one for an even count). */
function medianRun(results: SideResult[]): SideResult {
  const ok = results
    .filter((r) => r.producer?.sendTps !== undefined)
    .sort((a, b) => a.producer!.sendTps - b.producer!.sendTps);
  return ok.length > 0 ? ok[Math.floor((ok.length - 1) / 2)] : results[0];
}

function machine(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown CPU';
  return `${cpus.length} cores (${model}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Linux ${os.release()}, shared with other jobs`;
}

function commit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    }).trim();
    return dirty ? `${sha} (+ uncommitted changes in src/)` : sha;
  } catch {
    return 'unknown';
  }
}

function javaVersionLine(): string {
  const r = spawnSync(javaBin(), ['-version'], { encoding: 'utf8' });
  return (r.stderr?.split('\n')[0] ?? 'java').replace(/"/g, '');
}

function timestamp(d: Date): string {
  return d.toISOString().replace(/[:]/g, '').replace(/\..*$/, 'Z');
}

const README_START = '<!-- bench:latest:start -->';
const README_END = '<!-- bench:latest:end -->';

/** Replaces the README's table between the bench:latest markers (section "Benchmarks"). */
function updateReadme(markdown: string): void {
  const file = path.join(REPO_ROOT, 'README.md');
  const text = fs.readFileSync(file, 'utf8');
  const start = text.indexOf(README_START);
  const end = text.indexOf(README_END);
  if (start < 0 || end < start) {
    console.log(`README.md has no ${README_START} … ${README_END} markers; not updated`);
    return;
  }
  // the README's own heading levels: the table's ### heading becomes ####
  const body = markdown.replace(/^### /m, '#### ');
  fs.writeFileSync(file, `${text.slice(0, start + README_START.length)}\n${body}\n${text.slice(end)}`);
  console.log('README.md: Benchmarks table updated');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      backlog: { type: 'string' },
      'java-backlog': { type: 'string' },
      'startup-trials': { type: 'string' },
      sides: { type: 'string', default: 'java,ours' },
      profile: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      readme: { type: 'boolean', default: false },
      runs: { type: 'string' },
      'allow-noisy': { type: 'boolean', default: false },
      capacity: { type: 'boolean', default: false },
      'sync-pair': { type: 'boolean', default: false },
      validate: { type: 'boolean', default: false },
      seconds: { type: 'string' },
    },
  });
  const mode = values.quick ? 'quick' : 'full';
  const watchdog = setTimeout(() => {
    console.error(`bench: hard limit of ${HARD_LIMIT_MS[mode] / 60_000} min reached; stopping everything`);
    killAll();
    process.exit(2);
  }, HARD_LIMIT_MS[mode]);
  watchdog.unref();

  const oursDir = snapshotOurs();
  const oursCommit = commit();
  const classpath = buildJava();
  const workRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'rmq-bench-'));
  const resultsDir = path.join(REPO_ROOT, 'bench', 'results');
  const started = new Date();
  const stamp = timestamp(started);
  const profileDir = values.profile ? path.join(resultsDir, 'profiles', stamp) : undefined;
  if (profileDir) fs.mkdirSync(profileDir, { recursive: true });
  const ctx: RunContext = {
    java: { classpath, homeDir: path.join(workRoot, 'home') },
    workRoot,
    cpuProfileDir: profileDir,
    oursDir,
  };
  fs.mkdirSync(ctx.java.homeDir, { recursive: true });

  const special: Mode | undefined = values.capacity
    ? 'capacity'
    : values['sync-pair']
      ? 'sync-pair'
      : values.validate
        ? 'validate'
        : values.backlog !== undefined && !values.only
          ? 'backlog'
          : undefined;
  if (special) {
    clearTimeout(watchdog);
    const limit = setTimeout(() => {
      console.error(
        `bench: hard limit of ${MODE_LIMIT_MIN[special]} min for --${special} reached; stopping everything`,
      );
      killAll();
      process.exit(2);
    }, MODE_LIMIT_MIN[special] * 60_000);
    limit.unref();
    console.log(`bench --${special}; work folder ${workRoot}`);
    const out = await runMode(special, ctx, {
      runs: values.runs === undefined ? undefined : Number(values.runs),
      seconds: values.seconds === undefined ? undefined : Number(values.seconds),
      allowNoisy: values['allow-noisy'],
      only: values.only?.split(','),
      backlog: Number(values.backlog ?? 0),
      javaBacklog: values['java-backlog'] ? Number(values['java-backlog']) : undefined,
      sides: values.sides.split(','),
    });
    const head =
      `### Benchmark --${special} ${started.toISOString().replace(/\.\d+Z$/, 'Z')}\n\nMachine: ${machine()}. Node ${process.version}; ` +
      `${javaVersionLine()}. Commit ${oursCommit}.\n\n`;
    fs.mkdirSync(resultsDir, { recursive: true });
    fs.writeFileSync(path.join(resultsDir, `${stamp}-${special}.md`), head + out.markdown);
    // the generator's raw per-second histograms (sendLatencyBySecond) are for the harness's own
    // quantiles, already in the tables; kept in the file they made a capacity run's JSON 6 MB
    const withoutRawSeconds = (key: string, value: unknown) => (key === 'sendLatencyBySecond' ? undefined : value);
    fs.writeFileSync(path.join(resultsDir, `${stamp}-${special}.json`), JSON.stringify(out.json, withoutRawSeconds, 2));
    console.log(`\n${head}${out.markdown}\nwritten: bench/results/${stamp}-${special}.md`);
    if (values.readme)
      updateReadmeSection(
        REPO_ROOT,
        special,
        head.replace(/^### /, '#### ') + out.markdown.replace(/^#### /gm, '##### '),
      );
    if (!values.keep) fs.rmSync(workRoot, { recursive: true, force: true });
    else console.log(`work folder kept: ${workRoot}`);
    clearTimeout(limit);
    return;
  }
  const backlogCount = Number(values.backlog ?? 600000);
  let workloads = values.quick ? quickWorkloads() : fullWorkloads(backlogCount);
  if (values.only) {
    const ids = values.only.split(',');
    workloads = [...quickWorkloads(), ...fullWorkloads(backlogCount)].filter(
      (w, i, all) => ids.includes(w.id) && all.findIndex((x) => x.id === w.id) === i,
    );
  }
  console.log(`bench (${mode}): ${workloads.map((w) => w.id).join(', ')}; work folder ${workRoot}`);

  const sides = values.sides.split(',');
  const skipped = (side: Side, workload: Workload): SideResult => ({
    side,
    workload: workload.id,
    producerLines: [],
    consumerLines: [],
    wallSeconds: 0,
    loadAvgStart: NaN,
    logDir: '',
    error: 'not run (--sides)',
  });
  const pairs: WorkloadPair[] = [];
  const runs = Number(values.runs ?? 3);
  for (const workload of workloads) {
    console.log(`\n== ${workload.title}`);
    const n = workload.id === HEADLINE_WORKLOAD ? runs : 1;
    const all: Record<Side, SideResult[]> = { java: [], ours: [] };
    for (let run = 1; run <= n; run++) {
      // alternate: Java first in odd runs, ours first in even ones
      for (const side of (run % 2 === 1 ? ['java', 'ours'] : ['ours', 'java']) as Side[]) {
        if (!sides.includes(side)) continue;
        const machine = await checkQuiet(
          `${workload.id} ${side}${n > 1 ? ` run ${run}/${n}` : ''}`,
          values['allow-noisy'],
        );
        const result = await runSide(side, workload, ctx);
        result.machine = machine;
        all[side].push(result);
      }
    }
    const pick = (side: Side): SideResult => (all[side].length > 0 ? medianRun(all[side]) : skipped(side, workload));
    pairs.push({ workload, java: pick('java'), ours: pick('ours'), runs: n > 1 ? all : undefined });
  }
  const trials = Number(values['startup-trials'] ?? (values.quick ? 2 : 0));
  const startup = {
    java: pairs.map((p) => p.java.startupMs).filter((v): v is number => v !== undefined),
    ours: pairs.map((p) => p.ours.startupMs).filter((v): v is number => v !== undefined),
    bootJava: pairs.map((p) => p.java.bootLineMs).filter((v): v is number => v !== undefined),
    bootOurs: pairs.map((p) => p.ours.bootLineMs).filter((v): v is number => v !== undefined),
    trialLoads: { java: [] as string[], ours: [] as string[] },
  };
  if (trials > 0) console.log('\n== start-up trials');
  for (let i = 1; i <= trials; i++) {
    for (const side of (['java', 'ours'] as const).filter((x) => sides.includes(x))) {
      const machine = await checkQuiet(`start-up trial ${i} ${side}`, values['allow-noisy']);
      startup.trialLoads[side].push(loadText(machine));
      const trial = await runStartupTrial(side, i, ctx);
      if (trial === undefined) continue;
      startup[side].push(trial.startupMs);
      (side === 'java' ? startup.bootJava : startup.bootOurs).push(trial.bootLineMs);
    }
  }

  const meta: RunMeta = {
    date: started.toISOString().replace(/\.\d+Z$/, 'Z'),
    mode,
    machine: machine(),
    node: `Node ${process.version}`,
    java: javaVersionLine(),
    commit: oursCommit,
    javaSettings:
      `NameServer ${JAVA_NAMESRV_HEAP.join(' ')}; Broker ${JAVA_BROKER_HEAP.join(' ')} ` +
      '(runserver.sh/runbroker.sh heaps ÷ 4, no AlwaysPreTouch), JDK 17 --add-opens/--add-exports for java.nio, ' +
      'sun.nio.ch, jdk.internal.ref. Benchmark clients: -Xms1g -Xmx1g -Xmn256m (runclass.sh).',
    notes: [
      'Both brokers: brokerIP1=127.0.0.1, mappedFileSizeCommitLog=1 GiB, a fresh temporary store per workload and side, ' +
        'BenchmarkTest (1024 queues) created by the broker at start, everything else default.',
      'Send TPS / avg RT / max RT: the official rocketmq-example 4.7.0 benchmark Producer (run on the 4.7.1 client jars), ' +
        'mean of its 10-s lines after the first two (warm-up: JIT, page cache, 1024 consume-queue files); max RT is the ' +
        "tool's cumulative max, warm-up included. Consumer TPS: the official benchmark Consumer the same way.",
      `e2e latency and probe send RT: bench/java LatencyProbe, ${PROBE_RATE_PER_SECOND} msgs/s open loop to its own topic ` +
        "(sync send from 8 threads, push consumer in the same JVM, receive − send on one clock), under the workload's load.",
      'RSS: broker VmRSS (and RssAnon) peak, /proc/<pid>/status every 500 ms. ' +
        "Java's VmRSS includes the mapped commit-log pages it touched. " +
        'CPU: broker utime+stime from /proc/<pid>/stat between the Producer lines used, per 100k sent messages.',
      'Start-up: broker spawn → first successful sync send of a probe that retries every 10 ms (NameServer already up). ' +
        'The probe JVM settles 2 s after READY before the spawn; the figure still includes its first-send cost ' +
        '(class loading, JIT: about 100 ms, the same for both sides); ' +
        '"boot line" is spawn → the broker\'s "boot success" line, printed once it has registered with the NameServer.',
      'Backlog: BacklogFill writes the backlog, the broker stops, its store files are fsynced and dropped from the page cache ' +
        '(dd iflag=nocache), the broker restarts; the Producer runs 3 lines alone (the first is warm-up), then the official ' +
        'Consumer (new group, so it starts at offset 0; accessMessageInMemoryMaxRatio=90 on both brokers ' +
        'keeps a backlog past 40 % of RAM ' +
        'readable from the start) reads the cold backlog while the Producer keeps sending for 4 more ' +
        'lines (the first, the transition, is not used).',
    ],
  };
  const report: Report = { meta, pairs, startup };
  const markdown = renderMarkdown(report);
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, `${stamp}.md`), markdown);
  fs.writeFileSync(path.join(resultsDir, `${stamp}.json`), renderJson(report));
  const bothSides = sides.includes('java') && sides.includes('ours');
  if (bothSides) fs.writeFileSync(path.join(resultsDir, 'latest.md'), markdown);
  console.log(`\n${markdown}`);
  console.log(
    `written: bench/results/${stamp}.md, bench/results/${stamp}.json${bothSides ? ', bench/results/latest.md' : ''}`,
  );
  if (values.readme && bothSides) updateReadme(markdown);

  if (profileDir) {
    for (const file of fs.readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'))) {
      const summary = summarizeProfile(path.join(profileDir, file), 25);
      fs.writeFileSync(path.join(profileDir, file.replace(/\.cpuprofile$/, '.top.txt')), summary);
      console.log(`\n${file}\n${summary}`);
    }
  }
  const failed = pairs.some((p) => [p.java, p.ours].some((r) => r.error && r.logDir !== ''));
  if (values.keep || failed) console.log(`work folder kept: ${workRoot}`);
  else fs.rmSync(workRoot, { recursive: true, force: true });
  clearTimeout(watchdog);
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  killAll();
  process.exit(1);
});
