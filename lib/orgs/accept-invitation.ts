import "server-only";
import { recordActivity } from "@/lib/activity/record-activity";
import { AppError } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { findInvitation } from "./find-invitation";

/** Joins the user to the invitation's organization; a link works once. */
export async function acceptInvitation(db: Db, options: { userId: string; token: string }) {
  const invitation = await findInvitation(db, options.token);
  if (!invitation) {
    throw new AppError("NOT_FOUND", "This invite link is not valid any more. Ask for a new one.");
  }
  const alreadyMember = await db.membership.findUnique({
    where: { orgId_userId: { orgId: invitation.org.id, userId: options.userId } },
    select: { id: true },
  });
  // A member who opens a link again just lands in the organization; the link stays usable.
  if (alreadyMember) return invitation.org;
  return db.$transaction(async (tx) => {
    // Claim the invitation first so two tabs accepting at once join only once.
    const claimed = await tx.invitation.updateMany({
      where: { id: invitation.id, acceptedAt: null, revokedAt: null },
      data: { acceptedAt: new Date(), acceptedById: options.userId },
    });
    if (claimed.count === 0) {
      throw new AppError("CONFLICT", "This invite link has already been used.");
    }
    await tx.membership.create({
      data: { orgId: invitation.org.id, userId: options.userId, role: invitation.role },
    });
    await recordActivity(tx, {
      orgId: invitation.org.id,
      type: "member.joined",
      actorId: options.userId,
      data: { role: invitation.role },
    });
    return invitation.org;
  });
}
