import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toAppError } from "@/lib/api/to-app-error";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import { addMember, createUserWithOrg } from "@/prisma/factories";
import { acceptInvitation } from "./accept-invitation";
import { createInvitation } from "./create-invitation";
import { listMembers } from "./list-members";
import { removeMember } from "./remove-member";
import { revokeInvitation } from "./revoke-invitation";
import { updateMemberRole } from "./update-member-role";

async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    const e = toAppError(error);
    return `${e.code}: ${e.message}`;
  }
  throw new Error("expected a refusal");
}

describe("invite links and roles", () => {
  let database: TestDatabase;
  let owner: Awaited<ReturnType<typeof createUserWithOrg>>;

  beforeAll(async () => {
    database = await createTestDatabase();
    owner = await createUserWithOrg(database.db, "Ada");
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("joins a user with the invited role, once", async () => {
    const invite = await createInvitation(database.db, {
      actor: owner.actor,
      input: { role: "ADMIN" },
    });
    const bob = await createUserWithOrg(database.db, "Bob");
    const joined = await acceptInvitation(database.db, {
      userId: bob.user.id,
      token: invite.token,
    });
    expect(joined.id).toBe(owner.org.id);
    const { members } = await listMembers(database.db, { actor: owner.actor });
    expect(members.map((m) => [m.user.name, m.role])).toEqual([
      ["Ada", "OWNER"],
      ["Bob", "ADMIN"],
    ]);
    const carol = await createUserWithOrg(database.db, "Carol");
    expect(
      await refusal(acceptInvitation(database.db, { userId: carol.user.id, token: invite.token })),
    ).toBe("NOT_FOUND: This invite link is not valid any more. Ask for a new one.");
  });

  it("refuses revoked and expired links and unknown tokens", async () => {
    const dave = await createUserWithOrg(database.db, "Dave");
    const revoked = await createInvitation(database.db, {
      actor: owner.actor,
      input: { role: "MEMBER" },
    });
    await revokeInvitation(database.db, {
      actor: owner.actor,
      input: { invitationId: revoked.id },
    });
    const expired = await createInvitation(database.db, {
      actor: owner.actor,
      input: { role: "MEMBER" },
    });
    await database.db.invitation.update({
      where: { id: expired.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    for (const token of [revoked.token, expired.token, "not-a-real-token"]) {
      expect(await refusal(acceptInvitation(database.db, { userId: dave.user.id, token }))).toMatch(
        /^NOT_FOUND/,
      );
    }
    expect(
      await database.db.membership.count({ where: { userId: dave.user.id, orgId: owner.org.id } }),
    ).toBe(0);
  });

  it("keeps invitations and roles within the inviter's own rank", async () => {
    const admin = await addMember(database.db, owner.org.id, "ADMIN");
    const member = await addMember(database.db, owner.org.id, "MEMBER");
    expect(
      await refusal(
        createInvitation(database.db, { actor: admin.actor, input: { role: "OWNER" } }),
      ),
    ).toBe("FORBIDDEN: You cannot invite someone with a higher role than your own.");
    expect(
      await refusal(
        createInvitation(database.db, { actor: member.actor, input: { role: "VIEWER" } }),
      ),
    ).toBe("FORBIDDEN: Your role (member) cannot manage members and settings.");
    const ownerMembership = await database.db.membership.findFirstOrThrow({
      where: { userId: owner.user.id },
    });
    expect(
      await refusal(
        updateMemberRole(database.db, {
          actor: admin.actor,
          input: { membershipId: ownerMembership.id, role: "VIEWER" },
        }),
      ),
    ).toBe("FORBIDDEN: You cannot change a role above your own.");
  });

  it("never leaves an organization without an owner", async () => {
    const ownerMembership = await database.db.membership.findFirstOrThrow({
      where: { userId: owner.user.id, orgId: owner.org.id },
    });
    expect(
      await refusal(
        removeMember(database.db, {
          actor: owner.actor,
          input: { membershipId: ownerMembership.id },
        }),
      ),
    ).toBe("CONFLICT: An organization needs at least one owner.");
    expect(
      await refusal(
        updateMemberRole(database.db, {
          actor: owner.actor,
          input: { membershipId: ownerMembership.id, role: "ADMIN" },
        }),
      ),
    ).toBe("CONFLICT: An organization needs at least one owner.");
  });
});
