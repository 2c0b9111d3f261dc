import "server-only";
import type { Db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { childLogger } from "@/lib/logger";
import { reportMeterUsage } from "./report-meter-usage";
import { getStripe } from "./stripe-client";

const BATCH = 100;

/**
 * The worker's metered-usage loop: every `intervalMs`, reports unreported token usage of
 * paying organizations to Stripe (reportMeterUsage), batch after batch until none is left.
 * Off (a no-op) unless STRIPE_SECRET_KEY and STRIPE_METER_EVENT are set. Several workers may
 * run it at once; each record is still reported once.
 */
export function startMeterReporter(db: Db, options: { intervalMs?: number } = {}) {
  const log = childLogger({ module: "meter-reporter" });
  const client = getStripe();
  const meter = env().STRIPE_METER_EVENT;
  if (!client || !meter) {
    log.debug("metered usage reporting is off (STRIPE_SECRET_KEY or STRIPE_METER_EVENT unset)");
    return { stop: async () => {} };
  }
  const stripe = client;
  const eventName = meter;
  const intervalMs = options.intervalMs ?? 60_000;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let round: Promise<void> | undefined;

  async function tick() {
    try {
      for (;;) {
        const { reported, failed } = await reportMeterUsage(db, {
          stripe,
          eventName,
          batchSize: BATCH,
        });
        if (reported > 0) log.info({ reported }, "metered usage reported to Stripe");
        if (stopped || failed > 0 || reported < BATCH) break;
      }
    } catch (error) {
      log.error({ err: error }, "metered usage round failed");
    }
  }

  function schedule(delay: number) {
    if (stopped) return;
    timer = setTimeout(() => {
      round = tick().finally(() => schedule(intervalMs));
    }, delay);
  }

  schedule(0);
  log.info({ intervalMs }, "metered usage reporter started");
  return {
    /** Stops scheduling rounds and waits for the one under way. */
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await round;
    },
  };
}
