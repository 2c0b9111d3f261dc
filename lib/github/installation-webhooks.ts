// Installation deliveries: suspension, removal and repository changes of an installation that an
// organization connected (through the setup callback; others are not ours to record).
import "server-only";
import { recordActivity } from "@/lib/activity/record-activity";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { GithubWebhook } from "./github-webhook";
import { removeGithubInstallation } from "./remove-github-installation";

type Tx = Prisma.TransactionClient;

/** Keeps the installation row in step with GitHub (suspended, unsuspended, deleted). */
export async function applyInstallationEvent(
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
      return (
        (await removeGithubInstallation(tx, { row, by: { actorKind: "GITHUB" } })) ?? {
          ignored: "installation already removed",
        }
      );
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

/** Records which repositories the installation gained or lost, and the projects affected. */
export async function applyRepositoriesEvent(
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
