import "server-only";
import { recordActivity } from "@/lib/activity/record-activity";
import { AppError, notFound } from "@/lib/api/app-error";
import { enqueueTicketCallback } from "@/lib/callbacks/enqueue-callback";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ActorKind, SpecState } from "@/lib/generated/prisma/enums";
import { followSpecState } from "@/lib/tickets/follow-spec-state";
import { nextSpecState, type SpecEvent } from "./state-machine";

const activityType: Record<SpecEvent["type"], string> = {
  start: "spec.started",
  phaseSucceeded: "spec.phase_finished",
  phaseFailed: "spec.phase_failed",
  approve: "spec.approved",
  requestChanges: "spec.changes_requested",
  retry: "spec.retried",
  import: "spec.imported",
  executionFinished: "spec.done",
  cancel: "spec.cancelled",
};

/**
 * Moves a spec by one event inside the caller's transaction: validates the
 * transition, writes the new state only if nobody moved the spec meanwhile
 * (compare-and-set on the state), and records the activity event.
 */
export async function transitionSpec(
  tx: Prisma.TransactionClient,
  options: {
    orgId: string;
    specId: string;
    event: SpecEvent;
    actorId?: string | null;
    actorKind?: ActorKind;
    data?: Prisma.SpecUpdateManyMutationInput;
    activityData?: Prisma.InputJsonObject;
  },
) {
  const spec = await tx.spec.findFirst({
    where: { id: options.specId, orgId: options.orgId },
    select: { id: true, state: true, projectId: true, ticketId: true },
  });
  if (!spec) throw notFound("Spec");
  const to: SpecState = nextSpecState(spec.state, options.event);
  const updated = await tx.spec.updateMany({
    where: { id: spec.id, state: spec.state },
    data: { ...options.data, state: to },
  });
  if (updated.count === 0) {
    throw new AppError(
      "CONFLICT",
      "The spec changed while you were acting on it. Reload and try again.",
      {
        currentState: spec.state,
      },
    );
  }
  await recordActivity(tx, {
    orgId: options.orgId,
    type: activityType[options.event.type],
    actorId: options.actorId ?? null,
    actorKind: options.actorKind ?? (options.actorId ? "USER" : "SYSTEM"),
    projectId: spec.projectId,
    ticketId: spec.ticketId,
    specId: spec.id,
    data: {
      from: spec.state,
      to,
      ...("phase" in options.event ? { phase: options.event.phase } : {}),
      ...options.activityData,
    },
  });
  if (spec.ticketId) {
    await followSpecState(tx, {
      orgId: options.orgId,
      ticketId: spec.ticketId,
      specId: spec.id,
      state: to,
    });
  }
  // A ticket enqueued with a callback URL hears when its work ends, in this same transaction.
  await enqueueTicketCallback(tx, {
    orgId: options.orgId,
    specId: spec.id,
    ticketId: spec.ticketId,
    state: to,
  });
  return { ...spec, from: spec.state, to };
}
