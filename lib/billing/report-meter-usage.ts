import "server-only";
import Stripe from "stripe";
import type { Db } from "@/lib/db/client";
import { logger } from "@/lib/logger";

/** Stripe accepts meter events up to 35 days old; an hour of margin for clocks and slow rounds. */
const MAX_AGE_MS = 35 * 24 * 60 * 60 * 1000 - 60 * 60 * 1000;

/**
 * Reports agent tokens (input + output) of paying organizations to Stripe as Billing Meter
 * events, one per UsageRecord, oldest first, and marks each reportedAt. Exactly once per
 * record: rows are locked FOR UPDATE SKIP LOCKED (two workers never take the same one), the
 * event's identifier is the record id and the request's idempotency key is derived from it, so
 * a round that dies after Stripe accepted an event but before reportedAt committed sends the
 * same event again and Stripe answers with the first result instead of counting it twice.
 * A record with no tokens is marked without a call. Stops at the first error that looks
 * temporary (network, 429, 5xx); the rest wait for the next round.
 */
export async function reportMeterUsage(
  db: Db,
  options: { stripe: Stripe; eventName: string; batchSize?: number; now?: Date },
): Promise<{ reported: number; failed: number }> {
  const { stripe, eventName } = options;
  const now = options.now ?? new Date();
  const batchSize = options.batchSize ?? 100;
  const oldest = new Date(now.getTime() - MAX_AGE_MS);
  return db.$transaction(
    async (tx) => {
      const records = await tx.$queryRaw<
        { id: string; orgId: string; customerId: string; tokens: number; createdAt: Date }[]
      >`
        SELECT u.id, u."orgId", o."stripeCustomerId" AS "customerId",
          (u."inputTokens" + u."outputTokens")::int AS tokens, u."createdAt"
        FROM "UsageRecord" u
        JOIN "Organization" o ON o.id = u."orgId"
        WHERE u."reportedAt" IS NULL
          AND u."createdAt" >= ${oldest}::timestamptz
          AND o.plan IN ('PRO', 'TEAM')
          AND o."stripeCustomerId" IS NOT NULL
        ORDER BY u."createdAt", u.id
        LIMIT ${batchSize}
        FOR UPDATE OF u SKIP LOCKED`;
      let reported = 0;
      let failed = 0;
      for (const record of records) {
        if (record.tokens > 0) {
          try {
            await stripe.billing.meterEvents.create(
              {
                event_name: eventName,
                identifier: record.id,
                timestamp: Math.floor(record.createdAt.getTime() / 1000),
                payload: { stripe_customer_id: record.customerId, value: String(record.tokens) },
              },
              { idempotencyKey: `trellis-meter-${record.id}` },
            );
          } catch (error) {
            const temporary =
              !(error instanceof Stripe.errors.StripeError) ||
              error.statusCode === undefined ||
              error.statusCode === 429 ||
              error.statusCode >= 500;
            logger.warn(
              { err: error, usageRecordId: record.id, orgId: record.orgId },
              "metered usage not reported",
            );
            failed++;
            if (temporary) break;
            continue;
          }
        }
        await tx.usageRecord.update({ where: { id: record.id }, data: { reportedAt: now } });
        reported++;
      }
      return { reported, failed };
    },
    // The transaction holds the rows while Stripe answers; the SDK's timeout bounds each call.
    { timeout: 300_000, maxWait: 10_000 },
  );
}
