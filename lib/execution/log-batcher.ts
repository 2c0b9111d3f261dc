export interface LogLine {
  stream: "STDOUT" | "STDERR" | "AGENT" | "SYSTEM";
  text: string;
}

export interface BatcherOptions<T> {
  flush: (items: T[]) => Promise<void>;
  maxLines?: number;
  maxDelayMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * Buffers items (a run's log lines, its trace events) and hands them over in batches: when 50
 * are waiting or 2 seconds after the first one, whichever comes first. `close()` flushes the
 * rest. Flushes never overlap, so batches arrive in order.
 */
export function createBatcher<T>(options: BatcherOptions<T>) {
  const maxLines = options.maxLines ?? 50;
  const maxDelayMs = options.maxDelayMs ?? 2000;
  let pending: T[] = [];
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
    push(...items: T[]) {
      pending.push(...items);
      if (pending.length >= maxLines) void drain();
      else if (!timer && pending.length > 0) timer = setTimeout(() => void drain(), maxDelayMs);
    },
    flush: drain,
    async close() {
      await drain();
    },
  };
}

/** A batcher of log lines: long outputs arrive in chunks and are stored line by line, so the viewer can tail them. */
export function createLogBatcher(options: BatcherOptions<LogLine>) {
  const batcher = createBatcher(options);
  return {
    ...batcher,
    push(line: LogLine) {
      batcher.push(
        ...line.text
          .split(/\r?\n/)
          .filter((text) => text.length > 0)
          .map((text) => ({ stream: line.stream, text })),
      );
    },
  };
}
