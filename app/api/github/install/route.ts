// GET /api/github/install?org=<slug> — "Connect GitHub": sends an admin to the GitHub App's
// installation page with a signed state bound to the organization and to them.
import { NextResponse } from "next/server";
import { routeHandler } from "@/lib/api/route-handler";
import { findRequestUserId, signInRedirect } from "@/lib/auth/request-user";
import { db } from "@/lib/db/client";
import { githubInstallUrl } from "@/lib/github/github-install-url";
import { getActor } from "@/lib/orgs/get-actor";

export const dynamic = "force-dynamic";

export const GET = routeHandler(
  async (request: Request) => {
    const url = new URL(request.url);
    const userId = await findRequestUserId(db(), request);
    if (!userId) return signInRedirect(request);
    const { actor } = await getActor(db(), { userId, orgSlug: url.searchParams.get("org") ?? "" });
    return NextResponse.redirect(githubInstallUrl({ actor }), 303);
  },
  { errorPage: { title: "GitHub cannot be connected" } },
);
