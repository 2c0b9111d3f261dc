// Shared pieces of the GitHub App tests: the environment that points the real octokit at the fake
// GitHub (lib/testing/fake-github-api.ts), webhook payloads shaped like GitHub's, and a signed
// delivery to the route handler.
import { functions } from "@/inngest/functions";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import { resetEnvForTests } from "@/lib/env";
import { resetGithubClientsForTests } from "@/lib/github/github-client";
import { signWebhookBody } from "@/lib/github/verify-webhook-signature";
import { setJobEngine } from "@/lib/jobs/get-job-engine";
import { type InlineJobEngine, inlineJobEngine } from "@/lib/jobs/testing/inline-engine";
import { type FakeGithubApi, startFakeGithubApi } from "@/lib/testing/fake-github-api";

export const WEBHOOK_SECRET = "test-webhook-secret-5d1f";

/** Configures the GitHub App against the fake (API and web on its URL). Returns a restore function. */
export function configureFakeGithub(fake: FakeGithubApi, extra: Record<string, string> = {}) {
  const vars: Record<string, string> = {
    GITHUB_APP_ID: fake.appId,
    GITHUB_APP_PRIVATE_KEY: fake.privateKey.replace(/\n/g, "\\n"),
    GITHUB_APP_SLUG: fake.appSlug,
    GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET,
    GITHUB_API_URL: fake.url,
    GITHUB_WEB_URL: fake.url,
    ...extra,
  };
  const previous = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  // The offline provider drafts the spec, whatever this machine's environment says.
  const anthropicKey = process.env.ANTHROPIC_API_KEY;
  delete process.env.ANTHROPIC_API_KEY;
  resetEnvForTests();
  // The fake has no secondary rate limits to keep clear of: no 3 s pause between comments.
  resetGithubClientsForTests({ pacing: false });
  return () => {
    for (const [k, v] of Object.entries(previous)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    if (anthropicKey !== undefined) process.env.ANTHROPIC_API_KEY = anthropicKey;
    resetEnvForTests();
    resetGithubClientsForTests();
  };
}

export interface GithubTestbed {
  fake: FakeGithubApi;
  database: TestDatabase;
  db: TestDatabase["db"];
  /** Runs the background functions in this process (see lib/jobs/testing/inline-engine). */
  engine: InlineJobEngine;
  close(): Promise<void>;
}

/**
 * The fake GitHub with the app configured against it, a fresh database that route handlers and
 * background functions use (the process-wide client), and an in-process job engine.
 */
export async function startGithubTestbed(
  options: { env?: Record<string, string>; dedupe?: boolean } = {},
): Promise<GithubTestbed> {
  const fake = await startFakeGithubApi();
  const restoreEnv = configureFakeGithub(fake, options.env);
  const database = await createTestDatabase();
  const globalForDb = globalThis as { trellisDb?: TestDatabase["db"] };
  globalForDb.trellisDb = database.db;
  const engine = inlineJobEngine(functions, { dedupe: options.dedupe });
  setJobEngine(engine);
  return {
    fake,
    database,
    db: database.db,
    engine,
    async close() {
      await engine.settled();
      setJobEngine(undefined);
      globalForDb.trellisDb = undefined;
      restoreEnv();
      await database.drop();
      await fake.close();
    },
  };
}

const sender = (login: string, id: number) => ({ login, id, type: "User" });
const repositoryOf = (fullName: string) => ({
  full_name: fullName,
  name: fullName.split("/")[1],
  owner: { login: fullName.split("/")[0] },
});

export function labeledIssuePayload(options: {
  installationId: number;
  repository: string;
  number: number;
  title: string;
  body?: string;
  label: string;
  login?: string;
}) {
  return {
    action: "labeled",
    installation: { id: options.installationId },
    repository: repositoryOf(options.repository),
    issue: {
      number: options.number,
      title: options.title,
      body: options.body ?? "",
      html_url: `https://github.com/${options.repository}/issues/${options.number}`,
      labels: [{ name: options.label }],
      state: "open",
    },
    label: { name: options.label },
    sender: sender(options.login ?? "octo-lead", 1001),
  };
}

export function issueCommentPayload(options: {
  installationId: number;
  repository: string;
  number: number;
  body: string;
  login: string;
  userId?: number;
}) {
  return {
    action: "created",
    installation: { id: options.installationId },
    repository: repositoryOf(options.repository),
    issue: {
      number: options.number,
      title: "An issue",
      body: "",
      html_url: `https://github.com/${options.repository}/issues/${options.number}`,
    },
    comment: {
      id: 9000 + options.number,
      body: options.body,
      user: sender(options.login, options.userId ?? 2002),
    },
    sender: sender(options.login, options.userId ?? 2002),
  };
}

export function pullRequestClosedPayload(options: {
  installationId: number;
  repository: string;
  number: number;
  merged: boolean;
  head: string;
  login?: string;
}) {
  return {
    action: "closed",
    number: options.number,
    installation: { id: options.installationId },
    repository: repositoryOf(options.repository),
    pull_request: {
      number: options.number,
      html_url: `https://github.com/${options.repository}/pull/${options.number}`,
      merged: options.merged,
      state: "closed",
      head: { ref: options.head },
      base: { ref: "main" },
    },
    sender: sender(options.login ?? "octo-lead", 1001),
  };
}

/** A delivery as GitHub sends it: JSON body, event, GUID and X-Hub-Signature-256 over the bytes. */
export function webhookRequest(options: {
  event: string;
  payload: unknown;
  delivery?: string;
  secret?: string;
  /** Replace the signature header ("" leaves it out). */
  signature?: string;
  /** Change the body after signing it. */
  tamper?: (body: string) => string;
}): Request {
  const body =
    typeof options.payload === "string" ? options.payload : JSON.stringify(options.payload);
  const signature = options.signature ?? signWebhookBody(options.secret ?? WEBHOOK_SECRET, body);
  const headers = new Headers({
    "content-type": "application/json",
    "user-agent": "GitHub-Hookshot/abc123",
    "x-github-event": options.event,
    "x-github-delivery": options.delivery ?? crypto.randomUUID(),
  });
  if (signature) headers.set("x-hub-signature-256", signature);
  return new Request("http://localhost/api/webhooks/github", {
    method: "POST",
    headers,
    body: options.tamper ? options.tamper(body) : body,
  });
}
