// The separate entry points of `npm run bench`: --capacity, --sync-pair, --validate and --backlog N.
// Each writes bench/results/<stamp>-<mode>.{md,json} (and, with --readme, its README section).
import fs from 'node:fs';
import path from 'node:path';
import { renderBacklog, runBacklog } from './backlog';
import { renderCapacity, runCapacity } from './capacity';
import { renderPairs, runPairs } from './pair';
import type { RunContext } from './runner';
import { renderValidation, runValidation } from './validate';

export type Mode = 'capacity' | 'sync-pair' | 'validate' | 'backlog';

export interface ModeArgs {
  runs?: number;
  seconds?: number;
  allowNoisy: boolean;
  only?: string[];
  backlog: number;
  javaBacklog?: number;
  /** --sides: the backlog and capacity modes run only these (one side gives no ratios: for profiling) */
  sides: string[];
}

/** Bounds of each mode, in minutes, for the watchdog (stated in the README). */
export const MODE_LIMIT_MIN: Record<Mode, number> = { capacity: 35, 'sync-pair': 30, validate: 15, backlog: 24 * 60 };

export async function runMode(mode: Mode, ctx: RunContext, a: ModeArgs): Promise<{ markdown: string; json: unknown }> {
  if (mode === 'capacity') {
    const o = {
      runs: a.runs ?? 3,
      seconds: a.seconds ?? 15,
      warmupSeconds: 5,
      allowNoisy: a.allowNoisy,
      only: a.only,
      sides: (['java', 'ours'] as const).filter((side) => a.sides.includes(side)),
    };
    const samples = await runCapacity(ctx, o);
    return { markdown: renderCapacity(samples, o), json: { options: o, samples } };
  }
  if (mode === 'sync-pair') {
    const o = { runs: a.runs ?? 1, allowNoisy: a.allowNoisy, producerLines: 6, asyncSeconds: a.seconds ?? 20 };
    const samples = await runPairs(ctx, o);
    return { markdown: renderPairs(samples, o), json: { options: o, samples } };
  }
  if (mode === 'validate') {
    const rows = await runValidation(ctx, a.allowNoisy, a.seconds ?? 20);
    return { markdown: renderValidation(rows), json: { rows } };
  }
  const o = {
    count: a.backlog,
    javaCount: a.javaBacklog ?? a.backlog,
    allowNoisy: a.allowNoisy,
    readSeconds: a.seconds ?? 60,
    sides: (['java', 'ours'] as const).filter((side) => a.sides.includes(side)),
  };
  const samples = await runBacklog(ctx, o);
  return { markdown: renderBacklog(samples, o), json: { options: o, samples } };
}

const README_MARK = (mode: Mode, end: boolean): string => `<!-- bench:${mode}:${end ? 'end' : 'start'} -->`;

/** Replaces the README's block between <!-- bench:<mode>:start/end --> (section "Benchmarks"). */
export function updateReadmeSection(repoRoot: string, mode: Mode, markdown: string): void {
  const file = path.join(repoRoot, 'README.md');
  const text = fs.readFileSync(file, 'utf8');
  const start = text.indexOf(README_MARK(mode, false));
  const end = text.indexOf(README_MARK(mode, true));
  if (start < 0 || end < start) {
    console.log(`README.md has no ${README_MARK(mode, false)} markers; not updated`);
    return;
  }
  fs.writeFileSync(file, `${text.slice(0, start + README_MARK(mode, false).length)}\n${markdown}\n${text.slice(end)}`);
  console.log(`README.md: ${mode} table updated`);
}
