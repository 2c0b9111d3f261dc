// The secrets Trellis holds for GitHub and Stripe — installation tokens, the app's private key,
// both webhook secrets, the Stripe secret key — never reach the places people and agents read:
// log lines, the database (activity events, run logs, runs, every other table), REST API
// responses, what Trellis posts to GitHub, and the environment (and prompt, and git config) an
// agent or verification command gets in the sandbox. One realistic flow with the real SDKs
// against the local fakes (GitHub install -> labelled issue -> spec run by a command-line agent ->
// pushed branch and pull request -> merge; Stripe Checkout -> webhooks -> metered usage, with a
// lost response), logging at trace level into a capture; then every place is searched. The last
// test plants each secret in each place and expects the search to find it.
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Every level, from the first module that logs on: the search must see debug and trace lines too.
vi.hoisted(() => {
  process.env.LOG_LEVEL = "trace";
});

import { GET as install } from "@/app/api/github/install/route";
import { GET as setup } from "@/app/api/github/setup/route";
import { GET as getOpenApi } from "@/app/api/v1/openapi.json/route";
import { POST as githubWebhook } from "@/app/api/webhooks/github/route";
import { POST as stripeWebhook } from "@/app/api/webhooks/stripe/route";
import type { OpenApiDocument } from "@/lib/api/v1/openapi";
import { callApi, mintApiKey } from "@/lib/api/v1/testing/api-client";
import { createCheckoutSession } from "@/lib/billing/create-checkout-session";
import { createPortalSession } from "@/lib/billing/create-portal-session";
import { reportMeterUsage } from "@/lib/billing/report-meter-usage";
import { requireStripe } from "@/lib/billing/stripe-client";
import type { Db } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/env";
import { startExecutor } from "@/lib/execution/start-executor";
import { waitFor } from "@/lib/execution/testing/execution-fixtures";
import { listGithubRepositories } from "@/lib/github/list-github-repositories";
import {
  type GithubTestbed,
  issueCommentPayload,
  labeledIssuePayload,
  pullRequestClosedPayload,
  startGithubTestbed,
  webhookRequest,
} from "@/lib/github/testing/github-fixtures";
import { captureLogLines, logger } from "@/lib/logger";
import { createProject } from "@/lib/projects/create-project";
import {
  FAKE_METER_EVENT,
  type FakeEvent,
  type FakeStripe,
  startFakeStripe,
} from "@/lib/testing/fake-stripe";
import { sessionCookie } from "@/lib/testing/session-cookie";
import { createUserWithOrg } from "@/prisma/factories";

const INSTALLATION = 5150;
const REPO = "acme/vault";
const ISSUE = 42;
const word = () => randomBytes(12).toString("hex");
// Fresh values, so nothing in the code base or an earlier run can match by accident.
const AUTH_SECRET = `auth-${word()}`;
const GITHUB_WEBHOOK_SECRET = `ghwh-${word()}`;
const STRIPE_SECRET_KEY = `sk_test_${word()}`;
const STRIPE_WEBHOOK_SECRET = `whsec_${word()}`;

interface Needle {
  name: string;
  value: string;
}

/**
 * The secrets as they could show up: each installation token raw and in the Basic header git
 * sends, each line of the private key's PEM body (so a partial key counts), the other secrets raw.
 */
function needlesOf(secrets: {
  tokens: string[];
  privateKey: string;
  stripeSecretKey: string;
  stripeWebhookSecret: string;
  githubWebhookSecret: string;
  authSecret: string;
}): Needle[] {
  const pemLines = secrets.privateKey
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length >= 32 && !line.startsWith("-----"));
  return [
    ...secrets.tokens.flatMap((token, i) => [
      { name: `installation token #${i + 1}`, value: token },
      {
        name: `installation token #${i + 1} (Basic header)`,
        value: Buffer.from(`x-access-token:${token}`).toString("base64"),
      },
    ]),
    ...pemLines.map((line, i) => ({ name: `GITHUB_APP_PRIVATE_KEY line ${i + 1}`, value: line })),
    { name: "STRIPE_SECRET_KEY", value: secrets.stripeSecretKey },
    { name: "STRIPE_WEBHOOK_SECRET", value: secrets.stripeWebhookSecret },
    { name: "GITHUB_WEBHOOK_SECRET", value: secrets.githubWebhookSecret },
    { name: "AUTH_SECRET", value: secrets.authSecret },
  ];
}

/** Which secrets appear in which of the `places` (label -> text); empty when none does. */
function findSecrets(needles: Needle[], places: Array<[label: string, text: string]>): string[] {
  const found: string[] = [];
  for (const [label, text] of places) {
    for (const needle of needles) {
      if (text.includes(needle.value)) found.push(`${needle.name} in ${label}`);
    }
  }
  return found;
}

const stringify = (value: unknown) =>
  JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v));

/** Every row of every table of the test database, as JSON text (table -> rows). */
async function databaseDump(db: Db): Promise<Array<[string, string]>> {
  const tables = await db.$queryRaw<{ name: string }[]>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`;
  const dump: Array<[string, string]> = [];
  for (const { name } of tables) {
    const rows = await db.$queryRawUnsafe<{ row: string }[]>(
      `SELECT row_to_json(t)::text AS row FROM "${name.replace(/"/g, '""')}" t`,
    );
    dump.push([`table ${name}`, rows.map((r) => r.row).join("\n")]);
  }
  return dump;
}

describe("installation tokens and Stripe secrets never leak", () => {
  let testbed: GithubTestbed;
  let db: Db;
  let stripe: FakeStripe;
  let owner: Awaited<ReturnType<typeof createUserWithOrg>>;
  const savedEnv = { ...process.env };
  const logLines: string[] = [];
  let stopCapture: () => void = () => {};
  /** Answers Trellis gave during the flow (routes, domain results the UI shows), as text. */
  const answers: Array<[string, string]> = [];
  // Outside every repository: what each agent and verification command found in its sandbox.
  // Not in DATA_DIR nor the temp dir (the test sets TMPDIR): the sandbox hides both.
  const root = mkdtempSync(path.join(os.tmpdir(), "trellis-leak-"));
  const [sandboxDumps, dataDir, worktreesRoot, tmpDir] = ["dumps", "data", "worktrees", "tmp"].map(
    (name) => path.join(root, name),
  ) as [string, string, string, string];
  for (const dir of [sandboxDumps, dataDir, worktreesRoot, tmpDir]) mkdirSync(dir);
  // The secrets as they stand after the flow (every installation token GitHub handed out).
  const secrets = () =>
    needlesOf({
      tokens: testbed.fake.tokens,
      privateKey: testbed.fake.privateKey,
      stripeSecretKey: STRIPE_SECRET_KEY,
      stripeWebhookSecret: STRIPE_WEBHOOK_SECRET,
      githubWebhookSecret: GITHUB_WEBHOOK_SECRET,
      authSecret: AUTH_SECRET,
    });

  const answer = async (label: string, response: Response) => {
    const text = await response.clone().text();
    answers.push([label, `${response.status} ${stringify([...response.headers])} ${text}`]);
    return response;
  };
  const deliverToGithub = async (event: string, payload: unknown) => {
    const response = await answer(
      `webhook ${event}`,
      await githubWebhook(webhookRequest({ event, payload, secret: GITHUB_WEBHOOK_SECRET })),
    );
    await testbed.engine.settled();
    return response;
  };
  const deliverToStripe = async (event: FakeEvent, secret?: string) => {
    const { payload, signature } = stripe.sign(event, { secret });
    return answer(
      `stripe webhook ${event.type}`,
      await stripeWebhook(
        new Request("http://localhost/api/webhooks/stripe", {
          method: "POST",
          headers: { "content-type": "application/json", "stripe-signature": signature },
          body: payload,
        }),
      ),
    );
  };

  beforeAll(async () => {
    process.env.TMPDIR = tmpDir;
    stopCapture = captureLogLines((line) => logLines.push(line));
    stripe = await startFakeStripe({
      secretKey: STRIPE_SECRET_KEY,
      webhookSecret: STRIPE_WEBHOOK_SECRET,
    });
    Object.assign(process.env, stripe.env);
    testbed = await startGithubTestbed({
      env: { AUTH_SECRET, DATA_DIR: dataDir, GITHUB_WEBHOOK_SECRET },
    });
    db = testbed.db;
    testbed.fake.addRepository(REPO);
    owner = await createUserWithOrg(db, "Ada");
  });

  afterAll(async () => {
    stopCapture();
    await testbed?.close();
    await stripe?.close();
    process.env = savedEnv;
    resetEnvForTests();
    rmSync(root, { recursive: true, force: true });
  });

  it("runs GitHub and Stripe end to end: install, issue to pull request, Checkout, webhooks, metered usage", async () => {
    const { fake, engine } = testbed;
    const cookie = await sessionCookie(owner.user.id, AUTH_SECRET);

    // Stripe: Checkout, the webhooks it sends (one with a wrong signature), the portal.
    const checkout = await createCheckoutSession(db, {
      actor: owner.actor,
      input: { plan: "PRO" },
    });
    answers.push(["checkout session", stringify(checkout)]);
    for (const event of stripe.completeCheckout(checkout.url.split("/").at(-1) ?? "")) {
      expect((await deliverToStripe(event)).status).toBe(200);
    }
    // A renewal fails while Stripe's API does not answer: the webhook fails (and is logged), Stripe
    // delivers again, the organization is past due; then the invoice is paid.
    const subscriptionId = String(
      stripe.checkoutSessions.get(checkout.url.split("/").at(-1) ?? "")?.subscription,
    );
    const failure = stripe.failPayment(subscriptionId);
    stripe.loseResponses(3);
    expect((await deliverToStripe(failure[0]!)).status).toBe(500);
    for (const event of failure) expect((await deliverToStripe(event)).status).toBe(200);
    expect(
      (await db.organization.findUniqueOrThrow({ where: { id: owner.org.id } })).subscriptionStatus,
    ).toBe("PAST_DUE");
    for (const event of stripe.payInvoice(subscriptionId)) {
      expect((await deliverToStripe(event)).status).toBe(200);
    }
    const forged = stripe.event("invoice.paid", { id: "in_forged" });
    expect((await deliverToStripe(forged, `whsec_${word()}`)).status).toBe(400);
    const org = await db.organization.findUniqueOrThrow({ where: { id: owner.org.id } });
    expect(org.plan).toBe("PRO");
    answers.push([
      "portal session",
      stringify(await createPortalSession(db, { actor: owner.actor })),
    ]);

    // GitHub: Connect GitHub -> install page -> setup callback; the listing; a suspended spell.
    fake.addInstallation({ id: INSTALLATION, account: { login: "acme" }, repositories: [REPO] });
    fake.setInstallFlow({
      setupUrl: "http://localhost/api/github/setup",
      installationId: INSTALLATION,
    });
    const start = await answer(
      "install",
      await install(
        new Request(`http://localhost/api/github/install?org=${owner.org.slug}`, {
          headers: { cookie },
        }),
      ),
    );
    const back = await fetch(start.headers.get("location") ?? "", { redirect: "manual" });
    const done = await answer(
      "setup",
      await setup(new Request(back.headers.get("location") ?? "", { headers: { cookie } })),
    );
    expect(done.status).toBe(303);
    answers.push([
      "repositories",
      stringify(await listGithubRepositories(db, { actor: owner.actor })),
    ]);
    fake.setSuspended(INSTALLATION, true);
    const suspended = await listGithubRepositories(db, { actor: owner.actor });
    answers.push(["repositories while suspended", stringify(suspended)]);
    fake.setSuspended(INSTALLATION, false);

    // A project on the repository whose agent and verification commands record their sandbox.
    // Also the auth secret as the launcher generates it into DATA_DIR (hidden from the sandbox).
    writeFileSync(path.join(dataDir, "auth-secret"), `${AUTH_SECRET}\n`, { mode: 0o600 });
    const dump = (kind: string) =>
      `{ env; echo; cat "$TRELLIS_TASK_PROMPT_FILE" "${dataDir}/auth-secret" 2>/dev/null; echo; git config --list --show-origin; } > "${sandboxDumps}/${kind}-$(date +%s%N)-$$.txt"`;
    const project = await createProject(db, {
      actor: owner.actor,
      input: {
        name: "Vault",
        repoKind: "GITHUB",
        githubRepository: REPO,
        agentCommand: `${dump("agent")}; echo "$TRELLIS_TASK_TITLE" > "task-$TRELLIS_TASK_KEY.txt"`,
        testCommand: dump("verify"),
        approvalRequirements: "AUTO",
        approvalDesign: "AUTO",
        approvalTasks: "AUTO",
      },
    });

    // A labelled issue becomes a ticket whose spec runs; a wrong signature and an outsider's
    // command are refused along the way.
    const issue = labeledIssuePayload({
      installationId: INSTALLATION,
      repository: REPO,
      number: ISSUE,
      title: "Rotate the vault keys",
      body: "Keys older than 90 days must be rotated.",
      label: "Trellis",
    });
    const unsigned = await githubWebhook(
      webhookRequest({ event: "issues", payload: issue, secret: `wrong-${word()}` }),
    );
    expect((await answer("webhook with a wrong signature", unsigned)).status).toBe(401);
    expect((await deliverToGithub("issues", issue)).status).toBe(202);
    const comment = issueCommentPayload({
      installationId: INSTALLATION,
      repository: REPO,
      number: ISSUE,
      body: "/trellis cancel",
      login: "drive-by",
    });
    expect((await deliverToGithub("issue_comment", comment)).status).toBe(202);
    const ticket = await db.ticket.findFirstOrThrow({ where: { projectId: project.id } });
    const spec = await db.spec.findFirstOrThrow({ where: { ticketId: ticket.id } });

    const executor = startExecutor(db, {
      workerId: "w-leak",
      worktreesRoot,
      concurrency: 2,
      pollMs: 100,
    });
    try {
      await waitFor(
        db,
        () => db.spec.findUniqueOrThrow({ where: { id: spec.id } }),
        (s) => s.state === "DONE" || s.state === "FAILED",
        90_000,
      );
    } finally {
      await executor.stop();
    }
    await engine.settled();
    expect(engine.failures).toEqual([]);
    const finished = await db.spec.findUniqueOrThrow({ where: { id: spec.id } });
    expect(finished.state).toBe("DONE");
    expect(fake.pulls).toHaveLength(1);
    expect(
      (
        await deliverToGithub(
          "pull_request",
          pullRequestClosedPayload({
            installationId: INSTALLATION,
            repository: REPO,
            number: finished.pullRequestNumber ?? 0,
            merged: true,
            head: finished.integrationBranch ?? "",
          }),
        )
      ).status,
    ).toBe(202);
    expect(engine.failures).toEqual([]);

    // Metered usage: the first answer is lost and the SDK retries with the same idempotency key.
    expect(await db.usageRecord.count({ where: { orgId: owner.org.id } })).toBeGreaterThan(0);
    stripe.loseResponses(1);
    const usage = await reportMeterUsage(db, {
      stripe: requireStripe(),
      eventName: FAKE_METER_EVENT,
    });
    expect(usage).toMatchObject({ failed: 0 });
    expect(stripe.meterEvents).toHaveLength(usage.reported);

    // The secrets were in use: tokens handed out and accepted by git (clone and push).
    expect(fake.tokens.length).toBeGreaterThan(0);
    expect(fake.gitRequests.some((r) => r.service === "git-receive-pack" && r.authorized)).toBe(
      true,
    );
    expect(
      stripe.requests.every((r) => r.headers.authorization === `Bearer ${STRIPE_SECRET_KEY}`),
    ).toBe(true);
  });

  it("none appears in the log lines, written at trace level", () => {
    expect(secrets().length).toBeGreaterThan(8);
    // Among them the errors most likely to carry a secret, serialised whole: the Stripe SDK's
    // connection error (a webhook's failed API call) and octokit's request error, request included.
    const all = logLines.join("");
    for (const expected of [
      "executor started",
      "task finished",
      "route handler failed",
      "listing repositories failed",
    ]) {
      expect(all).toContain(expected);
    }
    expect(
      findSecrets(
        secrets(),
        logLines.map((line, i) => [`log line ${i + 1}`, line]),
      ),
    ).toEqual([]);
  });

  it("none appears in activity events, run logs, runs or any other table", async () => {
    const orgId = owner.org.id;
    const activity = await db.activityEvent.findMany({ where: { orgId } });
    const runLogs = await db.runLog.findMany({ where: { orgId } });
    const runs = await db.run.findMany({ where: { orgId } });
    expect(activity.length).toBeGreaterThan(10);
    expect(runLogs.length).toBeGreaterThan(10);
    expect(runs.length).toBeGreaterThan(1);
    expect(activity.map((e) => e.type)).toEqual(
      expect.arrayContaining(["github.installed", "spec.pr_merged"]),
    );
    expect(
      findSecrets(secrets(), [
        ["ActivityEvent rows", stringify(activity)],
        ["RunLog rows", stringify(runLogs)],
        ["Run rows", stringify(runs)],
        ...(await databaseDump(db)),
      ]),
    ).toEqual([]);
  });

  it("none appears in a response of the REST API's GET endpoints, the routes' answers, or what Trellis posted to GitHub", async () => {
    const orgId = owner.org.id;
    const { key } = await mintApiKey(db, owner.actor, "READ");
    // Callback deliveries are for admin keys (their URLs often carry a token).
    const { key: adminKey } = await mintApiKey(db, owner.actor, "ADMIN");
    const doc = (await (await getOpenApi()).json()) as OpenApiDocument;
    // Every id of the organization, for each path parameter.
    const ids: Record<string, string[]> = {
      projectId: (await db.project.findMany({ where: { orgId } })).map((r) => r.id),
      ticketId: (await db.ticket.findMany({ where: { orgId } })).map((r) => r.id),
      specId: (await db.spec.findMany({ where: { orgId } })).map((r) => r.id),
      taskId: (await db.task.findMany({ where: { orgId } })).map((r) => r.id),
      runId: (await db.run.findMany({ where: { orgId } })).map((r) => r.id),
    };
    const responses: Array<[string, string]> = [];
    const gets = Object.entries(doc.paths).flatMap(([p, methods]) =>
      methods.get ? [{ path: p, op: methods.get }] : [],
    );
    expect(gets.map((g) => g.op.operationId).sort()).toEqual([
      "exportSpec",
      "getProject",
      "getRun",
      "getSpec",
      "getTask",
      "getTicket",
      "listActivity",
      "listCallbackDeliveries",
      "listProjects",
      "listRunLogs",
      "listRunTraceEvents",
      "listTasks",
      "listTickets",
    ]);
    for (const { path: p, op } of gets) {
      const pathParam = op.parameters.find((param) => param.in === "path")?.name;
      const limit = op.parameters.find((param) => param.name === "limit")?.schema.maximum;
      for (const id of pathParam ? (ids[pathParam] ?? []) : [undefined]) {
        // Every page: follow next_cursor until the list ends.
        let cursor: string | undefined;
        for (let page = 0; page < 100; page++) {
          const query: Record<string, string> = {};
          if (limit !== undefined) query.limit = String(limit);
          if (cursor) query.cursor = cursor;
          const response = await callApi("GET", p, {
            key: op["x-required-scope"] === "admin" ? adminKey : key,
            params: pathParam && id ? { [pathParam]: id } : undefined,
            query,
          });
          const text = await response.text();
          expect({ op: op.operationId, status: response.status }).toEqual({
            op: op.operationId,
            status: 200,
          });
          responses.push([`${op.operationId} ${id ?? ""} page ${page + 1}`, text]);
          const body = JSON.parse(text) as { data?: unknown[]; next_cursor?: string | null };
          if (!body.next_cursor || !body.data?.length) break;
          cursor = body.next_cursor;
        }
      }
    }
    expect(responses.length).toBeGreaterThan(gets.length);
    const posted = [
      ...testbed.fake.comments.map((c) => c.body),
      ...testbed.fake.pulls.map((pr) => `${pr.title}\n${pr.body}`),
    ];
    expect(posted.length).toBeGreaterThan(3);
    expect(
      findSecrets(secrets(), [
        ...responses,
        ...answers,
        ["comments and pull requests posted to GitHub", posted.join("\n")],
      ]),
    ).toEqual([]);
  });

  it("none appears in the environment, prompt or git config an agent or verification command gets", () => {
    const files = readdirSync(sandboxDumps);
    const agents = files.filter((f) => f.startsWith("agent-"));
    const verifications = files.filter((f) => f.startsWith("verify-"));
    expect(agents.length).toBeGreaterThan(1);
    expect(verifications.length).toBeGreaterThan(1);
    const dumps = files.map((f): [string, string] => [
      f,
      readFileSync(path.join(sandboxDumps, f), "utf8"),
    ]);
    // Real dumps: the sandbox's own variables, the task, the worktree's git config.
    for (const [name, text] of dumps) {
      expect(text, name).toMatch(/^PATH=/m);
      expect(text, name).toMatch(/^GIT_CONFIG_NOSYSTEM=1$/m);
      expect(text, name).toContain("core.bare=");
    }
    for (const [name, text] of dumps.filter(([f]) => f.startsWith("agent-"))) {
      expect(text, name).toMatch(/^TRELLIS_TASK_ID=/m);
    }
    expect(findSecrets(secrets(), dumps)).toEqual([]);
  });

  it("the search finds each secret when it is planted in each place it looks", async () => {
    // The matcher: raw, inside JSON, as git's Basic header, one line of the key.
    const token = testbed.fake.tokens[0] ?? "";
    expect(findSecrets(secrets(), [["text", `Authorization: token ${token}`]])).toEqual([
      "installation token #1 in text",
    ]);
    expect(
      findSecrets(secrets(), [
        ["header", `Basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`],
      ]),
    ).toEqual(["installation token #1 (Basic header) in header"]);
    const keyLine = testbed.fake.privateKey.split("\n")[5] ?? "";
    expect(findSecrets(secrets(), [["json", stringify({ key: `x${keyLine}y` })]])).toEqual([
      "GITHUB_APP_PRIVATE_KEY line 5 in json",
    ]);
    expect(findSecrets(secrets(), [["clean", "nothing to see here"]])).toEqual([]);

    // The places: a log line, a database row the API serves, a sandbox dump.
    const planted: string[] = [];
    const stop = captureLogLines((line) => planted.push(line));
    logger.debug({ header: `Bearer ${STRIPE_SECRET_KEY}` }, "planted");
    stop();
    expect(
      findSecrets(
        secrets(),
        planted.map((line): [string, string] => ["log", line]),
      ),
    ).toEqual(["STRIPE_SECRET_KEY in log"]);
    await db.activityEvent.create({
      data: { orgId: owner.org.id, type: "planted", data: { secret: STRIPE_WEBHOOK_SECRET } },
    });
    const dumped = (await databaseDump(db)).filter(([label]) => label === "table ActivityEvent");
    expect(findSecrets(secrets(), dumped)).toEqual([
      "STRIPE_WEBHOOK_SECRET in table ActivityEvent",
    ]);
    const { key } = await mintApiKey(db, owner.actor, "READ");
    const served = await (
      await callApi("GET", "/activity", { key, query: { limit: "100" } })
    ).text();
    expect(findSecrets(secrets(), [["activity", served]])).toEqual([
      "STRIPE_WEBHOOK_SECRET in activity",
    ]);
    writeFileSync(path.join(sandboxDumps, "planted.txt"), `GITHUB_TOKEN=${token}\n`);
    const files = readdirSync(sandboxDumps).map((f): [string, string] => [
      f,
      readFileSync(path.join(sandboxDumps, f), "utf8"),
    ]);
    expect(findSecrets(secrets(), files)).toEqual(["installation token #1 in planted.txt"]);
  });
});
