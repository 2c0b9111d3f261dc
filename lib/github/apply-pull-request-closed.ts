import "server-only";
import { recordActivity } from "@/lib/activity/record-activity";
import type { Prisma } from "@/lib/generated/prisma/client";
import { githubActor, linkedProjects } from "./github-intake";
import type { GithubWebhook } from "./github-webhook";

type Tx = Prisma.TransactionClient;

/**
 * A Trellis pull request was closed: merged, the spec is MERGED and its ticket done; closed
 * without merging, that is noted and nothing else changes.
 */
export async function applyPullRequestClosed(
  tx: Tx,
  webhook: Extract<GithubWebhook, { kind: "pull_request_closed" }>,
) {
  const projects = await linkedProjects(tx, webhook);
  if (projects.length === 0) return { ignored: "no project is linked to this repository" };
  const spec = await tx.spec.findFirst({
    where: {
      projectId: { in: projects.map((p) => p.id) },
      pullRequestNumber: webhook.pullRequest.number,
    },
    select: { id: true, orgId: true, projectId: true, ticketId: true, pullRequestState: true },
  });
  if (!spec) return { ignored: "not a Trellis pull request" };
  const merged = webhook.pullRequest.merged;
  await tx.spec.update({
    where: { id: spec.id },
    data: { pullRequestState: merged ? "MERGED" : "CLOSED" },
  });
  if (merged && spec.ticketId) {
    // The work is in: the ticket is done (GitHub closes the issue through "Closes #N").
    await tx.ticket.updateMany({
      where: { id: spec.ticketId, status: { in: ["OPEN", "IN_PROGRESS"] } },
      data: { status: "DONE", closedAt: new Date() },
    });
  }
  const actor = await githubActor(tx, { orgId: spec.orgId, sender: webhook.sender });
  await recordActivity(tx, {
    orgId: spec.orgId,
    type: merged ? "spec.pr_merged" : "spec.pr_closed",
    actorId: actor.actorId,
    actorKind: actor.actorKind,
    projectId: spec.projectId,
    ticketId: spec.ticketId,
    specId: spec.id,
    data: {
      pullRequest: webhook.pullRequest.number,
      url: webhook.pullRequest.url,
      ...actor.activityData,
    },
  });
  return { specId: spec.id, state: merged ? "MERGED" : "CLOSED" };
}
