// Tables over several runs: each cell is the median with the range of the runs beside it, and the
// ratio column compares the medians. Shared by the capacity, SYNC_MASTER pair and backlog sections.
import { spread } from './quiet';
import type { Side } from './servers';

export type Better = 'higher' | 'lower' | 'info';

export interface Metric {
  name: string;
  better: Better;
  digits: number;
  java: number[];
  ours: number[];
  /** the target on ours ÷ Java, shown beside the ratio, e.g. '≥ 2×' */
  target?: string;
}

/**
 * The row maker of a section: `of(side, f)` gives f over one side's samples; a row is
 * (name, better, digits, f, target) with Java's and our values from it.
 */
export function metricMaker<F>(
  of: (side: Side, f: F) => number[],
): (name: string, better: Better, digits: number, f: F, target?: string) => Metric {
  return (name, better, digits, f, target) => ({
    name,
    better,
    digits,
    java: of('java', f),
    ours: of('ours', f),
    target,
  });
}

function num(v: number | undefined, digits: number): string {
  if (v === undefined || !Number.isFinite(v)) return '–';
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function cell(xs: number[], digits: number): string {
  const s = spread(xs);
  if (s.median === undefined) return '–';
  if (xs.length < 2) return num(s.median, digits);
  return `${num(s.median, digits)} (${num(s.min, digits)}–${num(s.max, digits)})`;
}

export function ratioText(m: Metric): string {
  const j = spread(m.java).median;
  const o = spread(m.ours).median;
  if (j === undefined || o === undefined || j === 0) return '–';
  const r = o / j;
  const text = `${r.toFixed(2)}×`;
  if (m.better === 'info') return text;
  return (m.better === 'higher' ? r >= 1 : r <= 1) ? `**${text}**` : text;
}

/** Markdown rows: | section | metric | Java | ours | ratio | target | */
export function renderMetrics(section: string, metrics: Metric[]): string[] {
  const out: string[] = [];
  metrics.forEach((m, i) => {
    if (m.java.length === 0 && m.ours.length === 0) return;
    out.push(
      `| ${i === 0 ? `**${section}**` : ''} | ${m.name} | ${cell(m.java, m.digits)} | ${cell(m.ours, m.digits)} ` +
        `| ${ratioText(m)} | ${m.target ?? ''} |`,
    );
  });
  return out;
}

export const TABLE_HEAD = [
  '| Workload | Metric | Java 4.7.1 median (range) | Ours median (range) | Ours ÷ Java | Target |',
  '|---|---|---:|---:|---:|---|',
];
