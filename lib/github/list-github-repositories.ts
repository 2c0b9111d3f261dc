import "server-only";
import { AppError } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { githubAppEnabled } from "@/lib/env";
import { logger } from "@/lib/logger";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { installationClient } from "./github-client";

export interface GithubRepository {
  fullName: string;
  defaultBranch: string;
  private: boolean;
  htmlUrl: string;
}

export interface GithubInstallationListing {
  /** Our row id (ghi_…). */
  id: string;
  installationId: number;
  accountLogin: string;
  accountType: string;
  suspended: boolean;
  repositories: GithubRepository[];
  /** Why the repositories could not be read (suspended, GitHub unreachable), or null. */
  error: string | null;
}

/** The repositories one installation can reach, read live from GitHub with an installation token. */
export async function installationRepositories(
  installationId: number | bigint,
): Promise<GithubRepository[]> {
  const octokit = await installationClient(installationId);
  const repositories = await octokit.paginate("GET /installation/repositories", { per_page: 100 });
  return repositories
    .map((r) => ({
      fullName: r.full_name,
      defaultBranch: r.default_branch ?? "main",
      private: r.private,
      htmlUrl: r.html_url,
    }))
    .sort((a, b) => a.fullName.localeCompare(b.fullName));
}

/**
 * The organization's GitHub installations, each with the repositories it grants. Listing is
 * best-effort per installation: one that GitHub refuses shows its error, the others still list.
 */
export async function listGithubRepositories(
  db: Db,
  options: { actor: Actor },
): Promise<GithubInstallationListing[]> {
  const { actor } = options;
  assertCan(actor, "read");
  const rows = await db.githubInstallation.findMany({
    where: { orgId: actor.orgId },
    orderBy: { createdAt: "asc" },
  });
  return Promise.all(
    rows.map(async (row) => {
      const base = {
        id: row.id,
        installationId: Number(row.installationId),
        accountLogin: row.accountLogin,
        accountType: row.accountType,
        suspended: row.suspendedAt !== null,
      };
      if (row.suspendedAt) {
        return {
          ...base,
          repositories: [],
          error: "This installation is suspended on GitHub; unsuspend it to use its repositories.",
        };
      }
      if (!githubAppEnabled()) {
        return { ...base, repositories: [], error: "The GitHub App is not configured." };
      }
      try {
        return {
          ...base,
          repositories: await installationRepositories(row.installationId),
          error: null,
        };
      } catch (error) {
        logger.warn(
          { err: error, installationId: base.installationId },
          "listing repositories failed",
        );
        return {
          ...base,
          repositories: [],
          error: "GitHub did not list this installation's repositories. Try again in a moment.",
        };
      }
    }),
  );
}

/** The repositories a project form can offer (none when GitHub is not configured). */
export async function githubRepositoryOptions(db: Db, options: { actor: Actor }) {
  if (!githubAppEnabled()) return [];
  const installations = await listGithubRepositories(db, options);
  return installations.flatMap((i) =>
    i.repositories.map((r) => ({ fullName: r.fullName, account: i.accountLogin })),
  );
}

/**
 * The installation of the organization that grants `fullName` (owner/name), with the repository's
 * default branch; INVALID (on the field) when none does.
 */
export async function resolveGithubRepository(
  db: Db,
  options: { orgId: string; fullName: string },
): Promise<{ installationRowId: string; repository: GithubRepository }> {
  const rows = await db.githubInstallation.findMany({
    where: { orgId: options.orgId, suspendedAt: null },
    select: { id: true, installationId: true },
  });
  const wanted = options.fullName.toLowerCase();
  for (const row of rows) {
    const repositories = await installationRepositories(row.installationId);
    const repository = repositories.find((r) => r.fullName.toLowerCase() === wanted);
    if (repository) return { installationRowId: row.id, repository };
  }
  const message = `No GitHub installation of this organization grants access to ${options.fullName}.`;
  throw new AppError("INVALID", message, { fields: { githubRepository: message } });
}
