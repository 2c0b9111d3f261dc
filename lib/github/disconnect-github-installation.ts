import "server-only";
import { RequestError } from "octokit";
import { z } from "zod";
import { activityActor } from "@/lib/activity/record-activity";
import { AppError, notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { githubAppClient } from "./github-client";
import { removeGithubInstallation } from "./remove-github-installation";

export const disconnectGithubInstallationSchema = z.object({
  /** Our row id (ghi_…), as Settings lists it. */
  installationId: z.string().min(1),
});
export type DisconnectGithubInstallationInput = z.infer<typeof disconnectGithubInstallationSchema>;

/**
 * Uninstalls the GitHub App from a connected account (GitHub's DELETE
 * /app/installations/{id}, as the app) and then forgets the installation as the
 * installation.deleted webhook does. GitHub first: when it cannot be reached, nothing changes
 * here and the account stays connected. An installation GitHub no longer knows is forgotten too.
 */
export async function disconnectGithubInstallation(
  db: Db,
  options: { actor: Actor; input: DisconnectGithubInstallationInput },
) {
  const { actor } = options;
  assertCan(actor, "manage");
  const { installationId } = disconnectGithubInstallationSchema.parse(options.input);
  const row = await db.githubInstallation.findFirst({
    where: { id: installationId, orgId: actor.orgId },
    select: { id: true, orgId: true, accountLogin: true, installationId: true },
  });
  if (!row) throw notFound("GitHub installation");
  try {
    // No retries with backoff: someone is waiting on the dialog, and can press it again.
    await githubAppClient().request("DELETE /app/installations/{installation_id}", {
      installation_id: Number(row.installationId),
      request: { retries: 0 },
    });
  } catch (error) {
    if (!(error instanceof RequestError && error.status === 404)) {
      const answer =
        error instanceof RequestError && error.response
          ? `answered ${error.status}`
          : "could not be reached";
      throw new AppError(
        "UNAVAILABLE",
        `GitHub ${answer}, so ${row.accountLogin} is still connected. Try again in a moment.`,
      );
    }
  }
  await db.$transaction((tx) => removeGithubInstallation(tx, { row, by: activityActor(actor) }));
  return { id: row.id, accountLogin: row.accountLogin };
}
