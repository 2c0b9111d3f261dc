import "server-only";
import { z } from "zod";
import { recordActivity } from "@/lib/activity/record-activity";
import { AppError, notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan, roleAtLeast } from "./roles";

export const removeMemberSchema = z.object({ membershipId: z.string().min(1) });
export type RemoveMemberInput = z.infer<typeof removeMemberSchema>;

/** Removes a member (or lets a member leave); the last owner cannot go. */
export async function removeMember(db: Db, options: { actor: Actor; input: RemoveMemberInput }) {
  const { actor } = options;
  const input = removeMemberSchema.parse(options.input);
  return db.$transaction(async (tx) => {
    const membership = await tx.membership.findFirst({
      where: { id: input.membershipId, orgId: actor.orgId },
      select: { id: true, role: true, userId: true },
    });
    if (!membership) throw notFound("Member");
    const leaving = membership.userId === actor.userId;
    if (!leaving) {
      assertCan(actor, "manage");
      if (!roleAtLeast(actor.role, membership.role)) {
        throw new AppError("FORBIDDEN", "You cannot remove someone with a higher role.");
      }
    }
    if (membership.role === "OWNER") {
      const owners = await tx.membership.count({ where: { orgId: actor.orgId, role: "OWNER" } });
      if (owners <= 1) throw new AppError("CONFLICT", "An organization needs at least one owner.");
    }
    await tx.membership.delete({ where: { id: membership.id } });
    await recordActivity(tx, {
      orgId: actor.orgId,
      type: leaving ? "member.left" : "member.removed",
      actorId: actor.userId,
      data: { userId: membership.userId },
    });
    return membership;
  });
}
