import "server-only";
import { z } from "zod";
import { recordActivity } from "@/lib/activity/record-activity";
import { AppError, notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { specPhaseSchema } from "./approve-phase";
import { approvedRequirementIds } from "./approved-requirement-ids";
import { saveArtifact } from "./save-artifact";
import { reviewStateOf } from "./state-machine";
import { validateArtifact } from "./validate-artifact";

export const editArtifactSchema = z.object({
  specId: z.string().min(1),
  phase: specPhaseSchema,
  content: z.unknown(),
});
export type EditArtifactInput = z.input<typeof editArtifactSchema>;

/** A person edits the phase under review: the edit becomes a new version (source HUMAN). */
export async function editArtifact(db: Db, options: { actor: Actor; input: EditArtifactInput }) {
  const { actor } = options;
  assertCan(actor, "write");
  const input = editArtifactSchema.parse(options.input);
  return db.$transaction(async (tx) => {
    const spec = await tx.spec.findFirst({
      where: { id: input.specId, orgId: actor.orgId },
      select: { id: true, state: true, projectId: true, ticketId: true },
    });
    if (!spec) throw notFound("Spec");
    if (spec.state !== reviewStateOf(input.phase)) {
      throw new AppError(
        "CONFLICT",
        `The ${input.phase.toLowerCase()} can be edited only while in review.`,
        {
          currentState: spec.state,
        },
      );
    }
    const requirementIds =
      input.phase === "REQUIREMENTS" ? [] : await approvedRequirementIds(tx, spec.id);
    const content = validateArtifact(input.phase, input.content, { requirementIds });
    const saved = await saveArtifact(tx, {
      orgId: actor.orgId,
      specId: spec.id,
      phase: input.phase,
      content: content as Prisma.InputJsonValue,
      source: "HUMAN",
      authorId: actor.userId,
    });
    await recordActivity(tx, {
      orgId: actor.orgId,
      type: "spec.edited",
      actorId: actor.userId,
      projectId: spec.projectId,
      ticketId: spec.ticketId,
      specId: spec.id,
      data: { phase: input.phase, version: saved.version },
    });
    return saved;
  });
}
