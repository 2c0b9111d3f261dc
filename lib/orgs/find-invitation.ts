import "server-only";
import type { Db } from "@/lib/db/client";
import { hashSecret } from "@/lib/utils/secret-token";

/** The open invitation behind a link's token, or null if unknown, used, revoked or expired. */
export async function findInvitation(db: Db, token: string) {
  const invitation = await db.invitation.findUnique({
    where: { tokenHash: hashSecret(token) },
    select: {
      id: true,
      role: true,
      expiresAt: true,
      acceptedAt: true,
      revokedAt: true,
      org: { select: { id: true, name: true, slug: true } },
    },
  });
  if (!invitation || invitation.acceptedAt || invitation.revokedAt) return null;
  if (invitation.expiresAt.getTime() < Date.now()) return null;
  return invitation;
}
