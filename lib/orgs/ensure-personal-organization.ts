import "server-only";
import type { Db } from "@/lib/db/client";
import { createOrganization } from "./create-organization";

/**
 * Gives a user who belongs to no organization a personal one (first sign-in).
 * Safe to call on every sign-in: it does nothing once the user has a membership.
 */
export async function ensurePersonalOrganization(db: Db, userId: string) {
  const existing = await db.membership.findFirst({
    where: { userId },
    orderBy: { createdAt: "asc" },
    select: { org: { select: { id: true, slug: true, name: true } } },
  });
  if (existing) return existing.org;
  const user = await db.user.findUniqueOrThrow({
    where: { id: userId },
    select: { name: true, email: true },
  });
  const owner = user.name?.trim() || user.email.split("@")[0] || "My";
  return createOrganization(db, {
    userId,
    input: { name: `${owner}'s workspace` },
    personal: true,
  });
}
