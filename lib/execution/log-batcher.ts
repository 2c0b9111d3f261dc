export interface LogLine {
  stream: "STDOUT" | "STDERR" | "AGENT" | "SYSTEM";
  text: string;
}

/**
 * Buffers a run's log lines and hands them over in batches: when 50 lines are
 * waiting or 2 seconds after the first one, whichever comes first. `close()`
 * flushes the rest. Flushes never overlap, so batches arrive in order.
 */
export function createLogBatcher(options: {
  flush: (lines: LogLine[]) => Promise<void>;
  maxLines?: number;
  maxDelayMs?: number;
  onError?: (error: unknown) => void;
}) {
  const maxLines = options.maxLines ?? 50;
  const maxDelayMs = options.maxDelayMs ?? 2000;
  let pending: LogLine[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let chain: Promise<void> = Promise.resolve();

  function drain(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return chain;
    const batch = pending;
    pending = [];
    chain = chain.then(() => options.flush(batch)).catch((error) => options.onError?.(error));
    return chain;
  }

  return {
    push(line: LogLine) {
      // Long outputs arrive in chunks; store them line by line so the viewer can tail them.
      for (const text of line.text.split(/\r?\n/)) {
        if (text.length === 0) continue;
        pending.push({ stream: line.stream, text });
      }
      if (pending.length >= maxLines) void drain();
      else if (!timer && pending.length > 0) timer = setTimeout(() => void drain(), maxDelayMs);
    },
    flush: drain,
    async close() {
      await drain();
    },
  };
}
