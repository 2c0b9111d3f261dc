import "server-only";
import { collectDefaultMetrics, Registry } from "prom-client";

// One registry per process (kept on globalThis so a dev-server reload does not start a second
// set of collectors): prom-client's standard process and Node.js metrics — CPU, memory, start
// time, heap, event-loop lag, handles, garbage collection.
const globalForMetrics = globalThis as unknown as { trellisProcessMetrics?: Registry };

/** This process's metrics, collected by prom-client. */
export function processRegistry(): Registry {
  if (!globalForMetrics.trellisProcessMetrics) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    globalForMetrics.trellisProcessMetrics = registry;
  }
  return globalForMetrics.trellisProcessMetrics;
}
