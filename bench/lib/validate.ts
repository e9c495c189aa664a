// Validation of the load generator (issue 15 §1): below saturation, at the same concurrency, it must
// measure what the official benchmark Producer measures. Per side: the Producer with W threads (one
// client connection, W sync sends in flight), then the generator with one connection and a window
// of W over the same 1024 queues, each alone on a fresh broker.
import fs from 'node:fs';
import path from 'node:path';
import { runLoadgen } from './loadgen-run';
import { summarizeProducer } from './parse';
import { checkQuiet, loadText } from './quiet';
import { type RunContext, runLoad } from './runner';
import { type Side, SideServers, sideOptions } from './servers';
import { type Metric, renderMetrics, TABLE_HEAD } from './table';

export interface ValidationRow {
  side: Side;
  window: number;
  producerTps?: number;
  producerAvgRtMs?: number;
  loadgenTps?: number;
  loadgenAvgRtMs?: number;
  loadgenCpuUsPerMsg?: number;
  /** the broker's CPU per message under each */
  brokerUsPerMsgProducer?: number;
  brokerUsPerMsgLoadgen?: number;
  loadAvg: number;
  load: string;
  error?: string;
}

const WINDOWS = [1, 4];
const PRODUCER_LINES = 4;

export async function runValidation(ctx: RunContext, allowNoisy: boolean, seconds: number): Promise<ValidationRow[]> {
  const rows: ValidationRow[] = [];
  for (const side of ['java', 'ours'] as Side[]) {
    for (const window of WINDOWS) {
      const machine = await checkQuiet(`validate ${side} w=${window}`, allowNoisy);
      const row: ValidationRow = { side, window, loadAvg: machine.loadAvg1, load: loadText(machine) };
      const workDir = path.join(ctx.workRoot, `validate-${side}-${window}`);
      fs.mkdirSync(workDir, { recursive: true });
      const servers = new SideServers(sideOptions(ctx, side, workDir, { timeStartup: false }));
      try {
        await servers.start();
        const load = await runLoad(
          servers,
          { threads: window, size: 1024, producerLines: PRODUCER_LINES, probeAtLine: 0, probeSeconds: 1 },
          path.join(workDir, 'probe.json'),
        );
        const p = summarizeProducer(load.producerLines, 2, PRODUCER_LINES);
        row.producerTps = p?.sendTps;
        row.producerAvgRtMs = p?.avgRtMs;
        row.brokerUsPerMsgProducer = p?.cpuSecondsPer100k === undefined ? undefined : p.cpuSecondsPer100k * 10;
        const g = await runLoadgen({
          broker: servers.brokerAddr,
          name: 'loadgen',
          logDir: servers.logDir,
          brokerPids: [servers.broker!.pid],
          timeoutMs: 120_000,
          args: [
            '--send-connections',
            '1',
            '--window',
            String(window),
            '--refill-at',
            '1',
            '--size',
            '1024',
            '--queues',
            '1024',
            '--seconds',
            String(seconds),
            '--warmup',
            '5',
          ],
        });
        row.loadgenTps = g.result.sendTps;
        row.loadgenAvgRtMs = g.result.latency.meanMs;
        row.loadgenCpuUsPerMsg = g.result.cpuUsPerMessage;
        row.brokerUsPerMsgLoadgen = (g.brokerThreads[0].totalSeconds * 1e6) / g.result.sent;
        console.log(
          `    ${side} w=${window}: Producer ${row.producerTps?.toFixed(0)} TPS ${row.producerAvgRtMs?.toFixed(3)} ms; ` +
            `generator ${row.loadgenTps.toFixed(0)} TPS ${row.loadgenAvgRtMs.toFixed(3)} ms`,
        );
      } catch (e) {
        row.error = e instanceof Error ? e.message : String(e);
        console.log(`    validate ${side} w=${window} FAILED: ${row.error}`);
      } finally {
        await servers.stop();
        fs.rmSync(servers.storeDir, { recursive: true, force: true });
      }
      rows.push(row);
    }
  }
  return rows;
}

export function renderValidation(rows: ValidationRow[]): string {
  const out = [
    '#### Load generator vs benchmark.Producer (below saturation; "Java"/"ours" columns: Producer / generator)',
    '',
    ...TABLE_HEAD,
  ];
  for (const side of ['java', 'ours'] as Side[]) {
    for (const window of WINDOWS) {
      const r = rows.find((x) => x.side === side && x.window === window);
      if (!r) continue;
      const v = (x: number | undefined): number[] => (x === undefined ? [] : [x]);
      const metrics: Metric[] = [
        {
          name: 'send TPS: Producer | generator',
          better: 'info',
          digits: 0,
          java: v(r.producerTps),
          ours: v(r.loadgenTps),
          target: window === 1 ? 'within ±20 %' : 'generator ≥ Producer',
        },
        {
          name: 'avg RT ms: Producer | generator',
          better: 'info',
          digits: 3,
          java: v(r.producerAvgRtMs),
          ours: v(r.loadgenAvgRtMs),
        },
        {
          name: 'broker CPU µs / msg: Producer | generator',
          better: 'info',
          digits: 1,
          java: v(r.brokerUsPerMsgProducer),
          ours: v(r.brokerUsPerMsgLoadgen),
          target: 'within ±20 %',
        },
        { name: 'generator CPU µs / msg', better: 'info', digits: 1, java: [], ours: v(r.loadgenCpuUsPerMsg) },
      ];
      out.push(
        ...renderMetrics(`${side === 'java' ? 'Java' : 'our'} broker, ${window} in flight (${window} thr)`, metrics),
      );
      out.push(`| | load avg at start | ${r.load} | | | |`);
      if (r.error) out.push(`| | error | ${r.error.split('\n')[0].replace(/\|/g, '\\|')} | | | |`);
    }
  }
  out.push(
    '',
    'Same broker, one after the other: the official Producer with N threads shares one connection, so the generator runs one ' +
      'connection with a window of N (refilled at every answer, as N threads would) over the same 1024 queues. With one in flight ' +
      'both are bound by the round trip and must agree; with more, the Producer adds its own client cost (a JVM with N threads ' +
      "on the same two cores), so the generator reaching more is the point of it. What must agree at any window is the broker's " +
      "CPU per message: the generator's frames cost the broker what the official client's cost.",
    '',
  );
  return out.join('\n');
}
