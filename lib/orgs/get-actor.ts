import "server-only";
import { notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import type { Actor } from "./roles";

/**
 * Resolves the signed-in user's membership of the organization with this slug.
 * A non-member gets NOT_FOUND, never FORBIDDEN: other tenants do not exist to them.
 */
export async function getActor(db: Db, options: { userId: string; orgSlug: string }) {
  const membership = await db.membership.findFirst({
    where: { userId: options.userId, org: { slug: options.orgSlug } },
    select: {
      role: true,
      org: { select: { id: true, name: true, slug: true, plan: true, personal: true } },
    },
  });
  if (!membership) throw notFound("Organization");
  const actor: Actor = { userId: options.userId, orgId: membership.org.id, role: membership.role };
  return { actor, org: membership.org };
}
