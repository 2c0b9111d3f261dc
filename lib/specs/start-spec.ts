import "server-only";
import { z } from "zod";
import { activityActor } from "@/lib/activity/record-activity";
import { assertCanStartWork } from "@/lib/billing/assert-can-start-work";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ActorKind } from "@/lib/generated/prisma/enums";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { nextArtifactVersion } from "./next-artifact-version";
import type { SpecPhaseRequest } from "./phase-event";
import { requestPhaseRun } from "./request-phase-run";
import { transitionSpec } from "./transition-spec";

export const startSpecSchema = z.object({ specId: z.string().min(1) });

/** Starts a draft spec: the requirements phase is queued. */
export async function startSpec(
  db: Db,
  options: { actor: Actor; input: z.input<typeof startSpecSchema> },
) {
  const { actor } = options;
  assertCan(actor, "write");
  const { specId } = startSpecSchema.parse(options.input);
  const request = await db.$transaction((tx) =>
    applyStartSpec(tx, { orgId: actor.orgId, specId, ...activityActor(actor) }),
  );
  await requestPhaseRun(request);
  return request;
}

/**
 * Moves a draft spec to its requirements phase inside the caller's transaction; returns the run
 * request to send after commit.
 */
export async function applyStartSpec(
  tx: Prisma.TransactionClient,
  options: {
    orgId: string;
    specId: string;
    actorId: string | null;
    actorKind?: ActorKind;
    activityData?: Prisma.InputJsonObject;
  },
): Promise<SpecPhaseRequest> {
  const { orgId, specId } = options;
  // From the app, the API or a GitHub issue alike: no new work while payment is overdue.
  await assertCanStartWork(tx, { orgId });
  await transitionSpec(tx, {
    orgId,
    specId,
    event: { type: "start" },
    actorId: options.actorId,
    actorKind: options.actorKind,
    activityData: options.activityData,
  });
  const version = await nextArtifactVersion(tx, specId, "REQUIREMENTS");
  return { orgId, specId, phase: "REQUIREMENTS" as const, version };
}
