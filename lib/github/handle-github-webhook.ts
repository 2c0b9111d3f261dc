// The background half of POST /api/webhooks/github: each verified delivery's work, as durable
// steps. The database work of a delivery commits in one transaction with its WebhookDelivery row
// (so a redelivered or concurrent copy of the same GUID does nothing); what follows the commit —
// queueing phase runs, comments on GitHub — runs in later steps, each at least once.
import "server-only";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { StepTools } from "@/lib/jobs/port";
import { requestPhaseRun } from "@/lib/specs/request-phase-run";
import { applyPullRequestClosed } from "./apply-pull-request-closed";
import { fileLabelledIssue } from "./file-labelled-issue";
import { claimGithubDelivery, linkedProjects, type WebhookEffects } from "./github-intake";
import { hasWriteAccess, postIssueComment } from "./github-rest";
import type { GithubWebhook } from "./github-webhook";
import { applyInstallationEvent, applyRepositoriesEvent } from "./installation-webhooks";
import { runIssueCommand } from "./run-issue-command";
import { notifySpecStatus } from "./spec-status";

type Tx = Prisma.TransactionClient;

export const githubWebhookEvent = "github/webhook.received";

/** A verified delivery, as the background function receives it. */
export interface GithubDelivery {
  deliveryId: string;
  event: string;
  webhook: GithubWebhook;
}

const duplicate: WebhookEffects = { duplicate: true, requests: [], notify: [], reply: null };

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
  effects: WebhookEffects,
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
