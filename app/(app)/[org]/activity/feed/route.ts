// GET /[org]/activity/feed?type=&project=&cursor= — the next page of the activity timeline (infinite scroll)
import { NextResponse } from "next/server";
import { listActivity, listActivitySchema } from "@/lib/activity/list-activity";
import { timelineEntry } from "@/lib/activity/timeline-entry";
import { routeHandler } from "@/lib/api/route-handler";
import { getRequestUserId } from "@/lib/auth/request-user";
import { db } from "@/lib/db/client";
import { getActor } from "@/lib/orgs/get-actor";

export const dynamic = "force-dynamic";

export const GET = routeHandler(
  async (request: Request, context: { params: Promise<{ org: string }> }) => {
    const { org } = await context.params;
    const userId = await getRequestUserId(db(), request);
    const { actor, org: organization } = await getActor(db(), { userId, orgSlug: org });
    const params = new URL(request.url).searchParams;
    const input = listActivitySchema.parse({
      type: params.get("type") || undefined,
      projectId: params.get("project") || undefined,
      cursor: params.get("cursor") || undefined,
    });
    const { items, nextCursor } = await listActivity(db(), { actor, input });
    const now = new Date();
    return NextResponse.json(
      { entries: items.map((item) => timelineEntry(organization.slug, item, now)), nextCursor },
      { headers: { "Cache-Control": "no-store" } },
    );
  },
);
