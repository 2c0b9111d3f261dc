import "server-only";
import { type IntervalHistogram, monitorEventLoopDelay } from "node:perf_hooks";
import type { MetricFamily } from "./exposition";

// One monitor per process (kept on globalThis so a dev-server reload does not start another),
// started by the first scrape; names follow prom-client's default metrics.
const globalForMetrics = globalThis as unknown as { trellisEventLoopDelay?: IntervalHistogram };

function eventLoopDelay(): IntervalHistogram {
  if (!globalForMetrics.trellisEventLoopDelay) {
    const histogram = monitorEventLoopDelay({ resolution: 10 });
    histogram.enable();
    globalForMetrics.trellisEventLoopDelay = histogram;
  }
  return globalForMetrics.trellisEventLoopDelay;
}

const gauge = (name: string, help: string, value: number): MetricFamily => ({
  name,
  help,
  type: "gauge",
  samples: [{ value }],
});

/** This process's memory, CPU, start time and event-loop delay (since the previous scrape). */
export function processMetrics(): MetricFamily[] {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  const families: MetricFamily[] = [
    {
      name: "process_cpu_seconds_total",
      help: "Total user and system CPU time spent in seconds.",
      type: "counter",
      samples: [{ value: (cpu.user + cpu.system) / 1e6 }],
    },
    gauge("process_resident_memory_bytes", "Resident memory size in bytes.", memory.rss),
    gauge(
      "process_start_time_seconds",
      "Start time of the process since unix epoch in seconds.",
      Math.round(Date.now() / 1000 - process.uptime()),
    ),
    gauge(
      "nodejs_heap_size_total_bytes",
      "Process heap size from Node.js in bytes.",
      memory.heapTotal,
    ),
    gauge(
      "nodejs_heap_size_used_bytes",
      "Process heap size used from Node.js in bytes.",
      memory.heapUsed,
    ),
  ];
  const delay = eventLoopDelay();
  // Nothing measured yet (the first scrape after start): no figures rather than made-up ones.
  if (delay.count > 0) {
    const seconds = (ns: number) => ns / 1e9;
    families.push(
      gauge(
        "nodejs_eventloop_lag_mean_seconds",
        "The mean of the recorded event loop delays.",
        seconds(delay.mean),
      ),
      gauge(
        "nodejs_eventloop_lag_max_seconds",
        "The maximum recorded event loop delay.",
        seconds(delay.max),
      ),
      gauge(
        "nodejs_eventloop_lag_p50_seconds",
        "The 50th percentile of the recorded event loop delays.",
        seconds(delay.percentile(50)),
      ),
      gauge(
        "nodejs_eventloop_lag_p99_seconds",
        "The 99th percentile of the recorded event loop delays.",
        seconds(delay.percentile(99)),
      ),
    );
    delay.reset();
  }
  return families;
}
