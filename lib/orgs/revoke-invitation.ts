import "server-only";
import { z } from "zod";
import { recordActivity } from "@/lib/activity/record-activity";
import { notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "./roles";

export const revokeInvitationSchema = z.object({ invitationId: z.string().min(1) });
export type RevokeInvitationInput = z.infer<typeof revokeInvitationSchema>;

/** Revokes an open invite link of the actor's organization. */
export async function revokeInvitation(
  db: Db,
  options: { actor: Actor; input: RevokeInvitationInput },
) {
  const { actor } = options;
  const input = revokeInvitationSchema.parse(options.input);
  assertCan(actor, "manage");
  return db.$transaction(async (tx) => {
    const result = await tx.invitation.updateMany({
      where: { id: input.invitationId, orgId: actor.orgId, acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (result.count === 0) throw notFound("Invitation");
    await recordActivity(tx, {
      orgId: actor.orgId,
      type: "member.invitation_revoked",
      actorId: actor.userId,
      data: { invitationId: input.invitationId },
    });
    return { id: input.invitationId };
  });
}
