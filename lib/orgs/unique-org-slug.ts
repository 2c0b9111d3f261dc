import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { slugify } from "@/lib/utils/slugify";

// Paths under the root that an organization slug must not shadow.
const reserved = new Set([
  "api",
  "sign-in",
  "sign-up",
  "invite",
  "settings",
  "new",
  "_next",
  "orgs",
]);

/** A URL slug for a new organization, suffixed until no organization has it. */
export async function uniqueOrgSlug(
  db: Pick<Prisma.TransactionClient, "organization">,
  name: string,
): Promise<string> {
  const base = slugify(name) || "org";
  const safeBase = reserved.has(base) ? `${base}-org` : base;
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? safeBase : `${safeBase}-${n}`;
    const taken = await db.organization.findUnique({
      where: { slug: candidate },
      select: { id: true },
    });
    if (!taken) return candidate;
  }
}
