import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { requirementsContentSchema } from "./artifact-schemas";

/** Ids of the requirements in the spec's approved requirements version ([] if none). */
export async function approvedRequirementIds(
  tx: Pick<Prisma.TransactionClient, "specArtifact">,
  specId: string,
): Promise<string[]> {
  const approved = await tx.specArtifact.findFirst({
    where: { specId, phase: "REQUIREMENTS", status: "APPROVED" },
    orderBy: { version: "desc" },
    select: { content: true },
  });
  if (!approved) return [];
  return requirementsContentSchema.parse(approved.content).requirements.map((r) => r.id);
}
