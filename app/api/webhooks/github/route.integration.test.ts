// POST /api/webhooks/github against a real database and the real octokit talking to the fake
// GitHub: signatures (GitHub's published test vector, tampering, wrong secret, no header),
// deduplication of concurrent copies of one delivery, and refusal of commands from people
// without write access.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "@/lib/db/test-database";
import { resetEnvForTests } from "@/lib/env";
import {
  type GithubTestbed,
  issueCommentPayload,
  labeledIssuePayload,
  pullRequestClosedPayload,
  startGithubTestbed,
  WEBHOOK_SECRET,
  webhookRequest,
} from "@/lib/github/testing/github-fixtures";
import type { InlineJobEngine } from "@/lib/jobs/testing/inline-engine";
import { createProject } from "@/lib/projects/create-project";
import type { FakeGithubApi } from "@/lib/testing/fake-github-api";
import { createUserWithOrg } from "@/prisma/factories";
import { POST } from "./route";

const INSTALLATION = 7701;
const REPO = "acme/widgets";

describe("POST /api/webhooks/github", () => {
  let testbed: GithubTestbed;
  let db: TestDatabase["db"];
  let fake: FakeGithubApi;
  let engine: InlineJobEngine;
  let projectId: string;

  const counts = async () => ({
    deliveries: await db.webhookDelivery.count(),
    tickets: await db.ticket.count({ where: { projectId } }),
  });
  const command = (body: string, login: string) =>
    POST(
      webhookRequest({
        event: "issue_comment",
        payload: issueCommentPayload({
          installationId: INSTALLATION,
          repository: REPO,
          number: 42,
          body,
          login,
        }),
      }),
    );

  beforeAll(async () => {
    // No deduplication by event id here: the database row alone must keep a GUID to one effect.
    testbed = await startGithubTestbed({ dedupe: false });
    ({ db, fake, engine } = testbed);
    fake.addRepository(REPO);
    fake.addInstallation({ id: INSTALLATION, account: { login: "acme" }, repositories: [REPO] });
    fake.setPermission(REPO, "octo-lead", "write");
    fake.setPermission(REPO, "curious-reader", "read");

    const { actor } = await createUserWithOrg(db, "Ada");
    await db.githubInstallation.create({
      data: {
        orgId: actor.orgId,
        installationId: BigInt(INSTALLATION),
        accountLogin: "acme",
        accountType: "Organization",
      },
    });
    const project = await createProject(db, {
      actor,
      input: { name: "Widgets", repoKind: "GITHUB", githubRepository: REPO },
    });
    projectId = project.id;
  });

  afterAll(() => testbed?.close());

  it("verifies GitHub's published X-Hub-Signature-256 test vector", async () => {
    process.env.GITHUB_WEBHOOK_SECRET = "It's a Secret to Everybody";
    resetEnvForTests();
    try {
      const vector = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
      const ok = await POST(
        webhookRequest({ event: "ping", payload: "Hello, World!", signature: vector }),
      );
      expect(ok.status).toBe(200);
      const tampered = await POST(
        webhookRequest({ event: "ping", payload: "Hello, World?", signature: vector }),
      );
      expect(tampered.status).toBe(401);
    } finally {
      process.env.GITHUB_WEBHOOK_SECRET = WEBHOOK_SECRET;
      resetEnvForTests();
    }
  });

  it("answers 401 and does nothing for a tampered byte, a wrong secret or a missing header", async () => {
    const payload = labeledIssuePayload({
      installationId: INSTALLATION,
      repository: REPO,
      number: 5,
      title: "Unsigned work",
      label: "trellis",
    });
    const before = await counts();
    const attempts = [
      webhookRequest({
        event: "issues",
        payload,
        tamper: (body) => body.replace("Unsigned work", "Unsigned work!"),
      }),
      webhookRequest({ event: "issues", payload, secret: "not-the-secret" }),
      webhookRequest({ event: "issues", payload, signature: "" }),
      webhookRequest({ event: "issues", payload, signature: "sha1=0123456789abcdef" }),
    ];
    for (const request of attempts) {
      const response = await POST(request);
      expect(response.status).toBe(401);
      expect((await response.json()).error.code).toBe("UNAUTHENTICATED");
    }
    await engine.settled();
    expect(engine.sent).toHaveLength(0);
    expect(await counts()).toEqual(before);
  });

  it("acknowledges events it does not act on without queueing anything", async () => {
    const sentBefore = engine.sent.length;
    const push = await POST(webhookRequest({ event: "push", payload: { ref: "refs/heads/main" } }));
    expect(push.status).toBe(200);
    const opened = await POST(
      webhookRequest({
        event: "issues",
        payload: {
          ...labeledIssuePayload({
            installationId: INSTALLATION,
            repository: REPO,
            number: 6,
            title: "x",
            label: "trellis",
          }),
          action: "opened",
        },
      }),
    );
    expect(opened.status).toBe(200);
    expect(engine.sent.length).toBe(sentBefore);
  });

  it("turns ten concurrent copies of one delivery into one ticket", async () => {
    const delivery = crypto.randomUUID();
    const payload = labeledIssuePayload({
      installationId: INSTALLATION,
      repository: REPO,
      number: 42,
      title: "Search tickets by title",
      body: "People cannot find old tickets.",
      label: "trellis",
    });
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        POST(webhookRequest({ event: "issues", payload, delivery })),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(202));
    await engine.settled();

    const tickets = await db.ticket.findMany({ where: { projectId, githubIssueNumber: 42 } });
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({
      source: "GITHUB",
      title: "Search tickets by title",
      githubIssueUrl: `https://github.com/${REPO}/issues/42`,
    });
    expect(await db.webhookDelivery.count({ where: { deliveryId: delivery } })).toBe(1);
    expect(await db.spec.count({ where: { ticketId: tickets[0]!.id } })).toBe(1);
    const filed = fake.comments.filter(
      (c) => c.issueNumber === 42 && c.body.includes("filed this issue as ticket"),
    );
    expect(filed).toHaveLength(1);
    expect(engine.failures).toEqual([]);
  });

  it("refuses a command from someone without write access and answers on the issue", async () => {
    const ticket = await db.ticket.findFirstOrThrow({
      where: { projectId, githubIssueNumber: 42 },
    });
    const spec = await db.spec.findFirstOrThrow({ where: { ticketId: ticket.id } });
    const stateBefore = spec.state;
    for (const login of ["curious-reader", "drive-by"]) {
      expect((await command("/trellis cancel", login)).status).toBe(202);
    }
    await engine.settled();

    const after = await db.spec.findUniqueOrThrow({ where: { id: spec.id } });
    expect(after.state).toBe(stateBefore);
    expect(after.state).not.toBe("CANCELLED");
    const refusals = fake.comments
      .filter((c) => c.issueNumber === 42 && /only people with write access/.test(c.body))
      .map((c) => c.body)
      .sort();
    expect(refusals).toEqual([
      "@curious-reader, only people with write access to acme/widgets can run Trellis commands, so `/trellis cancel` was not run.",
      "@drive-by, only people with write access to acme/widgets can run Trellis commands, so `/trellis cancel` was not run.",
    ]);
    const refused = await db.activityEvent.findMany({ where: { type: "github.command_refused" } });
    expect(refused.map((e) => e.actorKind)).toEqual(["GITHUB", "GITHUB"]);

    // The same command from someone who may push is carried out.
    await command("Let's stop here.\n/trellis cancel", "octo-lead");
    await engine.settled();
    expect((await db.spec.findUniqueOrThrow({ where: { id: spec.id } })).state).toBe("CANCELLED");
    expect(fake.comments.at(-1)?.body).toMatch(/^@octo-lead: cancelled the spec of ticket #1/);
  });

  it("ignores comments from bots, so its own replies never loop", async () => {
    const sentBefore = engine.sent.length;
    const payload = issueCommentPayload({
      installationId: INSTALLATION,
      repository: REPO,
      number: 42,
      body: "/trellis run",
      login: "trellis-test[bot]",
    });
    payload.comment.user.type = "Bot";
    payload.sender.type = "Bot";
    const response = await POST(webhookRequest({ event: "issue_comment", payload }));
    expect(response.status).toBe(200);
    expect(engine.sent.length).toBe(sentBefore);
  });

  it("notes a pull request closed without merging, leaving the ticket open", async () => {
    const ticket = await db.ticket.findFirstOrThrow({
      where: { projectId, githubIssueNumber: 42 },
    });
    const spec = await db.spec.update({
      where: { id: (await db.spec.findFirstOrThrow({ where: { ticketId: ticket.id } })).id },
      data: { pullRequestNumber: 555, pullRequestUrl: "https://github.com/acme/widgets/pull/555" },
    });
    const response = await POST(
      webhookRequest({
        event: "pull_request",
        payload: pullRequestClosedPayload({
          installationId: INSTALLATION,
          repository: REPO,
          number: 555,
          merged: false,
          head: "trellis/x",
        }),
      }),
    );
    expect(response.status).toBe(202);
    await engine.settled();
    expect((await db.spec.findUniqueOrThrow({ where: { id: spec.id } })).pullRequestState).toBe(
      "CLOSED",
    );
    expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).status).toBe(
      ticket.status,
    );
    expect(
      await db.activityEvent.count({ where: { specId: spec.id, type: "spec.pr_closed" } }),
    ).toBe(1);
  });

  it("follows the installation: repositories removed, suspended, unsuspended, uninstalled", async () => {
    const send = async (event: string, payload: unknown) => {
      expect((await POST(webhookRequest({ event, payload }))).status).toBe(202);
      await engine.settled();
    };
    const row = () =>
      db.githubInstallation.findUnique({ where: { installationId: BigInt(INSTALLATION) } });

    await send("installation_repositories", {
      action: "removed",
      installation: { id: INSTALLATION },
      repositories_added: [],
      repositories_removed: [{ full_name: REPO }],
    });
    const changed = await db.activityEvent.findFirstOrThrow({
      where: { type: "github.repositories_changed" },
    });
    expect(changed.data).toMatchObject({ removed: [REPO], projectsAffected: ["Widgets"] });

    await send("installation", {
      action: "suspend",
      installation: { id: INSTALLATION, account: { login: "acme" } },
    });
    expect((await row())?.suspendedAt).not.toBeNull();
    // While suspended, a labelled issue files nothing.
    await send(
      "issues",
      labeledIssuePayload({
        installationId: INSTALLATION,
        repository: REPO,
        number: 77,
        title: "Later",
        label: "trellis",
      }),
    );
    expect(await db.ticket.count({ where: { githubIssueNumber: 77 } })).toBe(0);

    await send("installation", {
      action: "unsuspend",
      installation: { id: INSTALLATION, account: { login: "acme" } },
    });
    expect((await row())?.suspendedAt).toBeNull();

    // An installation nobody connected through the setup callback is not recorded.
    await send("installation", {
      action: "created",
      installation: { id: 99_999, account: { login: "someone" } },
    });
    expect(await db.githubInstallation.count()).toBe(1);

    await send("installation", {
      action: "deleted",
      installation: { id: INSTALLATION, account: { login: "acme" } },
    });
    expect(await row()).toBeNull();
    const project = await db.project.findUniqueOrThrow({ where: { id: projectId } });
    expect(project).toMatchObject({
      repoKind: "GITHUB",
      githubRepoFullName: REPO,
      githubInstallationId: null,
    });
    const types = (
      await db.activityEvent.findMany({ where: { type: { startsWith: "github." } } })
    ).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(["github.suspended", "github.unsuspended", "github.uninstalled"]),
    );
    expect(engine.failures).toEqual([]);
  });
});
