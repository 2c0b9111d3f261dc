import "server-only";
import { RequestError } from "octokit";
import { z } from "zod";
import { recordActivity } from "@/lib/activity/record-activity";
import { AppError } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { can } from "@/lib/orgs/roles";
import { githubAppClient, githubAppConfig } from "./github-client";
import { installStateSecret } from "./github-install-url";
import { INSTALL_STATE_TTL_MS, verifyInstallState } from "./install-state";

// Allowed difference between our clock and GitHub's.
const CLOCK_SKEW_MS = 2 * 60 * 1000;

export const completeGithubInstallationSchema = z.object({
  installationId: z.coerce
    .number({ error: "installation_id must be a number" })
    .int()
    .positive("installation_id must be a number"),
  state: z.string({ error: "state is missing" }).min(1, "state is missing"),
});
export type CompleteGithubInstallationInput = z.input<typeof completeGithubInstallationSchema>;

/**
 * The setup callback after someone installed the app on GitHub: checks that the state was made
 * for this person and an organization they manage, and has not expired; confirms the
 * installation with GitHub (as the app); then stores it for that organization.
 */
export async function completeGithubInstallation(
  db: Db,
  options: { userId: string; input: CompleteGithubInstallationInput },
) {
  const input = completeGithubInstallationSchema.parse(options.input);
  const state = verifyInstallState(installStateSecret(), input.state);
  if (state.userId !== options.userId) {
    throw new AppError(
      "FORBIDDEN",
      "This GitHub installation link was made for someone else. Start again from Settings.",
    );
  }
  const membership = await db.membership.findFirst({
    where: { orgId: state.orgId, userId: options.userId },
    select: { role: true, org: { select: { id: true, slug: true } } },
  });
  if (!membership || !can(membership.role, "manage")) {
    throw new AppError(
      "FORBIDDEN",
      "Only admins and owners of the organization can connect GitHub to it.",
    );
  }

  const config = githubAppConfig();
  let installation: {
    account: { login: string; type: string };
    suspendedAt: Date | null;
    createdAt: number;
  };
  try {
    const { data } = await githubAppClient(config).request(
      "GET /app/installations/{installation_id}",
      { installation_id: input.installationId },
    );
    const account = data.account as { login?: string; slug?: string; type?: string } | null;
    installation = {
      account: {
        login: account?.login ?? account?.slug ?? "unknown",
        type: account?.type ?? (account?.slug ? "Enterprise" : "User"),
      },
      suspendedAt: data.suspended_at ? new Date(data.suspended_at) : null,
      createdAt: Date.parse(data.created_at),
    };
  } catch (error) {
    if (error instanceof RequestError && error.status === 404) {
      throw new AppError(
        "INVALID",
        "GitHub does not know this installation of the app. Install it again from Settings.",
      );
    }
    throw error;
  }

  const orgId = membership.org.id;
  return db.$transaction(async (tx) => {
    const existing = await tx.githubInstallation.findUnique({
      where: { installationId: BigInt(input.installationId) },
      select: { orgId: true },
    });
    if (existing && existing.orgId !== orgId) {
      throw new AppError(
        "CONFLICT",
        "This GitHub installation is already connected to another organization.",
      );
    }
    // The state proves who asked, not that the installation id came back from their own trip to
    // GitHub: anyone can put another account's installation id next to their own valid state. A
    // new connection therefore takes only an installation made after the state was (GitHub makes
    // it just before sending the browser back).
    const stateIssuedAt = state.expiresAt - INSTALL_STATE_TTL_MS;
    if (!existing && !(installation.createdAt >= stateIssuedAt - CLOCK_SKEW_MS)) {
      throw new AppError(
        "FORBIDDEN",
        "This GitHub installation existed before you started connecting it, so Trellis cannot tell it is yours. Uninstall the app on GitHub, then connect it again from Settings.",
      );
    }
    const row = await tx.githubInstallation.upsert({
      where: { installationId: BigInt(input.installationId) },
      create: {
        orgId,
        installationId: BigInt(input.installationId),
        accountLogin: installation.account.login,
        accountType: installation.account.type,
        suspendedAt: installation.suspendedAt,
      },
      update: {
        accountLogin: installation.account.login,
        accountType: installation.account.type,
        suspendedAt: installation.suspendedAt,
      },
    });
    if (!existing) {
      await recordActivity(tx, {
        orgId,
        type: "github.installed",
        actorId: options.userId,
        data: { account: row.accountLogin, installationId: input.installationId },
      });
    }
    return { orgSlug: membership.org.slug, installation: row };
  });
}
