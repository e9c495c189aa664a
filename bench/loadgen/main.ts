// The lean load generator (issue 15 §1): pipelined SEND_MESSAGE_V2 / PULL_MESSAGE frames straight
// to one broker over a few connections with a fixed in-flight window. No RocketMQ library, no name
// server: it talks to the broker's port. It prints one LOADGEN_TICK line a second, LOADGEN_MEASURE
// when the warm-up ends, and LOADGEN_RESULT {json} at the end, with its own CPU per message.
//
//   node dist/bench/loadgen/main.js --broker 127.0.0.1:10911 [options]
//     --send-connections N  (4)     --window N     (64 in flight per send connection)
//     --size BYTES          (1024)  --queues N     (16: send to queue ids 0..N-1)
//     --refill-at F         (0.5: refill a connection's window once no more than F × window are in flight;
//                            1: at every answer)
//     --topic T             (BenchmarkTest)
//     --pull-connections N  (0)     --pull-batch N (32)  --pull-wrap (hot backlog: re-read from offset 0)
//     --pull-depth N        (4: with --pull-wrap, pulls in flight per queue at successive offsets)
//     --pull-suspend-ms N   (0 with --pull-wrap, else 1000: long polling at the log's end)
//     --seconds S           (20: measured)  --warmup S (3)
//     --count N             (stop sends after N; with --seconds 0 the run ends when all N are acknowledged)
//     --rate N              (sends per second in all; default: as fast as the window allows)
//     --max-seconds S       (600: hard stop)
import { parseArgs } from 'node:util';
import { connectFrames, type Counters, newCounters, type Pacer, PullConnection, SendConnection } from './connections';
import type { LatencySummary, SecondLatencies } from './histogram';

export interface LoadgenResult {
  seconds: number;
  sent: number;
  sendErrors: number;
  codes: Record<string, number>;
  sendTps: number;
  pulled: number;
  pullRequests: number;
  pullTps: number;
  latency: LatencySummary;
  /** this process's user+system CPU over the measured window */
  cpuSeconds: number;
  cpuUsPerMessage: number;
  ticks: number[];
  /** Send latencies of each tick's second (quantileOfSeconds takes a quantile over some of them). */
  sendLatencyBySecond: SecondLatencies[];
}

function tokenPacer(ratePerSecond: number): Pacer & { timer: NodeJS.Timeout } {
  let tokens = 0;
  let last = performance.now();
  const pacer = {
    take(): boolean {
      if (tokens < 1) return false;
      tokens--;
      return true;
    },
    timer: setInterval(() => {
      const now = performance.now();
      tokens = Math.min(tokens + ((now - last) * ratePerSecond) / 1000, Math.max(1, ratePerSecond / 100));
      last = now;
      refill();
    }, 1),
  };
  return pacer;
}

let refill: () => void = () => undefined;

async function main(): Promise<void> {
  const { values: v } = parseArgs({
    options: {
      broker: { type: 'string' },
      'send-connections': { type: 'string', default: '4' },
      window: { type: 'string', default: '64' },
      size: { type: 'string', default: '1024' },
      queues: { type: 'string', default: '16' },
      topic: { type: 'string', default: 'BenchmarkTest' },
      'pull-connections': { type: 'string', default: '0' },
      'pull-batch': { type: 'string', default: '32' },
      'pull-wrap': { type: 'boolean', default: false },
      'refill-at': { type: 'string', default: '0.5' },
      'pull-depth': { type: 'string', default: '4' },
      'pull-suspend-ms': { type: 'string' },
      seconds: { type: 'string', default: '20' },
      warmup: { type: 'string', default: '3' },
      count: { type: 'string' },
      rate: { type: 'string' },
      'max-seconds': { type: 'string', default: '600' },
    },
  });
  if (!v.broker) throw new Error('--broker host:port is required');
  const [host, portText] = v.broker.split(':');
  const sendConnections = Number(v['send-connections']);
  const pullConnections = Number(v['pull-connections']);
  const queues = Number(v.queues);
  const seconds = Number(v.seconds);
  const warmupMs = Number(v.warmup) * 1000;
  const count = v.count === undefined ? Infinity : Number(v.count);
  const maxMs = Number(v['max-seconds']) * 1000;
  const counters: Counters = newCounters();
  const limit = { remaining: count };
  const body = Buffer.alloc(Number(v.size), 'x');
  // UNIQ_KEY as the client makes it: 32 hex digits (here ip, pid, time, connection, counter)
  const uniqBase =
    `7F000001${process.pid.toString(16).padStart(4, '0').slice(-4)}${Date.now().toString(16).slice(-8)}`.toUpperCase();
  const pacer = v.rate ? tokenPacer(Number(v.rate)) : undefined;

  const senders: SendConnection[] = [];
  for (let i = 0; i < sendConnections; i++) {
    const ids = Array.from({ length: queues }, (_, q) => q).filter(
      (q) => q % sendConnections === i % Math.min(queues, sendConnections),
    );
    let sender: SendConnection | undefined;
    const socket = await connectFrames(host, Number(portText), () => sender);
    sender = new SendConnection(
      socket,
      {
        topic: v.topic!,
        producerGroup: 'loadgen_producer',
        body,
        uniqPrefix: `${uniqBase}${i.toString(16).padStart(4, '0')}`,
      },
      Number(v.window),
      ids.length > 0 ? ids : [i % queues],
      counters,
      pacer,
      limit,
      Math.max(0, Math.min(Number(v.window) - 1, Math.floor(Number(v.window) * Number(v['refill-at'])))),
    );
    senders.push(sender);
  }
  const pullers: PullConnection[] = [];
  const suspendMs = v['pull-suspend-ms'] !== undefined ? Number(v['pull-suspend-ms']) : v['pull-wrap'] ? 0 : 1000;
  for (let i = 0; i < pullConnections; i++) {
    const ids = Array.from({ length: queues }, (_, q) => q).filter((q) => q % pullConnections === i);
    if (ids.length === 0) continue;
    let puller: PullConnection | undefined;
    const socket = await connectFrames(host, Number(portText), () => puller);
    puller = new PullConnection(
      socket,
      { topic: v.topic!, consumerGroup: 'loadgen_consumer', maxMsgNums: Number(v['pull-batch']), suspendMs },
      ids,
      counters,
      v['pull-wrap']!,
      Number(v['pull-depth']),
    );
    pullers.push(puller);
  }
  refill = () => senders.forEach((s) => s.fill());

  const t0 = performance.now();
  refill();
  pullers.forEach((p) => p.start());
  await new Promise((r) => setTimeout(r, warmupMs));
  counters.measuring = true;
  const cpu0 = process.cpuUsage();
  const m0 = performance.now();
  console.log('LOADGEN_MEASURE');
  const ticks: number[] = [];
  let lastTotal = 0;
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const total = counters.sent + counters.pulled;
      ticks.push(total - lastTotal);
      counters.sendLatencyBySecond.endSecond();
      lastTotal = total;
      console.log(`LOADGEN_TICK sent=${counters.sent} pulled=${counters.pulled} errors=${counters.sendErrors}`);
      const elapsed = performance.now() - m0;
      const countDone = limit.remaining <= 0 && senders.every((s) => s.inFlight === 0);
      if ((seconds > 0 && elapsed >= seconds * 1000) || (seconds <= 0 && countDone) || performance.now() - t0 > maxMs) {
        clearInterval(tick);
        resolve();
      }
    }, 1000);
  });
  const cpu = process.cpuUsage(cpu0);
  const wallSeconds = (performance.now() - m0) / 1000;
  senders.forEach((s) => s.stop());
  pullers.forEach((p) => p.stop());
  if (pacer) clearInterval(pacer.timer);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const messages = counters.sent + counters.pulled;
  const result: LoadgenResult = {
    seconds: wallSeconds,
    sent: counters.sent,
    sendErrors: counters.sendErrors,
    codes: Object.fromEntries([...counters.codes].map(([k, n]) => [String(k), n])),
    sendTps: counters.sent / wallSeconds,
    pulled: counters.pulled,
    pullRequests: counters.pullRequests,
    pullTps: counters.pulled / wallSeconds,
    latency: counters.sendLatency.summary(),
    cpuSeconds,
    cpuUsPerMessage: messages > 0 ? (cpuSeconds * 1e6) / messages : NaN,
    ticks,
    sendLatencyBySecond: counters.sendLatencyBySecond.seconds,
  };
  console.log(`LOADGEN_RESULT ${JSON.stringify(result)}`);
  senders.forEach((s) => s.close());
  pullers.forEach((p) => p.close());
  process.exit(0);
}

// the harness stops the generator with SIGTERM once it has the result: exit cleanly, so that a
// profile asked for with LOADGEN_NODE_ARGS='--cpu-prof' is written
process.on('SIGTERM', () => process.exit(0));

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
