import type { Logger } from "pino";
import pino from "pino";
import { env } from "@/lib/env";

/**
 * The smallest logging surface our infrastructure code needs. Both a pino logger and
 * `console` satisfy it, so scripts and tests can pass either.
 */
export interface Log {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

let capture: ((line: string) => void) | undefined;

// JSON lines on stdout (pino's synchronous default destination, no worker-thread transport),
// so every process — web, worker, CLI — logs in one machine-readable shape.
export const logger: Logger = pino({
  level: env().LOG_LEVEL,
  base: { service: env().TRELLIS_ROLE, pid: process.pid },
  timestamp: pino.stdTimeFunctions.isoTime,
  hooks: {
    streamWrite(line) {
      if (!capture) return line;
      capture(line);
      return "";
    },
  },
});

/**
 * Test hook: every line the logger (and its children) writes goes to `sink` instead of stdout,
 * exactly as it would have been written, until the returned function is called.
 */
export function captureLogLines(sink: (line: string) => void): () => void {
  capture = sink;
  return () => {
    if (capture === sink) capture = undefined;
  };
}

/** A logger that adds `bindings` (e.g. `{ module: "tickets" }`) to every line. */
export function childLogger(bindings: Record<string, unknown>): Logger {
  return logger.child(bindings);
}
