// A lean pipelined SEND_MESSAGE_V2 load generator for the main-thread CPU measurement (issue #15 §2):
// `connections` sockets, each keeping `window` requests in flight, frames pre-encoded once (only
// the opaque differs), responses counted by their length prefix and code. Bounded by `durationMs`.
// Beside it, the broker's CPU split from /proc: the main thread (tid == pid) vs every other thread.
//
//   node dist/bench/workers/send-load.js <brokerPort> <brokerPid> [seconds] [connections] [window] [bodyBytes]
import fs from 'node:fs';
import net from 'node:net';
import { createRequestCommand, encodeRemotingCommand } from '../../src/codec/remoting-command';
import { RequestCode } from '../../src/codec/request-code';

const POOL_FRAMES = 4096;
const TOPIC = 'BenchmarkTest';

function sendFrames(bodyBytes: number, queueCount: number): Buffer[] {
  const body = Buffer.alloc(bodyBytes, 0x61);
  const frames: Buffer[] = [];
  for (let i = 0; i < POOL_FRAMES; i++) {
    const extFields = {
      a: 'bench_pg',
      b: TOPIC,
      c: 'TBW102',
      d: '4',
      e: String(i % queueCount),
      f: '0',
      g: String(Date.now()),
      h: '0',
      i: 'WAIT\u0001true\u0002TAGS\u0001TagA\u0002',
      j: '0',
      k: 'false',
      m: 'false',
    };
    frames.push(encodeRemotingCommand(createRequestCommand(RequestCode.SEND_MESSAGE_V2, i + 1, { extFields, body })));
  }
  return frames;
}

export interface ThreadCpu {
  mainTicks: number;
  mainSystemTicks: number;
  otherTicks: number;
}

/** utime+stime (clock ticks) of the main thread (tid == pid) and of all other threads of `pid`. */
export function threadCpu(pid: number): ThreadCpu {
  let mainTicks = 0;
  let mainSystemTicks = 0;
  let otherTicks = 0;
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // thread ended
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14, 15)
    if (Number(tid) === pid) {
      mainTicks += ticks;
      mainSystemTicks += Number(fields[12]);
    } else otherTicks += ticks;
  }
  return { mainTicks, mainSystemTicks, otherTicks };
}

interface LoadResult {
  sent: number;
  ok: number;
  failed: number;
  elapsedMs: number;
}

function runConnection(
  port: number,
  frames: Buffer[],
  window: number,
  deadlineMs: number,
  result: LoadResult,
): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    let next = 0;
    let inFlight = 0;
    let pending: Buffer = Buffer.alloc(0);
    const pump = () => {
      socket.cork();
      while (inFlight < window && performance.now() < deadlineMs) {
        socket.write(frames[next]);
        next = (next + 1) % frames.length;
        inFlight++;
        result.sent++;
      }
      socket.uncork();
      if (inFlight === 0) socket.end();
    };
    socket.on('connect', pump);
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      let at = 0;
      while (pending.length - at >= 4) {
        const length = pending.readInt32BE(at);
        if (pending.length - at < 4 + length) break;
        const headerLength = pending.readUIntBE(at + 5, 3);
        const header = pending.toString('latin1', at + 8, at + 8 + headerLength);
        if (header.includes('"code":0,')) result.ok++;
        else result.failed++;
        at += 4 + length;
        inFlight--;
      }
      pending = pending.subarray(at);
      pump();
    });
    socket.on('error', () => resolve());
    socket.on('close', () => resolve());
  });
}

export async function sendLoad(
  port: number,
  seconds: number,
  connections: number,
  window: number,
  bodyBytes: number,
): Promise<LoadResult> {
  const frames = sendFrames(bodyBytes, 8);
  const result: LoadResult = { sent: 0, ok: 0, failed: 0, elapsedMs: 0 };
  const startMs = performance.now();
  const deadlineMs = startMs + seconds * 1000;
  const runs = [];
  for (let i = 0; i < connections; i++) runs.push(runConnection(port, frames, window, deadlineMs, result));
  await Promise.all(runs);
  result.elapsedMs = performance.now() - startMs;
  return result;
}

async function main(): Promise<void> {
  const [port, pid, seconds = 10, connections = 4, window = 64, bodyBytes = 1024] = process.argv.slice(2).map(Number);
  const ticksPerSecond = 100; // getconf CLK_TCK on Linux
  await sendLoad(port, 1, connections, window, bodyBytes); // warm-up (topic creation, JIT)
  const before = threadCpu(pid);
  const clientBefore = process.cpuUsage();
  const result = await sendLoad(port, seconds, connections, window, bodyBytes);
  const after = threadCpu(pid);
  const client = process.cpuUsage(clientBefore);
  const mainUs = ((after.mainTicks - before.mainTicks) * 1e6) / ticksPerSecond;
  const mainSystemUs = ((after.mainSystemTicks - before.mainSystemTicks) * 1e6) / ticksPerSecond;
  const otherUs = ((after.otherTicks - before.otherTicks) * 1e6) / ticksPerSecond;
  const tps = (result.ok * 1000) / result.elapsedMs;
  console.log(
    JSON.stringify({
      tps: Math.round(tps),
      ok: result.ok,
      failed: result.failed,
      mainUsPerMsg: +(mainUs / result.ok).toFixed(2),
      mainKernelUsPerMsg: +(mainSystemUs / result.ok).toFixed(2),
      otherUsPerMsg: +(otherUs / result.ok).toFixed(2),
      clientUsPerMsg: +((client.user + client.system) / result.ok).toFixed(2),
      uptime: fs.readFileSync('/proc/loadavg', 'utf8').trim(),
    }),
  );
}

if (require.main === module) void main();
