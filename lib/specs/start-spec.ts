import "server-only";
import { z } from "zod";
import { activityActor } from "@/lib/activity/record-activity";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { nextArtifactVersion } from "./next-artifact-version";
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
  const request = await db.$transaction(async (tx) => {
    await transitionSpec(tx, {
      orgId: actor.orgId,
      specId,
      event: { type: "start" },
      ...activityActor(actor),
    });
    const version = await nextArtifactVersion(tx, specId, "REQUIREMENTS");
    return { orgId: actor.orgId, specId, phase: "REQUIREMENTS" as const, version };
  });
  await requestPhaseRun(request);
  return request;
}
