import "server-only";
import { z } from "zod";
import { AppError, notFound } from "@/lib/api/app-error";
import { assertCanStartWork } from "@/lib/billing/assert-can-start-work";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { nextArtifactVersion } from "./next-artifact-version";
import { requestPhaseRun } from "./request-phase-run";
import { transitionSpec } from "./transition-spec";

export const retrySpecSchema = z.object({ specId: z.string().min(1) });

/** Runs the failed phase again (after, say, fixing the API key). */
export async function retrySpec(
  db: Db,
  options: { actor: Actor; input: z.input<typeof retrySpecSchema> },
) {
  const { actor } = options;
  assertCan(actor, "write");
  const { specId } = retrySpecSchema.parse(options.input);
  const request = await db.$transaction(async (tx) => {
    const spec = await tx.spec.findFirst({
      where: { id: specId, orgId: actor.orgId },
      select: { failedPhase: true },
    });
    if (!spec) throw notFound("Spec");
    if (!spec.failedPhase) throw new AppError("CONFLICT", "Only a failed spec can be retried.");
    await assertCanStartWork(tx, { orgId: actor.orgId });
    const phase = spec.failedPhase;
    await transitionSpec(tx, {
      orgId: actor.orgId,
      specId,
      event: { type: "retry", phase },
      actorId: actor.userId,
      data: { failedPhase: null, failureReason: null },
    });
    return {
      orgId: actor.orgId,
      specId,
      phase,
      version: await nextArtifactVersion(tx, specId, phase),
    };
  });
  await requestPhaseRun(request);
  return request;
}
