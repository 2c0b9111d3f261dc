import "server-only";
import { recordActivity } from "@/lib/activity/record-activity";
import { AppError } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { appUrl } from "@/lib/env";
import { requirementsContentSchema } from "@/lib/specs/artifact-schemas";
import { createPullRequest } from "./github-rest";
import { pullRequestBody } from "./pull-request-body";

/**
 * Opens the pull request of a finished spec (its integration branch, already pushed, into the
 * project's default branch) and stores its number and URL on the spec. Idempotent: a spec that
 * has one keeps it, and GitHub's "already exists" answer is resolved to the open one.
 */
export async function openSpecPullRequest(db: Db, options: { orgId: string; specId: string }) {
  const spec = await db.spec.findFirst({
    where: { id: options.specId, orgId: options.orgId },
    select: {
      id: true,
      title: true,
      state: true,
      integrationBranch: true,
      pullRequestNumber: true,
      pullRequestUrl: true,
      projectId: true,
      ticketId: true,
      org: { select: { slug: true } },
      project: {
        select: {
          githubRepoFullName: true,
          defaultBranch: true,
          githubInstallation: { select: { installationId: true } },
        },
      },
      ticket: { select: { number: true, title: true, githubIssueNumber: true } },
      artifacts: {
        where: { phase: "REQUIREMENTS", status: "APPROVED" },
        orderBy: { version: "desc" },
        take: 1,
        select: { content: true },
      },
      tasks: {
        orderBy: [{ rank: "asc" }, { key: "asc" }],
        select: {
          key: true,
          title: true,
          status: true,
          runs: {
            where: { status: "SUCCEEDED" },
            orderBy: { attempt: "desc" },
            take: 1,
            select: {
              verifications: {
                orderBy: { createdAt: "asc" },
                select: { kind: true, command: true, passed: true, exitCode: true },
              },
            },
          },
        },
      },
    },
  });
  if (!spec) throw new AppError("NOT_FOUND", "Spec not found");
  if (spec.pullRequestNumber !== null && spec.pullRequestUrl) {
    return { number: spec.pullRequestNumber, url: spec.pullRequestUrl, created: false };
  }
  const repository = spec.project.githubRepoFullName;
  const installation = spec.project.githubInstallation;
  if (!repository || !installation || !spec.integrationBranch) {
    throw new AppError("CONFLICT", "The spec has no pushed branch in a linked GitHub repository.");
  }

  const requirements = spec.artifacts[0]
    ? requirementsContentSchema.parse(spec.artifacts[0].content).requirements
    : [];
  const body = pullRequestBody({
    specTitle: spec.title,
    specUrl: `${appUrl()}/${spec.org.slug}/specs/${spec.id}`,
    ticket: spec.ticket ? { number: spec.ticket.number, title: spec.ticket.title } : null,
    issueNumber: spec.ticket?.githubIssueNumber ?? null,
    requirements: requirements.map((r) => ({
      id: r.id,
      title: r.title,
      criteria: r.acceptanceCriteria.map((c) => ({ id: c.id, text: c.text })),
    })),
    tasks: spec.tasks.map((t) => ({
      key: t.key,
      title: t.title,
      status: t.status,
      verifications: t.runs[0]?.verifications ?? [],
    })),
  });
  const pr = await createPullRequest({
    installationId: installation.installationId,
    repository,
    head: spec.integrationBranch,
    base: spec.project.defaultBranch,
    title: spec.title,
    body,
  });

  await db.$transaction(async (tx) => {
    const stored = await tx.spec.updateMany({
      where: { id: spec.id, pullRequestNumber: null },
      data: { pullRequestNumber: pr.number, pullRequestUrl: pr.url, pullRequestState: "OPEN" },
    });
    if (stored.count === 0) return;
    await recordActivity(tx, {
      orgId: options.orgId,
      type: "spec.pr_opened",
      actorKind: "SYSTEM",
      projectId: spec.projectId,
      ticketId: spec.ticketId,
      specId: spec.id,
      data: { pullRequest: pr.number, url: pr.url, branch: spec.integrationBranch },
    });
  });
  return { ...pr, created: true };
}
