import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { slugify } from "@/lib/utils/slugify";

/** A slug for a project, unique within its organization. */
export async function uniqueProjectSlug(
  tx: Pick<Prisma.TransactionClient, "project">,
  options: { orgId: string; name: string; exceptId?: string },
): Promise<string> {
  const base = slugify(options.name) || "project";
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`;
    const taken = await tx.project.findFirst({
      where: {
        orgId: options.orgId,
        slug: candidate,
        ...(options.exceptId ? { NOT: { id: options.exceptId } } : {}),
      },
      select: { id: true },
    });
    if (!taken) return candidate;
  }
}
