// GET /api/github/setup?installation_id=&setup_action=&state= — the GitHub App's setup URL: checks
// the state (this person, an organization they manage, not expired), confirms the installation
// with GitHub and stores it, then returns to Settings. A browser sees a refusal as a page that
// says why.
import { NextResponse } from "next/server";
import { routeHandler } from "@/lib/api/route-handler";
import { findRequestUserId, signInRedirect } from "@/lib/auth/request-user";
import { db } from "@/lib/db/client";
import { completeGithubInstallation } from "@/lib/github/complete-github-installation";
import { installStateSecret } from "@/lib/github/github-install-url";
import { verifyInstallState } from "@/lib/github/install-state";

export const dynamic = "force-dynamic";

export const GET = routeHandler(
  async (request: Request) => {
    const url = new URL(request.url);
    const params = url.searchParams;
    const userId = await findRequestUserId(db(), request);
    if (!userId) return signInRedirect(request);
    const state = params.get("state") ?? "";
    // A member who may not install asked an owner on GitHub to approve it: nothing to store yet.
    if (params.get("setup_action") === "request" && !params.get("installation_id")) {
      const { orgId, userId: stateUser } = verifyInstallState(installStateSecret(), state);
      const org = await db().organization.findUnique({ where: { id: orgId } });
      if (stateUser === userId && org) {
        return NextResponse.redirect(
          new URL(`/${org.slug}/settings?github=requested#github`, url),
          303,
        );
      }
    }
    const { orgSlug } = await completeGithubInstallation(db(), {
      userId,
      input: { installationId: params.get("installation_id") ?? "", state },
    });
    return NextResponse.redirect(new URL(`/${orgSlug}/settings?github=connected#github`, url), 303);
  },
  { errorPage: { title: "GitHub was not connected" } },
);
