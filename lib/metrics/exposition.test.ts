import { describe, expect, it } from "vitest";
import { escapeLabelValue, type MetricFamily, renderExposition } from "./exposition";
import { parseExposition } from "./testing/parse-exposition";

describe("renderExposition", () => {
  it("writes HELP, TYPE and samples, ending in a line feed", () => {
    const text = renderExposition([
      {
        name: "trellis_up",
        help: "1 while the app answers.",
        type: "gauge",
        samples: [{ value: 1 }],
      },
      {
        name: "trellis_tasks",
        help: "Tasks by status.",
        type: "gauge",
        samples: [
          { labels: { status: "QUEUED" }, value: 3 },
          { labels: { status: "DONE" }, value: 0 },
        ],
      },
    ]);
    expect(text).toBe(
      [
        "# HELP trellis_up 1 while the app answers.",
        "# TYPE trellis_up gauge",
        "trellis_up 1",
        "# HELP trellis_tasks Tasks by status.",
        "# TYPE trellis_tasks gauge",
        'trellis_tasks{status="QUEUED"} 3',
        'trellis_tasks{status="DONE"} 0',
        "",
      ].join("\n"),
    );
  });

  it("escapes backslash, double quote and line feed in label values, and reads them back", () => {
    const nasty = 'C:\\models\\"claude"\nnext line';
    expect(escapeLabelValue(nasty)).toBe('C:\\\\models\\\\\\"claude\\"\\nnext line');
    const text = renderExposition([
      {
        name: "trellis_model_calls_total",
        help: 'Calls by model ("as billed")\\ per\nline.',
        type: "counter",
        samples: [{ labels: { model: nasty }, value: 2 }],
      },
    ]);
    // No raw line feed survives: HELP, TYPE, one sample, then the final line feed.
    expect(text.split("\n")).toEqual([
      expect.any(String),
      expect.any(String),
      expect.any(String),
      "",
    ]);
    expect(text).toContain(
      '# HELP trellis_model_calls_total Calls by model ("as billed")\\\\ per\\nline.',
    );
    const parsed = parseExposition(text);
    expect(parsed.value("trellis_model_calls_total", { model: nasty })).toBe(2);
    expect(parsed.help.get("trellis_model_calls_total")).toBe(
      'Calls by model ("as billed")\\ per\nline.',
    );
  });

  it("writes histogram buckets cumulatively, with +Inf equal to the count", () => {
    const family: MetricFamily = {
      name: "trellis_run_duration_seconds",
      help: "Run durations.",
      type: "histogram",
      buckets: [1, 10, 60],
      // observations 0.5, 0.5, 7, 30, 30, 30 and two above 60 (90, 600)
      series: [{ bucketCounts: [2, 1, 3], count: 8, sum: 0.5 + 0.5 + 7 + 90 + 90 + 600 }],
    };
    const lines = renderExposition([family]).trimEnd().split("\n");
    expect(lines.slice(2)).toEqual([
      'trellis_run_duration_seconds_bucket{le="1"} 2',
      'trellis_run_duration_seconds_bucket{le="10"} 3',
      'trellis_run_duration_seconds_bucket{le="60"} 6',
      'trellis_run_duration_seconds_bucket{le="+Inf"} 8',
      "trellis_run_duration_seconds_sum 788",
      "trellis_run_duration_seconds_count 8",
    ]);
    expect(parseExposition(renderExposition([family])).types.get(family.name)).toBe("histogram");
  });

  it("puts le after a histogram series' own labels", () => {
    const text = renderExposition([
      {
        name: "h_seconds",
        help: "h",
        type: "histogram",
        buckets: [0.25],
        series: [{ labels: { kind: "task" }, bucketCounts: [0], count: 0, sum: 0 }],
      },
    ]);
    expect(text).toContain('h_seconds_bucket{kind="task",le="0.25"} 0\n');
    expect(text).toContain('h_seconds_bucket{kind="task",le="+Inf"} 0\n');
    expect(text).toContain('h_seconds_sum{kind="task"} 0\n');
  });

  it("formats special values as Prometheus parses them", () => {
    const text = renderExposition([
      {
        name: "g",
        help: "g",
        type: "gauge",
        samples: [
          { labels: { v: "nan" }, value: Number.NaN },
          { labels: { v: "inf" }, value: Number.POSITIVE_INFINITY },
          { labels: { v: "-inf" }, value: Number.NEGATIVE_INFINITY },
          { labels: { v: "small" }, value: 0.000_001_5 },
          { labels: { v: "big" }, value: 2e21 },
        ],
      },
    ]);
    const parsed = parseExposition(text);
    expect(parsed.value("g", { v: "nan" })).toBeNaN();
    expect(parsed.value("g", { v: "inf" })).toBe(Number.POSITIVE_INFINITY);
    expect(parsed.value("g", { v: "-inf" })).toBe(Number.NEGATIVE_INFINITY);
    expect(parsed.value("g", { v: "small" })).toBe(0.000_001_5);
    expect(parsed.value("g", { v: "big" })).toBe(2e21);
  });

  it("refuses what Prometheus would reject", () => {
    const gauge = (name: string, labels?: Record<string, string>): MetricFamily => ({
      name,
      help: "x",
      type: "gauge",
      samples: [{ labels, value: 1 }],
    });
    expect(() => renderExposition([gauge("1bad")])).toThrow(/metric name/);
    expect(() => renderExposition([gauge("ok", { "bad-label": "x" })])).toThrow(/label name/);
    expect(() => renderExposition([gauge("ok", { __reserved: "x" })])).toThrow(/label name/);
    expect(() => renderExposition([gauge("twice"), gauge("twice")])).toThrow(/twice/);
    expect(() =>
      renderExposition([{ name: "runs", help: "x", type: "counter", samples: [] }]),
    ).toThrow(/_total/);
    const histogram = (buckets: number[], bucketCounts: number[], count: number): MetricFamily => ({
      name: "h",
      help: "x",
      type: "histogram",
      buckets,
      series: [{ bucketCounts, count, sum: 0 }],
    });
    expect(() => renderExposition([histogram([5, 1], [0, 0], 0)])).toThrow(/increasing/);
    expect(() => renderExposition([histogram([1, Number.POSITIVE_INFINITY], [0, 0], 0)])).toThrow(
      /finite/,
    );
    expect(() => renderExposition([histogram([1, 2], [1, 1], 1)])).toThrow(/count/);
    expect(() => renderExposition([histogram([1, 2], [1], 1)])).toThrow(/bucket counts/);
  });
});

describe("parseExposition", () => {
  it("rejects lines that are not the format", () => {
    const ok = "# HELP a x\n# TYPE a gauge\n";
    expect(() => parseExposition(`${ok}a 1`)).toThrow(/line feed/);
    expect(() => parseExposition(`${ok}a{l="unterminated} 1\n`)).toThrow(/line 3/);
    expect(() => parseExposition(`${ok}a{l="x"} one\n`)).toThrow(/line 3/);
    expect(() => parseExposition(`${ok}b 1\n`)).toThrow(/outside its family/);
    expect(() => parseExposition(`${ok}a 1\na 2\n`)).toThrow(/twice/);
    expect(() =>
      parseExposition(
        '# HELP h x\n# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n',
      ),
    ).toThrow(/cumulative/);
  });
});
