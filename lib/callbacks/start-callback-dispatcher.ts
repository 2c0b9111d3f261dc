import "server-only";
import type { Db } from "@/lib/db/client";
import { childLogger } from "@/lib/logger";
import { deliverDueCallbacks } from "./deliver-callbacks";

/** The worker's loop over the callback outbox: delivers due callbacks every `pollMs`. */
export function startCallbackDispatcher(db: Db, options: { pollMs?: number } = {}) {
  const log = childLogger({ module: "callbacks" });
  const pollMs = options.pollMs ?? 2000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let current: Promise<unknown> = Promise.resolve();

  async function tick() {
    try {
      // Drain what is due, a batch at a time, before sleeping again.
      for (;;) {
        const report = await deliverDueCallbacks(db);
        if (report.delivered + report.retrying + report.failed === 0 || stopped) break;
      }
    } catch (error) {
      log.error({ err: error }, "callback dispatch failed");
    }
    if (!stopped) timer = setTimeout(() => (current = tick()), pollMs);
  }

  current = tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
