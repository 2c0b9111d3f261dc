import "server-only";
import { recordActivity } from "@/lib/activity/record-activity";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ActorKind } from "@/lib/generated/prisma/enums";

type Tx = Pick<Prisma.TransactionClient, "githubInstallation" | "activityEvent">;

/**
 * Forgets an installation that is gone from GitHub (uninstalled there, or disconnected from
 * Settings), inside the caller's transaction: linked projects keep their repository name and
 * lose the installation (SetNull), and the timeline says who removed it. Null when the row was
 * already removed (the other of the webhook and the disconnect came first).
 */
export async function removeGithubInstallation(
  tx: Tx,
  options: {
    row: { id: string; orgId: string; accountLogin: string; installationId: bigint };
    by: { actorKind: ActorKind; actorId?: string };
  },
): Promise<{ deleted: string } | null> {
  const { row, by } = options;
  const { count } = await tx.githubInstallation.deleteMany({
    where: { id: row.id, orgId: row.orgId },
  });
  if (count === 0) return null;
  await recordActivity(tx, {
    orgId: row.orgId,
    type: "github.uninstalled",
    ...by,
    data: { account: row.accountLogin, installationId: Number(row.installationId) },
  });
  return { deleted: row.id };
}
