import { signUp } from "@/lib/auth/sign-up";
import type { Db } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";
import type { Actor } from "@/lib/orgs/roles";
import { createProject } from "@/lib/projects/create-project";
import { makeGitRepo } from "@/lib/testing/git-repo";
import { createTicket } from "@/lib/tickets/create-ticket";

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

/** A signed-up user with their personal organization, as the owner actor. */
export async function createUserWithOrg(db: Db, name = "Ada") {
  const email = `${name.toLowerCase()}-${unique()}@example.com`;
  const { user, org } = await signUp(db, { name, email, password: "correct horse battery" });
  const actor: Actor = { userId: user.id, orgId: org.id, role: "OWNER" };
  return { user, org, actor, email, password: "correct horse battery" };
}

/** Adds a new user to an organization with a role. */
export async function addMember(db: Db, orgId: string, role: Role) {
  const { user } = await createUserWithOrg(db, role.toLowerCase());
  await db.membership.create({ data: { orgId, userId: user.id, role } });
  const actor: Actor = { userId: user.id, orgId, role };
  return { user, actor };
}

/** A project on a fresh local git repository, with one ticket. */
export async function createProjectWithTicket(db: Db, actor: Actor, name = "Web") {
  const project = await createProject(db, { actor, input: { name, localPath: makeGitRepo() } });
  const ticket = await createTicket(db, {
    actor,
    input: { projectId: project.id, title: "Add search" },
  });
  return { project, ticket };
}
