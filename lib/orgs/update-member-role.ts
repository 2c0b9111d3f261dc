import "server-only";
import { z } from "zod";
import { recordActivity } from "@/lib/activity/record-activity";
import { AppError, notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan, roleAtLeast } from "./roles";

export const updateMemberRoleSchema = z.object({
  membershipId: z.string().min(1),
  role: z.enum(["OWNER", "ADMIN", "MEMBER", "VIEWER"], { error: "Choose a role" }),
});
export type UpdateMemberRoleInput = z.infer<typeof updateMemberRoleSchema>;

/** Changes a member's role; the last owner cannot be demoted. */
export async function updateMemberRole(
  db: Db,
  options: { actor: Actor; input: UpdateMemberRoleInput },
) {
  const { actor } = options;
  const input = updateMemberRoleSchema.parse(options.input);
  assertCan(actor, "manage");
  return db.$transaction(async (tx) => {
    const membership = await tx.membership.findFirst({
      where: { id: input.membershipId, orgId: actor.orgId },
      select: { id: true, role: true, userId: true },
    });
    if (!membership) throw notFound("Member");
    if (!roleAtLeast(actor.role, membership.role) || !roleAtLeast(actor.role, input.role)) {
      throw new AppError("FORBIDDEN", "You cannot change a role above your own.");
    }
    if (membership.role === "OWNER" && input.role !== "OWNER") {
      const owners = await tx.membership.count({ where: { orgId: actor.orgId, role: "OWNER" } });
      if (owners <= 1) throw new AppError("CONFLICT", "An organization needs at least one owner.");
    }
    const updated = await tx.membership.update({
      where: { id: membership.id },
      data: { role: input.role },
      select: { id: true, role: true },
    });
    await recordActivity(tx, {
      orgId: actor.orgId,
      type: "member.role_changed",
      actorId: actor.userId,
      data: { userId: membership.userId, from: membership.role, to: input.role },
    });
    return updated;
  });
}
