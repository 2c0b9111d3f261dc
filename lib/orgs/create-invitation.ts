import "server-only";
import { z } from "zod";
import { recordActivity } from "@/lib/activity/record-activity";
import { AppError } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { hashSecret, newSecret } from "@/lib/utils/secret-token";
import { type Actor, assertCan, roleAtLeast } from "./roles";

export const createInvitationSchema = z.object({
  role: z.enum(["ADMIN", "MEMBER", "VIEWER", "OWNER"], { error: "Choose a role" }),
});
export type CreateInvitationInput = z.infer<typeof createInvitationSchema>;

const invitationLifetimeMs = 7 * 24 * 60 * 60 * 1000;

/** Creates an invite link for a role; returns the secret token once (only its hash is kept). */
export async function createInvitation(
  db: Db,
  options: { actor: Actor; input: CreateInvitationInput },
) {
  const { actor } = options;
  const input = createInvitationSchema.parse(options.input);
  assertCan(actor, "manage");
  if (!roleAtLeast(actor.role, input.role)) {
    throw new AppError("FORBIDDEN", "You cannot invite someone with a higher role than your own.", {
      fields: { role: "Higher than your own role" },
    });
  }
  const token = newSecret();
  const invitation = await db.$transaction(async (tx) => {
    const row = await tx.invitation.create({
      data: {
        orgId: actor.orgId,
        role: input.role,
        tokenHash: hashSecret(token),
        invitedById: actor.userId,
        expiresAt: new Date(Date.now() + invitationLifetimeMs),
      },
      select: { id: true, role: true, expiresAt: true },
    });
    await recordActivity(tx, {
      orgId: actor.orgId,
      type: "member.invited",
      actorId: actor.userId,
      data: { invitationId: row.id, role: row.role },
    });
    return row;
  });
  return { ...invitation, token };
}
