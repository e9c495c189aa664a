// Start-up time of the store for a large store, after a crash and after a clean shutdown.
//
//   node dist/bench/crash/recovery-time.js [--gb 10] [--dir /tmp/rmq-recovery] [--keep]
//
// Every step runs in its own Node process on the same store directory (default 1 GiB commit-log
// segments, default consume queues and index), the way a broker would:
//
//   fill        writes ~1 KiB messages (UNIQ_KEY + KEYS, 16 topics x 4 queues) until the commit log
//               holds --gb GiB, keeps writing, and is SIGKILLed 2 s later (abort file left);
//   crash       load() after that kill (timed), then a clean shutdown;
//   clean       load() after a clean shutdown (timed), page cache warm, then again after
//               dropping the page cache (root only);
//   crash again the store is reopened, written for 2 s and SIGKILLed; load() timed with the
//               page cache warm and dropped; then once more with the checkpoint's offsets
//               removed, which makes recovery fall back to Java's rule (scan from the start of
//               the last segment older than the checkpoint).
//
// Prints one line per step and a Markdown table; writes bench/crash/results/recovery-<date>.json.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runFill, runLoad, runTail } from './recovery-child';

const SCRIPT = __filename;

interface Step {
  step: string;
  cache: 'warm' | 'dropped';
  loadMs: number;
  checkedBytes: number;
  endPhysicalOffset: number;
  lastExitOk: boolean;
  rssMiB: number;
}

function dropPageCache(): boolean {
  spawnSync('sync');
  try {
    fs.writeFileSync('/proc/sys/vm/drop_caches', '3');
    return true;
  } catch {
    return false;
  }
}

/** Runs this script in `mode` as a child; resolves with its last JSON line. */
function child(mode: string, args: string[], killAfterLine?: string, killDelayMs = 0): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--max-old-space-size=2048', SCRIPT, mode, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let last: unknown = null;
    let buffered = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (line.startsWith('{')) last = JSON.parse(line);
        else process.stdout.write(`  [${mode}] ${line}\n`);
        if (killAfterLine !== undefined && line === killAfterLine) {
          setTimeout(() => proc.kill('SIGKILL'), killDelayMs);
        }
      }
    });
    proc.on('exit', (code, signal) => {
      if (code === 0 || signal === 'SIGKILL') resolve(last);
      else reject(new Error(`${mode} exited with ${code ?? signal}`));
    });
  });
}

async function measure(step: string, dir: string, cache: Step['cache'], shutdown: boolean): Promise<Step> {
  if (cache === 'dropped' && !dropPageCache()) throw new Error('cannot drop the page cache (not root?)');
  const result = (await child('load', [dir, shutdown ? 'shutdown' : 'stay'])) as Step;
  const line = { ...result, step, cache };
  console.log(
    `${step} (${cache} cache): load ${line.loadMs} ms, checked ${(line.checkedBytes / 2 ** 20).toFixed(1)} MiB ` +
      `of ${(line.endPhysicalOffset / 2 ** 30).toFixed(2)} GiB`,
  );
  return line;
}

/** Zeroes our offsets in the checkpoint page (bytes 24..63): recovery falls back to Java's rule. */
function forgetCheckpointOffsets(dir: string): void {
  const file = path.join(dir, 'store', 'checkpoint');
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, Buffer.alloc(40), 0, 40, 24);
  fs.closeSync(fd);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      gb: { type: 'string', default: '10' },
      dir: { type: 'string', default: '/tmp/rmq-recovery' },
      keep: { type: 'boolean', default: false },
    },
  });
  const dir = values.dir!;
  const gb = Number(values.gb);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const canDrop = dropPageCache();
  const steps: Step[] = [];
  const startedAt = Date.now();
  try {
    console.log(`filling ${gb} GiB in ${dir} ...`);
    const fill = await child('fill', [dir, String(gb)], 'FILLED', 2000);
    console.log(`fill: ${JSON.stringify(fill)}`);
    steps.push(await measure('after a crash (SIGKILL while writing)', dir, 'warm', true));
    steps.push(await measure('after a clean shutdown', dir, 'warm', true));
    if (canDrop) steps.push(await measure('after a clean shutdown', dir, 'dropped', true));
    await child('tail', [dir], 'WRITING', 2000);
    steps.push(await measure('after a crash (SIGKILL while writing)', dir, 'warm', false));
    if (canDrop) {
      await child('tail', [dir], 'WRITING', 2000);
      steps.push(await measure('after a crash (SIGKILL while writing)', dir, 'dropped', false));
    }
    await child('tail', [dir], 'WRITING', 2000);
    forgetCheckpointOffsets(dir);
    steps.push(await measure("after a crash, Java's rule (no checkpoint offsets)", dir, 'warm', true));
    if (canDrop) {
      await child('tail', [dir], 'WRITING', 2000);
      forgetCheckpointOffsets(dir);
      steps.push(await measure("after a crash, Java's rule (no checkpoint offsets)", dir, 'dropped', true));
    }
  } finally {
    if (!values.keep) fs.rmSync(dir, { recursive: true, force: true });
  }
  const table = [
    '| Start-up | Page cache | Store load | Commit log checked | Store size |',
    '|---|---|---|---|---|',
    ...steps.map(
      (s) =>
        `| ${s.step} | ${s.cache} | ${s.loadMs} ms | ${(s.checkedBytes / 2 ** 20).toFixed(1)} MiB ` +
        `| ${(s.endPhysicalOffset / 2 ** 30).toFixed(2)} GiB |`,
    ),
  ].join('\n');
  console.log(`\n${table}\n\ntotal ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
  const out = path.join(__dirname, '..', '..', '..', 'bench', 'crash', 'results');
  fs.mkdirSync(out, { recursive: true });
  const file = path.join(out, `recovery-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, JSON.stringify({ gb, steps, table }, null, 2));
  console.log(`wrote ${file}`);
}

const [mode, ...rest] = process.argv.slice(2);
const modes: Record<string, () => Promise<void>> = {
  fill: () => runFill(rest[0], Number(rest[1])),
  load: () => runLoad(rest[0], rest[1] === 'shutdown'),
  tail: () => runTail(rest[0]),
};
(modes[mode] ?? main)().catch((error) => {
  console.error(error);
  process.exit(1);
});
