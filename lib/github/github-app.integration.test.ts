// The GitHub App end to end in one process, with the real octokit against the fake GitHub
// (lib/testing/fake-github-api.ts), which also serves a local bare repository over git's smart
// HTTP protocol: install -> repositories listed -> a labelled issue becomes a ticket -> the spec
// runs (offline provider, offline agent; approvals by issue comment) -> the integration branch is
// pushed to the bare repository and a pull request opened through the API -> a merged-PR webhook
// marks the spec merged. Background functions run in-process (lib/jobs/testing/inline-engine).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as install } from "@/app/api/github/install/route";
import { GET as setup } from "@/app/api/github/setup/route";
import { POST as webhook } from "@/app/api/webhooks/github/route";
import type { TestDatabase } from "@/lib/db/test-database";
import { startExecutor } from "@/lib/execution/start-executor";
import type { InlineJobEngine } from "@/lib/jobs/testing/inline-engine";
import { createProject } from "@/lib/projects/create-project";
import { requirementsContentSchema } from "@/lib/specs/artifact-schemas";
import type { FakeGithubApi } from "@/lib/testing/fake-github-api";
import { createUserWithOrg } from "@/prisma/factories";
import { listGithubRepositories } from "./list-github-repositories";
import { mirrorPath } from "./repository-mirror";
import {
  type GithubTestbed,
  issueCommentPayload,
  labeledIssuePayload,
  pullRequestClosedPayload,
  startGithubTestbed,
  webhookRequest,
} from "./testing/github-fixtures";

const INSTALLATION = 8801;
const REPO = "acme/shop";
const ISSUE = 17;
const AUTH_SECRET = "github-app-test-secret-0123456789";
const cookieName = "authjs.session-token";

async function sessionCookie(userId: string): Promise<string> {
  return `${cookieName}=${await encode({ token: { sub: userId }, secret: AUTH_SECRET, salt: cookieName })}`;
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("GitHub App: issue in, pull request out", () => {
  let testbed: GithubTestbed;
  let db: TestDatabase["db"];
  let fake: FakeGithubApi;
  let engine: InlineJobEngine;
  let owner: Awaited<ReturnType<typeof createUserWithOrg>>;
  let bareRepo: string;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "trellis-github-data-"));
  const worktreesRoot = mkdtempSync(path.join(os.tmpdir(), "trellis-github-worktrees-"));

  const deliver = async (event: string, payload: unknown) => {
    const response = await webhook(webhookRequest({ event, payload }));
    expect(response.status).toBe(202);
    await engine.settled();
    expect(engine.failures).toEqual([]);
  };
  const comment = (body: string) =>
    deliver(
      "issue_comment",
      issueCommentPayload({
        installationId: INSTALLATION,
        repository: REPO,
        number: ISSUE,
        body,
        login: "octo-lead",
      }),
    );
  const issueComments = () =>
    fake.comments
      .filter((c) => c.repository === REPO && c.issueNumber === ISSUE)
      .map((c) => c.body);

  beforeAll(async () => {
    testbed = await startGithubTestbed({ env: { AUTH_SECRET, DATA_DIR: dataDir } });
    ({ db, fake, engine } = testbed);
    bareRepo = fake.addRepository(REPO);
    fake.addRepository("acme/docs", { defaultBranch: "trunk" });
    fake.setPermission(REPO, "octo-lead", "maintain");
    owner = await createUserWithOrg(db, "Ada");
    // PRO runs agents in parallel; the free plan's single agent would only make this slower.
    await db.organization.update({ where: { id: owner.org.id }, data: { plan: "PRO" } });
  });

  afterAll(() => testbed?.close());

  it("installs the app for the organization through GitHub's install page and the setup callback", async () => {
    fake.addInstallation({
      id: INSTALLATION,
      account: { login: "acme" },
      repositories: [REPO, "acme/docs"],
    });
    fake.setInstallFlow({
      setupUrl: "http://localhost/api/github/setup",
      installationId: INSTALLATION,
    });
    const cookie = await sessionCookie(owner.user.id);

    const start = await install(
      new Request(`http://localhost/api/github/install?org=${owner.org.slug}`, {
        headers: { cookie },
      }),
    );
    expect(start.status).toBe(303);
    const installPage = start.headers.get("location") ?? "";
    expect(installPage).toMatch(
      new RegExp(`^${fake.url}/apps/trellis-test/installations/new\\?state=`),
    );

    // The browser on GitHub: it installs and is sent back to the setup URL with the state.
    const back = await fetch(installPage, { redirect: "manual" });
    expect(back.status).toBe(302);
    const callback = back.headers.get("location") ?? "";
    const done = await setup(new Request(callback, { headers: { cookie } }));
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe(
      `http://localhost/${owner.org.slug}/settings?github=connected#github`,
    );
    const row = await db.githubInstallation.findUniqueOrThrow({
      where: { installationId: BigInt(INSTALLATION) },
    });
    expect(row).toMatchObject({ orgId: owner.org.id, accountLogin: "acme", suspendedAt: null });
  });

  it("lists the installation's repositories from GitHub", async () => {
    const listing = await listGithubRepositories(db, { actor: owner.actor });
    expect(listing).toHaveLength(1);
    expect(listing[0]).toMatchObject({
      accountLogin: "acme",
      installationId: INSTALLATION,
      error: null,
    });
    expect(listing[0]?.repositories.map((r) => [r.fullName, r.defaultBranch])).toEqual([
      ["acme/docs", "trunk"],
      ["acme/shop", "main"],
    ]);
  });

  it("refuses to link a repository no installation grants", async () => {
    await expect(
      createProject(db, {
        actor: owner.actor,
        input: { name: "Elsewhere", repoKind: "GITHUB", githubRepository: "someone/else" },
      }),
    ).rejects.toMatchObject({
      code: "INVALID",
      details: { fields: { githubRepository: expect.any(String) } },
    });
  });

  it("turns a labelled issue into a ticket, runs its spec and opens a pull request with the work", async () => {
    const project = await createProject(db, {
      actor: owner.actor,
      input: {
        name: "Shop",
        repoKind: "GITHUB",
        githubRepository: REPO,
        testCommand: "test -f README.md",
      },
    });
    expect(project).toMatchObject({
      repoKind: "GITHUB",
      localPath: null,
      githubRepoFullName: REPO,
    });

    // An issue labelled with another label is not Trellis' business.
    await deliver(
      "issues",
      labeledIssuePayload({
        installationId: INSTALLATION,
        repository: REPO,
        number: 3,
        title: "Typo",
        label: "bug",
      }),
    );
    expect(await db.ticket.count()).toBe(0);

    await deliver(
      "issues",
      labeledIssuePayload({
        installationId: INSTALLATION,
        repository: REPO,
        number: ISSUE,
        title: "Export orders as CSV",
        body: "Finance wants the month's orders in a spreadsheet.",
        label: "Trellis",
      }),
    );
    const ticket = await db.ticket.findFirstOrThrow({ where: { projectId: project.id } });
    expect(ticket).toMatchObject({
      title: "Export orders as CSV",
      source: "GITHUB",
      githubIssueNumber: ISSUE,
      description: "Finance wants the month's orders in a spreadsheet.",
    });
    const spec = await db.spec.findFirstOrThrow({ where: { ticketId: ticket.id } });
    expect(spec.state).toBe("REQUIREMENTS_REVIEW");

    await comment("/trellis approve");
    expect((await db.spec.findUniqueOrThrow({ where: { id: spec.id } })).state).toBe(
      "DESIGN_REVIEW",
    );
    await comment("/trellis approve");
    expect((await db.spec.findUniqueOrThrow({ where: { id: spec.id } })).state).toBe(
      "TASKS_REVIEW",
    );
    await comment("/trellis approve");
    expect((await db.spec.findUniqueOrThrow({ where: { id: spec.id } })).state).toBe("EXECUTING");
    const approvals = await db.activityEvent.findMany({
      where: { specId: spec.id, type: "spec.approved" },
      select: { actorKind: true, data: true },
    });
    expect(approvals).toHaveLength(3);
    for (const a of approvals) {
      expect(a).toMatchObject({
        actorKind: "GITHUB",
        data: { githubLogin: "octo-lead", auto: false },
      });
    }

    const executor = startExecutor(db, {
      workerId: "w-github",
      worktreesRoot,
      concurrency: 2,
      pollMs: 100,
    });
    try {
      await waitFor(
        () => db.spec.findUniqueOrThrow({ where: { id: spec.id } }),
        (s) => s.state === "DONE" || s.state === "FAILED",
      );
    } finally {
      await executor.stop();
    }
    await engine.settled();
    expect(engine.failures).toEqual([]);

    const finished = await db.spec.findUniqueOrThrow({ where: { id: spec.id } });
    expect(finished.state).toBe("DONE");
    const branch = finished.integrationBranch ?? "";
    expect(branch).toBe(`trellis/${spec.slug}`);

    // The branch is in the bare repository on "GitHub", with every task's commit.
    const tasks = await db.task.findMany({ where: { specId: spec.id }, orderBy: { rank: "asc" } });
    expect(tasks.length).toBeGreaterThan(1);
    const subjects = execFileSync("git", ["--git-dir", bareRepo, "log", "--format=%s", branch], {
      encoding: "utf8",
    });
    for (const t of tasks) expect(subjects).toContain(`${t.key} ${t.title}`);
    // The mirror it was pushed from is handed back: no worktree left, its task branches merged
    // and deleted, the pushed branch kept.
    const mirror = (...args: string[]) =>
      execFileSync("git", ["--git-dir", mirrorPath(project.id), ...args], { encoding: "utf8" });
    expect(mirror("worktree", "list", "--porcelain").match(/^worktree /gm)).toHaveLength(1);
    expect(mirror("branch", "--list", "trellis/*", "--format=%(refname:short)").trim()).toBe(
      branch,
    );

    // The pull request, opened through the API, describes the work.
    expect(fake.pulls).toHaveLength(1);
    const pr = fake.pulls[0]!;
    expect(pr).toMatchObject({ repository: REPO, head: branch, base: "main", title: spec.title });
    expect(pr.body).toContain(`Closes #${ISSUE}`);
    const requirements = requirementsContentSchema.parse(
      (
        await db.specArtifact.findFirstOrThrow({
          where: { specId: spec.id, phase: "REQUIREMENTS", status: "APPROVED" },
        })
      ).content,
    ).requirements;
    for (const r of requirements) {
      expect(pr.body).toContain(`**${r.id}** ${r.title}`);
      for (const c of r.acceptanceCriteria) expect(pr.body).toContain(c.id);
    }
    for (const t of tasks) {
      expect(pr.body).toMatch(
        new RegExp(`\\| ${t.key}\\. [^|]*\\| done \\| ✅ passed: test \`test -f README\\.md\` \\|`),
      );
    }
    expect(finished).toMatchObject({
      pullRequestNumber: pr.number,
      pullRequestUrl: `${fake.url}/${REPO}/pull/${pr.number}`,
      pullRequestState: "OPEN",
    });

    // The issue heard about each step.
    const heard = issueComments();
    expect(heard[0]).toMatch(/^Trellis filed this issue as ticket #1 in \*\*Shop\*\*/);
    for (const phase of ["requirements", "design", "task graph"]) {
      expect(heard.some((c) => c.startsWith(`📝 The ${phase} (version 1)`))).toBe(true);
    }
    expect(heard.filter((c) => c.startsWith("@octo-lead: approved the"))).toHaveLength(3);
    expect(heard.some((c) => c.startsWith(`🚀 Execution started: ${tasks.length} tasks`))).toBe(
      true,
    );
    expect(heard.at(-1)).toBe(
      `✅ All ${tasks.length} tasks are done and verified. Pull request #${pr.number} is open for review: ${fake.url}/${REPO}/pull/${pr.number}`,
    );

    // Git went through the token: every request authorised, the push included; and no token
    // was written into the mirror's config, the database's logs, runs or activity.
    expect(fake.gitRequests.length).toBeGreaterThan(0);
    expect(fake.gitRequests.every((r) => r.authorized)).toBe(true);
    expect(fake.gitRequests.some((r) => r.service === "git-receive-pack")).toBe(true);
    const mirrorConfig = readFileSync(path.join(mirrorPath(project.id), "config"), "utf8");
    expect(mirrorConfig).toContain(`${fake.url}/${REPO}.git`);
    const stored = JSON.stringify([
      mirrorConfig,
      await db.runLog.findMany({ select: { text: true } }),
      await db.run.findMany({ select: { errorMessage: true, summary: true, diff: true } }),
      await db.activityEvent.findMany({ select: { data: true } }),
    ]);
    expect(fake.tokens.length).toBeGreaterThan(0);
    for (const token of fake.tokens) expect(stored).not.toContain(token);
    expect(stored).not.toContain("x-access-token");
  });

  it("marks the spec merged and the ticket done when the pull request is merged", async () => {
    const spec = await db.spec.findFirstOrThrow({ where: { pullRequestNumber: { not: null } } });
    await deliver(
      "pull_request",
      pullRequestClosedPayload({
        installationId: INSTALLATION,
        repository: REPO,
        number: spec.pullRequestNumber!,
        merged: true,
        head: spec.integrationBranch!,
      }),
    );
    const merged = await db.spec.findUniqueOrThrow({
      where: { id: spec.id },
      include: { ticket: true },
    });
    expect(merged.pullRequestState).toBe("MERGED");
    expect(merged.ticket?.status).toBe("DONE");
    const event = await db.activityEvent.findFirstOrThrow({
      where: { specId: spec.id, type: "spec.pr_merged" },
    });
    expect(event).toMatchObject({
      actorKind: "GITHUB",
      data: { pullRequest: spec.pullRequestNumber },
    });
  });
});
