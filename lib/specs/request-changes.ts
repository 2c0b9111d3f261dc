import "server-only";
import { z } from "zod";
import { activityActor } from "@/lib/activity/record-activity";
import { AppError } from "@/lib/api/app-error";
import { assertCanStartWork } from "@/lib/billing/assert-can-start-work";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { specPhaseSchema } from "./approve-phase";
import { nextArtifactVersion } from "./next-artifact-version";
import { requestPhaseRun } from "./request-phase-run";
import { transitionSpec } from "./transition-spec";

export const requestChangesSchema = z.object({
  specId: z.string().min(1),
  phase: specPhaseSchema,
  feedback: z
    .string({ error: "Say what should change" })
    .trim()
    .min(1, "Say what should change")
    .max(5000, "Feedback must be at most 5,000 characters"),
});
export type RequestChangesInput = z.input<typeof requestChangesSchema>;

/** Sends the phase back with feedback: it runs again and writes a new version; the old one stays as history. */
export async function requestChanges(
  db: Db,
  options: { actor: Actor; input: RequestChangesInput },
) {
  const { actor } = options;
  assertCan(actor, "write");
  const input = requestChangesSchema.parse(options.input);
  const request = await db.$transaction(async (tx) => {
    await assertCanStartWork(tx, { orgId: actor.orgId });
    await transitionSpec(tx, {
      orgId: actor.orgId,
      specId: input.specId,
      event: { type: "requestChanges", phase: input.phase },
      ...activityActor(actor),
      activityData: { feedback: input.feedback },
    });
    const current = await tx.specArtifact.findFirst({
      where: { specId: input.specId, phase: input.phase, status: "DRAFT" },
      orderBy: { version: "desc" },
      select: { id: true, version: true },
    });
    if (!current)
      throw new AppError("CONFLICT", `There is no ${input.phase.toLowerCase()} draft to change.`);
    await tx.approval.create({
      data: {
        orgId: actor.orgId,
        specId: input.specId,
        phase: input.phase,
        version: current.version,
        decision: "CHANGES_REQUESTED",
        feedback: input.feedback,
        actorId: actor.userId,
      },
    });
    const version = await nextArtifactVersion(tx, input.specId, input.phase);
    return { orgId: actor.orgId, specId: input.specId, phase: input.phase, version };
  });
  await requestPhaseRun(request);
  return request;
}
