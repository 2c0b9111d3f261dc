import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { SpecPhase } from "@/lib/generated/prisma/enums";

/** The version number the next artifact of this phase will get (1 for the first). */
export async function nextArtifactVersion(
  tx: Pick<Prisma.TransactionClient, "specArtifact">,
  specId: string,
  phase: SpecPhase,
): Promise<number> {
  const last = await tx.specArtifact.findFirst({
    where: { specId, phase },
    orderBy: { version: "desc" },
    select: { version: true },
  });
  return (last?.version ?? 0) + 1;
}
