import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ArtifactSource, SpecPhase } from "@/lib/generated/prisma/enums";
import { nextArtifactVersion } from "./next-artifact-version";

/**
 * Writes a new draft version of a phase's artifact and supersedes the drafts
 * before it, so the history keeps every version and exactly one is current.
 */
export async function saveArtifact(
  tx: Prisma.TransactionClient,
  options: {
    orgId: string;
    specId: string;
    phase: SpecPhase;
    content: Prisma.InputJsonValue;
    source: ArtifactSource;
    authorId?: string | null;
    feedback?: string | null;
    version?: number;
  },
) {
  const version = options.version ?? (await nextArtifactVersion(tx, options.specId, options.phase));
  await tx.specArtifact.updateMany({
    where: {
      specId: options.specId,
      phase: options.phase,
      status: "DRAFT",
      version: { lt: version },
    },
    data: { status: "SUPERSEDED" },
  });
  return tx.specArtifact.create({
    data: {
      orgId: options.orgId,
      specId: options.specId,
      phase: options.phase,
      version,
      content: options.content,
      source: options.source,
      authorId: options.authorId ?? null,
      feedback: options.feedback ?? null,
    },
    select: { id: true, version: true },
  });
}
