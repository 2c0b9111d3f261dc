import "server-only";
import type { Db } from "@/lib/db/client";
import { resolveGithubRepository } from "@/lib/github/list-github-repositories";

/** The project columns of a local git work tree (and no GitHub link). */
export function localRepositoryFields(repo: { root: string; defaultBranch: string }) {
  return {
    repoKind: "LOCAL" as const,
    localPath: repo.root,
    defaultBranch: repo.defaultBranch,
    githubRepoFullName: null,
    githubInstallationId: null,
  };
}

/**
 * The project columns of a GitHub repository, checked live: one of the organization's
 * installations must grant it (INVALID on the githubRepository field otherwise).
 */
export async function githubRepositoryFields(db: Db, options: { orgId: string; fullName: string }) {
  const { installationRowId, repository } = await resolveGithubRepository(db, options);
  return {
    repoKind: "GITHUB" as const,
    localPath: null,
    defaultBranch: repository.defaultBranch,
    githubRepoFullName: repository.fullName,
    githubInstallationId: installationRowId,
  };
}
