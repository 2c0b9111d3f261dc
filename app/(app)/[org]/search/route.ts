// GET /[org]/search?q=… — the command palette's search: the organization's projects, tickets, specs and tasks
import { NextResponse } from "next/server";
import { routeHandler } from "@/lib/api/route-handler";
import { getRequestUserId } from "@/lib/auth/request-user";
import { db } from "@/lib/db/client";
import { getActor } from "@/lib/orgs/get-actor";
import { searchOrg, searchOrgSchema } from "@/lib/search/search-org";

export const dynamic = "force-dynamic";

export const GET = routeHandler(
  async (request: Request, context: { params: Promise<{ org: string }> }) => {
    const { org } = await context.params;
    const userId = await getRequestUserId(db(), request);
    const { actor } = await getActor(db(), { userId, orgSlug: org });
    const input = searchOrgSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
    const results = await searchOrg(db(), { actor, input });
    return NextResponse.json({ results }, { headers: { "Cache-Control": "no-store" } });
  },
);
