// Disconnecting GitHub from Settings: the app is uninstalled on GitHub (the fake checks the app's
// JWT as GitHub does) and then forgotten here as the installation.deleted webhook forgets it.
// Members cannot, another organization finds nothing, and a GitHub that cannot be reached
// changes nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as webhook } from "@/app/api/webhooks/github/route";
import { listActivity } from "@/lib/activity/list-activity";
import { AppError } from "@/lib/api/app-error";
import { orgActionHandlers } from "@/lib/api/org-action-handlers";
import type { TestDatabase } from "@/lib/db/test-database";
import type { Actor } from "@/lib/orgs/roles";
import type { FakeGithubApi } from "@/lib/testing/fake-github-api";
import { addMember, createUserWithOrg } from "@/prisma/factories";
import { listGithubRepositories } from "./list-github-repositories";
import { type GithubTestbed, startGithubTestbed, webhookRequest } from "./testing/github-fixtures";

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "OK",
    (error: unknown) => (error instanceof AppError ? error.code : Promise.reject(error)),
  );

describe("disconnecting a GitHub installation", () => {
  let testbed: GithubTestbed;
  let db: TestDatabase["db"];
  let fake: FakeGithubApi;
  let owner: Awaited<ReturnType<typeof createUserWithOrg>>;
  let nextInstallation = 9100;

  const disconnect = (actor: Actor, installationId: string) =>
    orgActionHandlers.disconnectGithubInstallation(db, actor, { installationId });
  const deletes = () => fake.requests.filter((r) => r.method === "DELETE");

  /** An installation on GitHub, connected to the owner's organization, with a linked project. */
  async function connected(login: string) {
    const installationId = nextInstallation++;
    const repository = `${login}/app`;
    fake.addRepository(repository);
    fake.addInstallation({ id: installationId, account: { login }, repositories: [repository] });
    const row = await db.githubInstallation.create({
      data: {
        orgId: owner.org.id,
        installationId: BigInt(installationId),
        accountLogin: login,
        accountType: "Organization",
      },
    });
    const project = await db.project.create({
      data: {
        orgId: owner.org.id,
        name: `${login} app`,
        slug: `${login}-app`,
        repoKind: "GITHUB",
        githubRepoFullName: repository,
        githubInstallationId: row.id,
      },
    });
    return { row, installationId, repository, project };
  }

  beforeAll(async () => {
    testbed = await startGithubTestbed();
    ({ db, fake } = testbed);
    owner = await createUserWithOrg(db, "Ada");
    await db.organization.update({ where: { id: owner.org.id }, data: { plan: "TEAM" } });
  });
  afterAll(() => testbed?.close());

  it("uninstalls the app on GitHub and forgets the installation; its repositories are gone from Settings", async () => {
    const { row, installationId, repository, project } = await connected("acme");
    expect(
      (await listGithubRepositories(db, { actor: owner.actor })).flatMap((i) =>
        i.repositories.map((r) => r.fullName),
      ),
    ).toEqual([repository]);

    expect(await disconnect(owner.actor, row.id)).toEqual({ id: row.id, accountLogin: "acme" });
    expect(deletes()).toEqual([{ method: "DELETE", path: `/app/installations/${installationId}` }]);
    expect(fake.hasInstallation(installationId)).toBe(false);
    expect(await db.githubInstallation.findUnique({ where: { id: row.id } })).toBeNull();
    expect(await listGithubRepositories(db, { actor: owner.actor })).toEqual([]);
    // The project keeps its repository's name and loses the installation, as on uninstall.
    expect(await db.project.findUniqueOrThrow({ where: { id: project.id } })).toMatchObject({
      githubRepoFullName: repository,
      githubInstallationId: null,
    });
    const activity = await listActivity(db, {
      actor: owner.actor,
      input: { type: "github.uninstalled" },
    });
    expect(activity.items).toHaveLength(1);
    expect(activity.items[0]).toMatchObject({
      actorKind: "USER",
      actor: { email: owner.user.email },
      data: { account: "acme", installationId },
    });

    // GitHub's installation.deleted webhook arrives afterwards: nothing left to do.
    const response = await webhook(
      webhookRequest({
        event: "installation",
        payload: {
          action: "deleted",
          installation: { id: installationId, account: { login: "acme" } },
        },
      }),
    );
    expect(response.status).toBe(202);
    await testbed.engine.settled();
    expect(testbed.engine.failures).toEqual([]);
    expect(
      (await listActivity(db, { actor: owner.actor, input: { type: "github.uninstalled" } })).items,
    ).toHaveLength(1);
  });

  it("is for admins and owners of the installation's organization only; others change nothing", async () => {
    const { row, installationId } = await connected("globex");
    const member = (await addMember(db, owner.org.id, "MEMBER")).actor;
    const stranger = (await createUserWithOrg(db, "Mallory")).actor;
    const before = deletes().length;
    expect(await codeOf(disconnect(member, row.id))).toBe("FORBIDDEN");
    expect(await codeOf(disconnect(stranger, row.id))).toBe("NOT_FOUND");
    expect(await codeOf(disconnect(owner.actor, "ghi_missing"))).toBe("NOT_FOUND");
    expect(deletes()).toHaveLength(before);
    expect(fake.hasInstallation(installationId)).toBe(true);
    expect(await db.githubInstallation.findUnique({ where: { id: row.id } })).not.toBeNull();

    const admin = (await addMember(db, owner.org.id, "ADMIN")).actor;
    expect(await codeOf(disconnect(admin, row.id))).toBe("OK");
    expect(fake.hasInstallation(installationId)).toBe(false);
  });

  it("says so and changes nothing when GitHub cannot be reached", async () => {
    const { row, installationId, project } = await connected("initech");
    fake.setOutage(503);
    try {
      const failure = await disconnect(owner.actor, row.id).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(AppError);
      expect(failure).toMatchObject({
        code: "UNAVAILABLE",
        message: "GitHub answered 503, so initech is still connected. Try again in a moment.",
      });
    } finally {
      fake.setOutage(null);
    }
    expect(fake.hasInstallation(installationId)).toBe(true);
    expect(await db.githubInstallation.findUnique({ where: { id: row.id } })).not.toBeNull();
    expect(
      (await db.project.findUniqueOrThrow({ where: { id: project.id } })).githubInstallationId,
    ).toBe(row.id);
    // Once GitHub is back, the same button works.
    expect(await codeOf(disconnect(owner.actor, row.id))).toBe("OK");
    expect(fake.hasInstallation(installationId)).toBe(false);
  });

  it("forgets an installation GitHub no longer has (uninstalled there, its webhook never arrived)", async () => {
    const { row, installationId } = await connected("umbrella");
    // Uninstalled on GitHub by someone else, with the app's own JWT.
    const { githubAppClient } = await import("./github-client");
    await githubAppClient().request("DELETE /app/installations/{installation_id}", {
      installation_id: installationId,
    });
    expect(await codeOf(disconnect(owner.actor, row.id))).toBe("OK");
    expect(await db.githubInstallation.findUnique({ where: { id: row.id } })).toBeNull();
  });

  it("the fake GitHub refuses to uninstall without the app's JWT, as GitHub does", async () => {
    const { installationId } = await connected("hooli");
    const response = await fetch(`${fake.url}/app/installations/${installationId}`, {
      method: "DELETE",
      headers: { authorization: "Bearer not.a.jwt" },
    });
    expect(response.status).toBe(401);
    expect(fake.hasInstallation(installationId)).toBe(true);
  });
});
