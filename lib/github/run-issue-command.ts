import "server-only";
import { recordActivity } from "@/lib/activity/record-activity";
import { isAppError } from "@/lib/api/app-error";
import type { Prisma } from "@/lib/generated/prisma/client";
import { applyApproval } from "@/lib/specs/approve-phase";
import { phaseOfState } from "@/lib/specs/state-machine";
import { transitionSpec } from "@/lib/specs/transition-spec";
import {
  commandHelp,
  fileIssueTicket,
  type GithubActor,
  githubActor,
  type LinkedProject,
  linkedProjects,
  noEffects,
  specUrl,
  startIssueSpec,
  type WebhookEffects,
} from "./github-intake";
import type { GithubWebhook } from "./github-webhook";

type Tx = Prisma.TransactionClient;

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

/**
 * A `/trellis` command from an issue comment, for every project linked to the repository: refused
 * (and recorded) without write access; otherwise run, approve or cancel the issue's spec. Each
 * project's command runs in a savepoint, so one refused (a spec that moved on) leaves the others.
 */
export async function runIssueCommand(
  tx: Tx,
  webhook: Extract<GithubWebhook, { kind: "issue_command" }>,
  canWrite: boolean,
): Promise<WebhookEffects> {
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
    effects: WebhookEffects;
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
      const { spec, request } = await startIssueSpec(tx, { project, ticketId: ticket.id, actor });
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
