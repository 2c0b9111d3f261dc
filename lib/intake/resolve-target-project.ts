import "server-only";
import { AppError } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";

/**
 * The project `target.repository` names, in the organization: by slug, by GitHub repository
 * (owner/name, any case), by local repository path, or by id — in that order of preference.
 * No match, or two projects on one GitHub repository, is UNPROCESSABLE naming the field.
 */
export async function resolveTargetProject(db: Db, options: { orgId: string; repository: string }) {
  const { orgId, repository } = options;
  const candidates = await db.project.findMany({
    where: {
      orgId,
      OR: [
        { slug: repository },
        { githubRepoFullName: { equals: repository, mode: "insensitive" } },
        { localPath: repository },
        { id: repository },
      ],
    },
    select: { id: true, slug: true, githubRepoFullName: true, localPath: true },
    take: 10,
  });
  const bySlug = candidates.find((p) => p.slug === repository);
  if (bySlug) return bySlug;
  const byGithub = candidates.filter(
    (p) => p.githubRepoFullName?.toLowerCase() === repository.toLowerCase(),
  );
  if (byGithub.length > 1) {
    throw new AppError(
      "UNPROCESSABLE",
      `target.repository: ${byGithub.length} projects use ${repository}; name one by its slug.`,
      {
        fields: { "target.repository": "Several projects use this repository; use a project slug" },
      },
    );
  }
  const found = byGithub[0] ?? candidates.find((p) => p.localPath === repository) ?? candidates[0];
  if (found) return found;
  throw new AppError(
    "UNPROCESSABLE",
    `target.repository: no project in this organization matches "${repository}".`,
    {
      fields: {
        "target.repository":
          "No project matches; use a project's slug, its GitHub repository (owner/name), its local path or its id",
      },
    },
  );
}
