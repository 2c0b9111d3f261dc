// The Prometheus text exposition format, version 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/): what GET /api/metrics serves.
// Written here rather than taken from prom-client because its registry keeps state per process
// and every Trellis figure is read from the database at scrape time; this only formats.

export const EXPOSITION_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export type Labels = Readonly<Record<string, string>>;

export interface Sample {
  labels?: Labels;
  value: number;
}

export interface HistogramSeries {
  labels?: Labels;
  /** Observations in each bucket alone (not cumulative), one per upper bound of the family. */
  bucketCounts: readonly number[];
  /** Every observation, including those above the last bound (the +Inf bucket). */
  count: number;
  sum: number;
}

export type MetricFamily =
  | {
      name: string;
      help: string;
      /** A counter's name ends in `_total`, as in the 0.0.4 format's TYPE line. */
      type: "counter" | "gauge";
      samples: readonly Sample[];
    }
  | {
      name: string;
      help: string;
      type: "histogram";
      /** Upper bounds (`le`), increasing and finite; +Inf is added. */
      buckets: readonly number[];
      series: readonly HistogramSeries[];
    };

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A label value inside double quotes: backslash, double quote and line feed escaped. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** HELP text: backslash and line feed escaped (a double quote stays as it is). */
export function escapeHelp(help: string): string {
  return help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

/** A sample value or bound as Prometheus parses it (Go's ParseFloat): NaN, +Inf, -Inf, decimals. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(value);
}

function formatLabels(labels: Labels | undefined, extra?: [string, string]): string {
  const pairs = Object.entries(labels ?? {});
  if (extra) pairs.push(extra);
  if (pairs.length === 0) return "";
  for (const [name] of pairs) {
    if (!LABEL_NAME.test(name) || name.startsWith("__")) {
      throw new Error(`invalid label name ${JSON.stringify(name)}`);
    }
  }
  return `{${pairs.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(",")}}`;
}

function histogramLines(family: Extract<MetricFamily, { type: "histogram" }>): string[] {
  const { name, buckets } = family;
  for (const [i, bound] of buckets.entries()) {
    if (!Number.isFinite(bound) || (i > 0 && bound <= buckets[i - 1]!)) {
      throw new Error(`${name}: bucket bounds must be finite and increasing`);
    }
  }
  const lines: string[] = [];
  for (const series of family.series) {
    if (series.labels && "le" in series.labels) throw new Error(`${name}: "le" is reserved`);
    if (series.bucketCounts.length !== buckets.length) {
      throw new Error(`${name}: ${buckets.length} bucket counts expected`);
    }
    let cumulative = 0;
    for (const [i, bound] of buckets.entries()) {
      cumulative += series.bucketCounts[i]!;
      lines.push(
        `${name}_bucket${formatLabels(series.labels, ["le", formatValue(bound)])} ${cumulative}`,
      );
    }
    if (series.count < cumulative) {
      throw new Error(`${name}: count ${series.count} is less than the buckets' ${cumulative}`);
    }
    lines.push(`${name}_bucket${formatLabels(series.labels, ["le", "+Inf"])} ${series.count}`);
    lines.push(`${name}_sum${formatLabels(series.labels)} ${formatValue(series.sum)}`);
    lines.push(`${name}_count${formatLabels(series.labels)} ${series.count}`);
  }
  return lines;
}

/** The families as one exposition document: HELP, TYPE, then each sample, ending in a line feed. */
export function renderExposition(families: readonly MetricFamily[]): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const family of families) {
    const { name } = family;
    if (!METRIC_NAME.test(name)) throw new Error(`invalid metric name ${JSON.stringify(name)}`);
    if (seen.has(name)) throw new Error(`metric ${name} appears twice`);
    seen.add(name);
    if (family.type === "counter" && !name.endsWith("_total")) {
      throw new Error(`counter ${name} must end in _total`);
    }
    lines.push(`# HELP ${name} ${escapeHelp(family.help)}`, `# TYPE ${name} ${family.type}`);
    if (family.type === "histogram") lines.push(...histogramLines(family));
    else {
      for (const sample of family.samples) {
        lines.push(`${name}${formatLabels(sample.labels)} ${formatValue(sample.value)}`);
      }
    }
  }
  return `${lines.join("\n")}\n`;
}
