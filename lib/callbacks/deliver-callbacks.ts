import "server-only";
import { recordActivity } from "@/lib/activity/record-activity";
import type { Db } from "@/lib/db/client";
import { childLogger } from "@/lib/logger";
import { ensureCallbackSecret, getCallbackSettings } from "./callback-settings";
import { postWebhook } from "./post-webhook";
import { callbackResolver, type Resolver } from "./safe-url";
import { webhookHeaders } from "./sign-webhook";

/** Attempts in all before a delivery is given up as FAILED. */
export const MAX_CALLBACK_ATTEMPTS = 8;
/** A claimed delivery is not claimed again for this long (a worker that died mid-POST). */
const CLAIM_LEASE_MS = 60_000;
const BASE_BACKOFF_MS = 10_000;
const MAX_BACKOFF_MS = 60 * 60_000;

const log = childLogger({ module: "callbacks" });

/** Exponential backoff with ±20 % jitter: ~10 s, 20 s, 40 s … capped at an hour. */
export function callbackBackoffMs(attempt: number, random = Math.random): number {
  const base = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** (attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** A 5xx, a 408/429 or a network failure may pass; other answers will not change on retry. */
function retryable(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

interface Claimed {
  id: string;
  orgId: string;
  ticketId: string;
  url: string;
  payload: unknown;
  attempts: number;
}

export interface DeliveryReport {
  delivered: number;
  retrying: number;
  failed: number;
}

/**
 * Claims the callbacks that are due (several workers share the outbox: FOR UPDATE SKIP LOCKED),
 * POSTs each signed, and records the outcome: DELIVERED on 2xx; on a 5xx, 408, 429 or network
 * error another attempt after a backoff until MAX_CALLBACK_ATTEMPTS; FAILED on any other answer or
 * when the URL now resolves somewhere it may not reach. `now` is injectable for tests.
 */
export async function deliverDueCallbacks(
  db: Db,
  options: { now?: Date; limit?: number; resolver?: Resolver; timeoutMs?: number } = {},
): Promise<DeliveryReport> {
  const now = options.now ?? new Date();
  const claimed = await db.$queryRaw<Claimed[]>`
    UPDATE "CallbackDelivery" SET attempts = attempts + 1,
      "nextAttemptAt" = ${new Date(now.getTime() + CLAIM_LEASE_MS)}
    WHERE id IN (
      SELECT id FROM "CallbackDelivery"
      WHERE status = 'PENDING' AND "nextAttemptAt" <= ${now}
      ORDER BY "nextAttemptAt" LIMIT ${options.limit ?? 10}
      FOR UPDATE SKIP LOCKED)
    RETURNING id, "orgId", "ticketId", url, payload, attempts`;
  const report: DeliveryReport = { delivered: 0, retrying: 0, failed: 0 };
  for (const delivery of claimed) {
    const outcome = await deliverOne(db, delivery, { ...options, now });
    report[outcome] += 1;
  }
  return report;
}

async function deliverOne(
  db: Db,
  delivery: Claimed,
  options: { now: Date; resolver?: Resolver; timeoutMs?: number },
): Promise<keyof DeliveryReport> {
  const [settings, secret] = await Promise.all([
    getCallbackSettings(db, delivery.orgId),
    ensureCallbackSecret(db, delivery.orgId),
  ]);
  const body = JSON.stringify(delivery.payload);
  const headers = webhookHeaders({
    secret,
    id: delivery.id,
    timestampSeconds: Math.floor(options.now.getTime() / 1000),
    body,
  });
  const outcome = await postWebhook({
    url: delivery.url,
    body,
    headers,
    allowedHosts: settings.allowedCallbackHosts,
    resolver: options.resolver ?? callbackResolver(),
    timeoutMs: options.timeoutMs,
  });
  if (outcome.kind === "response" && outcome.status >= 200 && outcome.status < 300) {
    await settle(db, delivery, { status: "DELIVERED", deliveredAt: new Date(), lastError: null });
    return "delivered";
  }
  const error =
    outcome.kind === "response"
      ? `The receiver answered ${outcome.status}`
      : outcome.kind === "refused"
        ? `Refused: ${outcome.reason}`
        : `Network error: ${outcome.message}`;
  const again =
    outcome.kind === "network" || (outcome.kind === "response" && retryable(outcome.status));
  if (again && delivery.attempts < MAX_CALLBACK_ATTEMPTS) {
    await db.callbackDelivery.update({
      where: { id: delivery.id },
      data: {
        lastError: error,
        nextAttemptAt: new Date(options.now.getTime() + callbackBackoffMs(delivery.attempts)),
      },
    });
    log.warn(
      { deliveryId: delivery.id, attempt: delivery.attempts, error },
      "callback will be retried",
    );
    return "retrying";
  }
  await settle(db, delivery, { status: "FAILED", lastError: error });
  log.warn({ deliveryId: delivery.id, attempt: delivery.attempts, error }, "callback failed");
  return "failed";
}

/**
 * Records a delivery's outcome with an activity event in the same transaction: the event is what
 * announces the change (Settings' deliveries list, the activity feed and the ticket's timeline
 * refresh on it). URLs are left out of the event, which every member reads: they may carry a token.
 */
async function settle(
  db: Db,
  delivery: Claimed,
  outcome:
    | { status: "DELIVERED"; deliveredAt: Date; lastError: null }
    | { status: "FAILED"; lastError: string },
) {
  await db.$transaction(async (tx) => {
    await tx.callbackDelivery.update({ where: { id: delivery.id }, data: outcome });
    const ticket = await tx.ticket.findFirst({
      where: { id: delivery.ticketId, orgId: delivery.orgId },
      select: { id: true, projectId: true, number: true, title: true },
    });
    if (!ticket) return;
    await recordActivity(tx, {
      orgId: delivery.orgId,
      type: outcome.status === "DELIVERED" ? "ticket.callback_delivered" : "ticket.callback_failed",
      actorKind: "SYSTEM",
      projectId: ticket.projectId,
      ticketId: ticket.id,
      data: {
        deliveryId: delivery.id,
        number: ticket.number,
        title: ticket.title,
        attempts: delivery.attempts,
        ...(outcome.status === "FAILED" ? { error: outcome.lastError } : {}),
      },
    });
  });
}
