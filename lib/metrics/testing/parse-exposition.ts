// A strict reader of the Prometheus 0.0.4 text format for tests: every line must be a HELP, a
// TYPE or a sample of the family declared just before it, label values unescaped as Prometheus
// does, and each histogram's buckets cumulative with +Inf equal to its _count.

export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface ParsedExposition {
  samples: ParsedSample[];
  types: Map<string, string>;
  help: Map<string, string>;
  /** The value of the one sample with this name and exactly these labels; throws when absent. */
  value(name: string, labels?: Record<string, string>): number;
}

const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
const HELP_LINE = new RegExp(`^# HELP (${NAME}) (.*)$`);
const TYPE_LINE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const SAMPLE_LINE = new RegExp(
  `^(${NAME})(?:\\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*",?)*)\\})? ([Nn]a[Nn]|[+-]Inf|[+-]?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?)$`,
);
const LABEL_PAIR = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"/g;

const unescapeLabelValue = (value: string) =>
  value.replace(/\\([\\"n])/g, (_, c: string) => (c === "n" ? "\n" : c));

const parseNumber = (text: string) =>
  text === "+Inf"
    ? Number.POSITIVE_INFINITY
    : text === "-Inf"
      ? Number.NEGATIVE_INFINITY
      : Number(text);

const seriesKey = (name: string, labels: Record<string, string>) =>
  `${name}${JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)))}`;

function checkHistograms(samples: ParsedSample[], types: Map<string, string>): void {
  for (const [family, type] of types) {
    if (type !== "histogram") continue;
    const groups = new Map<string, ParsedSample[]>();
    for (const sample of samples.filter((s) => s.name === `${family}_bucket`)) {
      const { le: _le, ...rest } = sample.labels;
      const key = seriesKey(family, rest);
      groups.set(key, [...(groups.get(key) ?? []), sample]);
    }
    for (const [key, buckets] of groups) {
      const bounds = buckets.map((b) => parseNumber(b.labels.le ?? "missing"));
      if (bounds.some(Number.isNaN) || bounds.at(-1) !== Number.POSITIVE_INFINITY) {
        throw new Error(`${key}: buckets need numeric le and a last +Inf`);
      }
      for (let i = 1; i < buckets.length; i++) {
        if (bounds[i]! <= bounds[i - 1]! || buckets[i]!.value < buckets[i - 1]!.value) {
          throw new Error(`${key}: buckets not increasing and cumulative`);
        }
      }
      const { le: _le, ...labels } = buckets[0]!.labels;
      const count = samples.find(
        (s) => s.name === `${family}_count` && seriesKey(family, s.labels) === key,
      );
      if (count?.value !== buckets.at(-1)!.value) throw new Error(`${key}: +Inf is not _count`);
      if (!samples.some((s) => s.name === `${family}_sum` && seriesKey(family, s.labels) === key))
        throw new Error(`${key}: no _sum for ${JSON.stringify(labels)}`);
    }
  }
}

/** Parses an exposition, throwing on the first line that is not valid 0.0.4 text format. */
export function parseExposition(text: string): ParsedExposition {
  if (!text.endsWith("\n")) throw new Error("an exposition ends with a line feed");
  const samples: ParsedSample[] = [];
  const types = new Map<string, string>();
  const help = new Map<string, string>();
  const seen = new Set<string>();
  let family: string | undefined;
  for (const [index, line] of text.slice(0, -1).split("\n").entries()) {
    const fail = (why: string) => new Error(`line ${index + 1} ${JSON.stringify(line)}: ${why}`);
    if (line === "") continue; // the format ignores empty lines
    const helpLine = HELP_LINE.exec(line);
    if (helpLine) {
      family = helpLine[1]!;
      help.set(
        family,
        helpLine[2]!.replace(/\\([\\n])/g, (_, c: string) => (c === "n" ? "\n" : c)),
      );
      continue;
    }
    const typeLine = TYPE_LINE.exec(line);
    if (typeLine) {
      const name = typeLine[1]!;
      if (name !== family || types.has(name)) throw fail("TYPE without its HELP");
      types.set(name, typeLine[2]!);
      continue;
    }
    const sampleLine = SAMPLE_LINE.exec(line);
    if (!sampleLine) throw fail("not a HELP, TYPE or sample line");
    const name = sampleLine[1]!;
    const type = family && types.get(family);
    const suffixes = type === "histogram" ? ["_bucket", "_sum", "_count"] : [""];
    if (!family || !suffixes.some((suffix) => name === `${family}${suffix}`)) {
      throw fail(`sample outside its family (${family ?? "none"})`);
    }
    const labels: Record<string, string> = {};
    for (const [, labelName, value] of (sampleLine[2] ?? "").matchAll(LABEL_PAIR)) {
      if (labelName! in labels) throw fail(`label ${labelName} twice`);
      labels[labelName!] = unescapeLabelValue(value!);
    }
    const key = seriesKey(name, labels);
    if (seen.has(key)) throw fail("the same series twice");
    seen.add(key);
    samples.push({ name, labels, value: parseNumber(sampleLine[3]!) });
  }
  checkHistograms(samples, types);
  return {
    samples,
    types,
    help,
    value(name, labels = {}) {
      const key = seriesKey(name, labels);
      const sample = samples.find((s) => seriesKey(s.name, s.labels) === key);
      if (!sample) throw new Error(`no sample ${key}`);
      return sample.value;
    },
  };
}
