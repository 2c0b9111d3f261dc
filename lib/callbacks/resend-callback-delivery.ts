import "server-only";
import { z } from "zod";
import { activityActor, recordActivity } from "@/lib/activity/record-activity";
import { AppError, notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { callbackDeliverySelect } from "./list-callback-deliveries";

export const resendCallbackDeliverySchema = z.object({ deliveryId: z.string().min(1) });
export type ResendCallbackDeliveryInput = z.infer<typeof resendCallbackDeliverySchema>;

/**
 * Queues a failed or delivered callback to be sent again now: the same row goes back to PENDING
 * with its attempts reset, so the worker sends the same payload under the same webhook-id (the
 * Standard Webhooks idempotency key for a resent message), checking the URL and signing it at
 * delivery time as for any delivery. A pending delivery is already queued: CONFLICT. Returns the
 * delivery as it now is.
 */
export async function resendCallbackDelivery(
  db: Db,
  options: { actor: Actor; input: ResendCallbackDeliveryInput; now?: Date },
) {
  const { actor } = options;
  assertCan(actor, "manage");
  const { deliveryId } = resendCallbackDeliverySchema.parse(options.input);
  const now = options.now ?? new Date();
  return db.$transaction(async (tx) => {
    const delivery = await tx.callbackDelivery.findFirst({
      where: { id: deliveryId, orgId: actor.orgId },
      select: {
        status: true,
        attempts: true,
        lastError: true,
        ticket: { select: { id: true, projectId: true, number: true, title: true } },
      },
    });
    if (!delivery) throw notFound("Callback delivery");
    // The status condition keeps a concurrent send again (or the worker) from being overtaken.
    const { count } = await tx.callbackDelivery.updateMany({
      where: { id: deliveryId, orgId: actor.orgId, status: { in: ["FAILED", "DELIVERED"] } },
      data: {
        status: "PENDING",
        attempts: 0,
        nextAttemptAt: now,
        lastError: null,
        deliveredAt: null,
      },
    });
    if (count === 0) {
      throw new AppError(
        "CONFLICT",
        "This callback is already queued; it will be sent on its next attempt.",
      );
    }
    await recordActivity(tx, {
      orgId: actor.orgId,
      type: "ticket.callback_resent",
      ...activityActor(actor),
      projectId: delivery.ticket.projectId,
      ticketId: delivery.ticket.id,
      data: {
        deliveryId,
        number: delivery.ticket.number,
        title: delivery.ticket.title,
        previousStatus: delivery.status,
        previousAttempts: delivery.attempts,
        previousError: delivery.lastError,
      },
    });
    return tx.callbackDelivery.findUniqueOrThrow({
      where: { id: deliveryId },
      select: callbackDeliverySelect,
    });
  });
}
