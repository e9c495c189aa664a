// One Prometheus metric family as a /metrics endpoint builds it from the server's own state,
// before prom-client renders it: a name, a help line, a type, the label names in the order
// rocketmq-exporter gives them (RMQMetricsCollector's *_LABEL_NAMES) and one sample per label set.
// Building families is pure bookkeeping over the server's tables, so it is tested without HTTP.

export type MetricType = 'gauge' | 'counter';

export interface MetricSample {
  /** Label values, in the family's labelNames order. */
  labels: string[];
  value: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: MetricType;
  labelNames: readonly string[];
  samples: MetricSample[];
}

/** At most this many samples per family, so a broker with huge topic/group tables answers a bounded page. */
export const MAX_SAMPLES_PER_FAMILY = 50_000;

export class FamilyBuilder {
  readonly families: MetricFamily[] = [];

  /** Starts a family; `add` appends samples to it. Names must be unique within one builder. */
  family(name: string, help: string, labelNames: readonly string[], type: MetricType = 'gauge'): MetricFamily {
    if (this.families.some((existing) => existing.name === name))
      throw new Error(`metric family ${name} defined twice`);
    const family: MetricFamily = { name, help, type, labelNames, samples: [] };
    this.families.push(family);
    return family;
  }
}

/** Appends one sample; label count must match the family's (an invariant of the builders). */
export function addSample(family: MetricFamily, labels: readonly (string | number)[], value: number): void {
  if (labels.length !== family.labelNames.length) {
    throw new Error(`${family.name}: ${labels.length} label values for ${family.labelNames.length} label names`);
  }
  if (family.samples.length >= MAX_SAMPLES_PER_FAMILY) return;
  family.samples.push({ labels: labels.map(String), value: Number.isFinite(value) ? value : 0 });
}

/** rocketmq-exporter's Utils.getFixedDouble: at most two decimals (DecimalFormat "#.##"). */
export function fixedDouble(value: number): number {
  return Math.round(value * 100) / 100;
}

/** A label value in the text format: backslash, double quote and line feed escaped. */
function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** A HELP text: backslash and line feed escaped. */
function escapeHelp(help: string): string {
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** A sample value as the text format writes it (Go's ParseFloat spellings for the non-finite ones). */
function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

/**
 * The families in the Prometheus text exposition format 0.0.4 (HELP, TYPE, one line per sample,
 * labels in the family's order). Written here rather than through prom-client's registry: a broker
 * with thousands of topic/group samples renders in milliseconds instead of blocking the event loop
 * for a tenth of a second per scrape.
 */
export function renderTextFormat(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) {
      const labels = family.labelNames.map((name, i) => `${name}="${escapeLabelValue(sample.labels[i])}"`).join(',');
      lines.push(`${family.name}${labels === '' ? '' : `{${labels}}`} ${formatValue(sample.value)}`);
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
