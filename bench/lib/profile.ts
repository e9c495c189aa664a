// Summarizes a V8 .cpuprofile (node --cpu-prof): self time per function and per file, top first.
import fs from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

function shortUrl(url: string): string {
  const ours = /\/(?:dist|bench\/\.snapshot)\/(src\/.*)$/.exec(url);
  if (ours) return ours[1];
  if (url.startsWith('node:')) return url;
  return url ? path.basename(url) : '(native)';
}

export function summarizeProfile(file: string, top = 25): string {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  // self time from samples × time deltas (more exact than hitCount × interval)
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const dt = deltas[i + 1] ?? 0;
    selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + dt);
  }
  const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0) || 1;
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (us === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = shortUrl(url);
    const key = `${functionName || '(anonymous)'}  ${where}${url ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const file = url ? where : functionName; // (program), (garbage collector), (idle)
    if (functionName !== '(idle)') byFile.set(file, (byFile.get(file) ?? 0) + us);
  }
  const lines: string[] = [];
  const wallS = (profile.endTime - profile.startTime) / 1e6;
  const idle = [...byFunction.entries()].filter(([k]) => k.startsWith('(idle)')).reduce((a, [, v]) => a + v, 0);
  lines.push(
    `profile ${path.basename(file)}: ${wallS.toFixed(1)} s wall, ${(totalUs / 1e6).toFixed(1)} s sampled, ` +
      `${(((totalUs - idle) / totalUs) * 100).toFixed(1)}% busy (main thread)`,
  );
  lines.push('', `top ${top} functions by self time (% of busy main-thread time):`);
  const busy = totalUs - idle || 1;
  const sorted = [...byFunction.entries()].filter(([k]) => !k.startsWith('(idle)')).sort((a, b) => b[1] - a[1]);
  for (const [key, us] of sorted.slice(0, top)) {
    lines.push(`  ${((us / busy) * 100).toFixed(1).padStart(5)}%  ${(us / 1e3).toFixed(0).padStart(7)} ms  ${key}`);
  }
  lines.push('', 'by file (% of busy main-thread time):');
  const files = [...byFile.entries()].sort((a, b) => b[1] - a[1]).slice(0, 20);
  for (const [where, us] of files) lines.push(`  ${((us / busy) * 100).toFixed(1).padStart(5)}%  ${where}`);
  return lines.join('\n');
}

if (require.main === module) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node dist/bench/lib/profile.js <file.cpuprofile> [top]');
    process.exit(2);
  }
  console.log(summarizeProfile(file, Number(top ?? 25)));
}
