// The background half of POST /api/webhooks/github: each verified delivery's work, as durable
// steps. The database work of a delivery commits in one transaction with its WebhookDelivery row
// (so a redelivered or concurrent copy of the same GUID does nothing); what follows the commit —
// queueing phase runs, comments on GitHub — runs in later steps, each at least once.
import "server-only";
import { recordActivity } from "@/lib/activity/record-activity";
import { isAppError } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { appUrl } from "@/lib/env";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { StepTools } from "@/lib/jobs/port";
import { applyApproval } from "@/lib/specs/approve-phase";
import { applyCreateSpec } from "@/lib/specs/create-spec";
import type { SpecPhaseRequest } from "@/lib/specs/phase-event";
import { requestPhaseRun } from "@/lib/specs/request-phase-run";
import { applyStartSpec } from "@/lib/specs/start-spec";
import { phaseOfState } from "@/lib/specs/state-machine";
import { transitionSpec } from "@/lib/specs/transition-spec";
import {
  claimGithubDelivery,
  fileIssueTicket,
  type GithubActor,
  githubActor,
  type LinkedProject,
  linkedProjects,
} from "./github-intake";
import { hasWriteAccess, postIssueComment } from "./github-rest";
import type { GithubWebhook } from "./github-webhook";
import { notifySpecStatus } from "./spec-status";

type Tx = Prisma.TransactionClient;

export const githubWebhookEvent = "github/webhook.received";

/** A verified delivery, as the background function receives it. */
export interface GithubDelivery {
  deliveryId: string;
  event: string;
  webhook: GithubWebhook;
}

/** What the committed work leaves to do: phase runs to queue, statuses to send, a reply. */
interface Effects {
  duplicate?: true;
  requests: SpecPhaseRequest[];
  notify: Array<{ orgId: string; specId: string }>;
  reply: string | null;
}

const noEffects = (): Effects => ({ requests: [], notify: [], reply: null });
const duplicate: Effects = { duplicate: true, requests: [], notify: [], reply: null };

const specUrl = (project: LinkedProject, specId: string) =>
  `${appUrl()}/${project.org.slug}/specs/${specId}`;

/** Runs one delivery's work. */
export async function handleGithubWebhook(
  db: Db,
  options: { delivery: GithubDelivery; step: StepTools },
) {
  const { delivery, step } = options;
  const { webhook } = delivery;
  const claim = (tx: Tx) =>
    claimGithubDelivery(tx, { deliveryId: delivery.deliveryId, event: delivery.event });

  switch (webhook.kind) {
    case "installation":
      return step.run("apply", () =>
        db.$transaction(async (tx) => {
          if (!(await claim(tx))) return { duplicate: true };
          return applyInstallationEvent(tx, webhook);
        }),
      );
    case "installation_repositories":
      return step.run("apply", () =>
        db.$transaction(async (tx) => {
          if (!(await claim(tx))) return { duplicate: true };
          return applyRepositoriesEvent(tx, webhook);
        }),
      );
    case "pull_request_closed":
      return step.run("apply", () =>
        db.$transaction(async (tx) => {
          if (!(await claim(tx))) return { duplicate: true };
          return applyPullRequestClosed(tx, webhook);
        }),
      );
    case "issue_labeled": {
      const effects = await step.run("apply", () =>
        db.$transaction(async (tx) =>
          (await claim(tx)) ? fileLabelledIssue(tx, webhook) : duplicate,
        ),
      );
      return afterCommit(db, step, webhook, effects);
    }
    case "issue_command": {
      // Asked before the transaction (it is a call to GitHub) and only for linked repositories.
      const canWrite = await step.run("permission", async () => {
        if ((await linkedProjects(db, webhook)).length === 0) return null;
        return hasWriteAccess({
          installationId: webhook.installationId,
          repository: webhook.repository,
          login: webhook.sender.login,
        });
      });
      if (canWrite === null) return { ignored: "no project is linked to this repository" };
      const effects = await step.run("apply", () =>
        db.$transaction(async (tx) =>
          (await claim(tx)) ? runIssueCommand(tx, webhook, canWrite) : duplicate,
        ),
      );
      return afterCommit(db, step, webhook, effects);
    }
  }
}

async function afterCommit(
  db: Db,
  step: StepTools,
  webhook: Extract<GithubWebhook, { kind: "issue_labeled" | "issue_command" }>,
  effects: Effects,
) {
  if (effects.duplicate) return { duplicate: true };
  for (const [i, request] of effects.requests.entries()) {
    await step.run(`queue-${i}`, async () => (await requestPhaseRun(request)).runId);
  }
  for (const [i, spec] of effects.notify.entries()) {
    await step.run(`notify-${i}`, async () => (await notifySpecStatus(db, spec))?.runId ?? null);
  }
  const reply = effects.reply;
  if (reply) {
    await step.run("reply", () =>
      postIssueComment({
        installationId: webhook.installationId,
        repository: webhook.repository,
        issueNumber: webhook.issue.number,
        body: reply,
      }),
    );
  }
  return { queued: effects.requests.length, replied: Boolean(reply) };
}

// ─── Installations ──────────────────────────────────────────────────────────────────────────────

async function applyInstallationEvent(
  tx: Tx,
  webhook: Extract<GithubWebhook, { kind: "installation" }>,
) {
  const row = await tx.githubInstallation.findUnique({
    where: { installationId: BigInt(webhook.installationId) },
  });
  // Installations are attached to an organization by the setup callback (which checks who asked);
  // an installation nobody attached is not ours to record.
  if (!row) return { ignored: "installation not connected to an organization" };
  const data = { account: row.accountLogin, installationId: webhook.installationId };
  switch (webhook.action) {
    case "created":
      if (webhook.account) {
        await tx.githubInstallation.update({
          where: { id: row.id },
          data: { accountLogin: webhook.account },
        });
      }
      return { updated: row.id };
    case "deleted":
      // Linked projects keep their repository name and lose the installation (SetNull).
      await tx.githubInstallation.delete({ where: { id: row.id } });
      await recordActivity(tx, {
        orgId: row.orgId,
        type: "github.uninstalled",
        actorKind: "GITHUB",
        data,
      });
      return { deleted: row.id };
    case "suspend":
    case "unsuspend": {
      const suspended = webhook.action === "suspend";
      await tx.githubInstallation.update({
        where: { id: row.id },
        data: { suspendedAt: suspended ? new Date() : null },
      });
      await recordActivity(tx, {
        orgId: row.orgId,
        type: suspended ? "github.suspended" : "github.unsuspended",
        actorKind: "GITHUB",
        data,
      });
      return { suspended };
    }
  }
}

async function applyRepositoriesEvent(
  tx: Tx,
  webhook: Extract<GithubWebhook, { kind: "installation_repositories" }>,
) {
  const row = await tx.githubInstallation.findUnique({
    where: { installationId: BigInt(webhook.installationId) },
  });
  if (!row) return { ignored: "installation not connected to an organization" };
  // The repository list itself is read live from GitHub; what is recorded is the change, and
  // which linked projects lost their repository.
  const lost = webhook.removed.length
    ? await tx.project.findMany({
        where: {
          githubInstallationId: row.id,
          githubRepoFullName: { in: webhook.removed, mode: "insensitive" },
        },
        select: { id: true, name: true },
      })
    : [];
  await recordActivity(tx, {
    orgId: row.orgId,
    type: "github.repositories_changed",
    actorKind: "GITHUB",
    data: {
      account: row.accountLogin,
      added: webhook.added,
      removed: webhook.removed,
      projectsAffected: lost.map((p) => p.name),
    },
  });
  return { added: webhook.added.length, removed: webhook.removed.length };
}

// ─── Pull requests ──────────────────────────────────────────────────────────────────────────────

async function applyPullRequestClosed(
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

// ─── Issues ─────────────────────────────────────────────────────────────────────────────────────

const commandHelp =
  "Commands (write access needed): `/trellis run` starts the spec, `/trellis approve` approves the phase in review, `/trellis cancel` stops it.";

async function startSpecFor(
  tx: Tx,
  options: { project: LinkedProject; ticketId: string; actor: GithubActor },
) {
  const { project, actor } = options;
  const spec = await applyCreateSpec(tx, {
    orgId: project.orgId,
    ticketId: options.ticketId,
    ...actor,
  });
  const request = await applyStartSpec(tx, { orgId: project.orgId, specId: spec.id, ...actor });
  return { spec, request };
}

async function fileLabelledIssue(
  tx: Tx,
  webhook: Extract<GithubWebhook, { kind: "issue_labeled" }>,
): Promise<Effects> {
  const effects = noEffects();
  const label = webhook.label.toLowerCase();
  const projects = (await linkedProjects(tx, webhook)).filter(
    (p) => p.githubLabel.toLowerCase() === label,
  );
  const lines: string[] = [];
  for (const project of projects) {
    const actor = await githubActor(tx, { orgId: project.orgId, sender: webhook.sender });
    const { ticket, created } = await fileIssueTicket(tx, {
      project,
      issue: webhook.issue,
      label: webhook.label,
      actor,
    });
    if (!created) continue;
    const { spec, request } = await startSpecFor(tx, { project, ticketId: ticket.id, actor });
    effects.requests.push(request);
    lines.push(
      `Trellis filed this issue as ticket #${ticket.number} in **${project.name}** and is drafting its requirements: ${specUrl(project, spec.id)}`,
    );
  }
  if (lines.length) effects.reply = `${lines.join("\n")}\n\n${commandHelp}`;
  return effects;
}

/** Runs `fn` in a savepoint: a refusal (AppError) undoes only its own writes, then is returned. */
async function refusable<T>(tx: Tx, fn: () => Promise<T>): Promise<T | { refused: string }> {
  await tx.$executeRawUnsafe("SAVEPOINT trellis_command");
  try {
    const result = await fn();
    await tx.$executeRawUnsafe("RELEASE SAVEPOINT trellis_command");
    return result;
  } catch (error) {
    if (!isAppError(error)) throw error;
    await tx.$executeRawUnsafe("ROLLBACK TO SAVEPOINT trellis_command");
    return { refused: error.message };
  }
}

const phaseWords: Record<string, string> = {
  REQUIREMENTS: "requirements",
  DESIGN: "design",
  TASKS: "task graph",
};

async function runIssueCommand(
  tx: Tx,
  webhook: Extract<GithubWebhook, { kind: "issue_command" }>,
  canWrite: boolean,
): Promise<Effects> {
  const effects = noEffects();
  const projects = await linkedProjects(tx, webhook);
  const { login } = webhook.sender;
  if (!canWrite) {
    for (const project of projects) {
      await recordActivity(tx, {
        orgId: project.orgId,
        type: "github.command_refused",
        actorKind: "GITHUB",
        projectId: project.id,
        data: {
          githubLogin: login,
          command: webhook.text,
          repository: webhook.repository,
          issue: webhook.issue.number,
        },
      });
    }
    effects.reply = `@${login}, only people with write access to ${webhook.repository} can run Trellis commands, so \`${webhook.text}\` was not run.`;
    return effects;
  }
  if (webhook.command === null) {
    effects.reply = `@${login}, Trellis does not know \`${webhook.text}\`. ${commandHelp}`;
    return effects;
  }

  const lines: string[] = [];
  for (const project of projects) {
    const actor = await githubActor(tx, { orgId: project.orgId, sender: webhook.sender });
    const prefix = projects.length > 1 ? `**${project.name}**: ` : "";
    const outcome = await refusable(tx, () => commandOn(tx, { project, actor, webhook, effects }));
    lines.push(prefix + (typeof outcome === "string" ? outcome : `Not done: ${outcome.refused}`));
  }
  effects.reply = lines.length ? `@${login}: ${lines.join("\n")}` : null;
  return effects;
}

async function commandOn(
  tx: Tx,
  options: {
    project: LinkedProject;
    actor: GithubActor;
    webhook: Extract<GithubWebhook, { kind: "issue_command" }>;
    effects: Effects;
  },
): Promise<string> {
  const { project, actor, webhook, effects } = options;
  let ticket = await tx.ticket.findUnique({
    where: {
      projectId_githubIssueNumber: {
        projectId: project.id,
        githubIssueNumber: webhook.issue.number,
      },
    },
    select: { id: true, number: true },
  });
  const latest = ticket
    ? await tx.spec.findFirst({
        where: { ticketId: ticket.id },
        orderBy: { createdAt: "desc" },
        select: { id: true, state: true },
      })
    : null;
  const active = latest && !["DONE", "FAILED", "CANCELLED"].includes(latest.state) ? latest : null;
  const state = (s: string) => s.toLowerCase().replace(/_/g, " ");

  switch (webhook.command) {
    case "run": {
      if (active) {
        return `the spec of ticket #${ticket?.number} is already ${state(active.state)}: ${specUrl(project, active.id)}`;
      }
      if (!ticket) {
        ticket = (await fileIssueTicket(tx, { project, issue: webhook.issue, actor })).ticket;
      }
      const { spec, request } = await startSpecFor(tx, { project, ticketId: ticket.id, actor });
      effects.requests.push(request);
      return `started the spec of ticket #${ticket.number}; drafting its requirements: ${specUrl(project, spec.id)}`;
    }
    case "approve": {
      const phase = active ? phaseOfState(active.state) : null;
      if (!active || !phase || !active.state.endsWith("_REVIEW")) {
        return ticket
          ? `nothing of ticket #${ticket.number} is waiting for approval${latest ? ` (the spec is ${state(latest.state)})` : ""}.`
          : "this issue is not a Trellis ticket yet; `/trellis run` files it and starts its spec.";
      }
      const next = await applyApproval(tx, {
        orgId: project.orgId,
        specId: active.id,
        phase,
        actorId: actor.actorId,
        actorKind: actor.actorKind,
        activityData: actor.activityData,
      });
      if (next) effects.requests.push(next);
      else effects.notify.push({ orgId: project.orgId, specId: active.id });
      return next
        ? `approved the ${phaseWords[phase]} of ticket #${ticket?.number}; drafting the ${phaseWords[next.phase]}.`
        : `approved the task graph of ticket #${ticket?.number}; execution starts.`;
    }
    case "cancel": {
      if (!active) {
        return ticket
          ? `ticket #${ticket.number} has no spec in progress to cancel.`
          : "this issue is not a Trellis ticket; there is nothing to cancel.";
      }
      await transitionSpec(tx, {
        orgId: project.orgId,
        specId: active.id,
        event: { type: "cancel" },
        actorId: actor.actorId,
        actorKind: actor.actorKind,
        activityData: actor.activityData,
      });
      return `cancelled the spec of ticket #${ticket?.number}.`;
    }
    default:
      return `Trellis does not know \`${webhook.text}\`.`;
  }
}
