// What a GitHub-linked spec tells GitHub as it moves: a comment on its issue when a phase is ready
// for review and when execution starts, and, when the spec is done, its branch pushed and a pull
// request opened (then a comment linking it). Sent after the transition commits, run by a durable
// background function (inngest/github-spec-status.ts), once per state and artifact version.
import "server-only";
import type { Db } from "@/lib/db/client";
import { appUrl } from "@/lib/env";
import type { SpecState } from "@/lib/generated/prisma/enums";
import { getJobEngine } from "@/lib/jobs/get-job-engine";
import type { StepTools } from "@/lib/jobs/port";
import { logger } from "@/lib/logger";
import { phaseOfState } from "@/lib/specs/state-machine";
import { postIssueComment } from "./github-rest";
import { openSpecPullRequest } from "./open-spec-pull-request";
import { pushGithubBranch } from "./repository-mirror";

export const githubSpecStatusEvent = "github/spec.status";

const reported = ["REQUIREMENTS_REVIEW", "DESIGN_REVIEW", "TASKS_REVIEW", "EXECUTING", "DONE"];
type ReportedState =
  | "REQUIREMENTS_REVIEW"
  | "DESIGN_REVIEW"
  | "TASKS_REVIEW"
  | "EXECUTING"
  | "DONE";

export interface GithubSpecStatus {
  orgId: string;
  specId: string;
  state: ReportedState;
  /** The artifact version under review (0 for execution and done). */
  version: number;
}

const isReported = (state: SpecState): state is ReportedState => reported.includes(state);

/**
 * Queues the GitHub side of the spec's current state when the spec's project is linked to
 * GitHub; nothing otherwise. Call after the transaction that moved the spec has committed. Keyed
 * by spec, state and version, so calling it twice for one state sends one status. Never throws:
 * the change that was made stands whatever happens to its echo on GitHub (a failure is logged).
 */
export async function notifySpecStatus(db: Db, options: { orgId: string; specId: string }) {
  try {
    return await queueSpecStatus(db, options);
  } catch (error) {
    logger.error({ err: error, specId: options.specId }, "queueing the GitHub status failed");
    return null;
  }
}

async function queueSpecStatus(db: Db, options: { orgId: string; specId: string }) {
  const spec = await db.spec.findFirst({
    where: { id: options.specId, orgId: options.orgId, project: { repoKind: "GITHUB" } },
    select: { state: true },
  });
  if (!spec || !isReported(spec.state)) return null;
  const phase = phaseOfState(spec.state);
  const latest = phase
    ? await db.specArtifact.findFirst({
        where: { specId: options.specId, phase },
        orderBy: { version: "desc" },
        select: { version: true },
      })
    : null;
  const status: GithubSpecStatus = {
    orgId: options.orgId,
    specId: options.specId,
    state: spec.state,
    version: latest?.version ?? 0,
  };
  return getJobEngine().send({
    name: githubSpecStatusEvent,
    data: status,
    id: `github-status:${status.specId}:${status.state}:v${status.version}`,
  });
}

const reviewNames: Record<string, string> = {
  REQUIREMENTS_REVIEW: "requirements",
  DESIGN_REVIEW: "design",
  TASKS_REVIEW: "task graph",
};

async function loadTarget(db: Db, status: GithubSpecStatus) {
  const spec = await db.spec.findFirst({
    where: { id: status.specId, orgId: status.orgId },
    select: {
      projectId: true,
      integrationBranch: true,
      org: { select: { slug: true } },
      ticket: { select: { githubIssueNumber: true } },
      project: {
        select: {
          githubRepoFullName: true,
          githubInstallation: { select: { installationId: true, suspendedAt: true } },
        },
      },
      _count: { select: { tasks: true } },
    },
  });
  const installation = spec?.project.githubInstallation;
  if (!spec || !installation || installation.suspendedAt || !spec.project.githubRepoFullName) {
    return null;
  }
  return {
    projectId: spec.projectId,
    branch: spec.integrationBranch,
    installationId: Number(installation.installationId),
    repository: spec.project.githubRepoFullName,
    issueNumber: spec.ticket?.githubIssueNumber ?? null,
    specUrl: `${appUrl()}/${spec.org.slug}/specs/${status.specId}`,
    tasks: spec._count.tasks,
  };
}

/** The background function's body: comment on the issue, or push and open the pull request. */
export async function publishSpecStatus(
  db: Db,
  options: { status: GithubSpecStatus; step: StepTools },
) {
  const { status, step } = options;
  const target = await step.run("load", () => loadTarget(db, status));
  if (!target) return { skipped: "not linked to a GitHub repository" };
  const comment = (body: string) =>
    target.issueNumber === null
      ? Promise.resolve(null)
      : step.run("comment", () =>
          postIssueComment({
            installationId: target.installationId,
            repository: target.repository,
            issueNumber: target.issueNumber as number,
            body,
          }),
        );

  if (status.state === "DONE") {
    const branch = target.branch;
    if (!branch) return { skipped: "the spec has no integration branch" };
    await step.run("push", () => pushGithubBranch(db, { projectId: target.projectId, branch }));
    const pr = await step.run("open-pull-request", () =>
      openSpecPullRequest(db, { orgId: status.orgId, specId: status.specId }),
    );
    await comment(
      `✅ All ${target.tasks} tasks are done and verified. Pull request #${pr.number} is open for review: ${pr.url}`,
    );
    return { pullRequest: pr.number };
  }
  if (status.state === "EXECUTING") {
    await comment(
      `🚀 Execution started: ${target.tasks} tasks are queued for agents. Trellis opens a pull request when they are done. Follow along: ${target.specUrl}`,
    );
    return { commented: status.state };
  }
  const what = reviewNames[status.state] ?? "phase";
  await comment(
    `📝 The ${what} (version ${status.version}) ${what.endsWith("s") ? "are" : "is"} ready for review: ${target.specUrl}\n\nApprove with \`/trellis approve\` (write access needed) or in Trellis; \`/trellis cancel\` stops the spec.`,
  );
  return { commented: status.state };
}
