import "server-only";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "./roles";

/** Members of the actor's organization and its open invitations. */
export async function listMembers(db: Db, options: { actor: Actor }) {
  const { actor } = options;
  assertCan(actor, "read");
  const [members, invitations] = await Promise.all([
    db.membership.findMany({
      where: { orgId: actor.orgId },
      orderBy: { createdAt: "asc" },
      select: {
        id: true,
        role: true,
        createdAt: true,
        user: { select: { id: true, name: true, email: true } },
      },
    }),
    db.invitation.findMany({
      where: {
        orgId: actor.orgId,
        acceptedAt: null,
        revokedAt: null,
        expiresAt: { gt: new Date() },
      },
      orderBy: { createdAt: "desc" },
      select: { id: true, role: true, expiresAt: true, createdAt: true },
    }),
  ]);
  return { members, invitations };
}
