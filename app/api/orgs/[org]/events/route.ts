// GET /api/orgs/[org]/events — the organization's live events as server-sent events, resuming after Last-Event-ID (or ?after=); with Accept: application/json, one page of the events after ?after=
import { NextResponse } from "next/server";
import { AppError, isAppError } from "@/lib/api/app-error";
import { routeHandler } from "@/lib/api/route-handler";
import { getRequestUserId } from "@/lib/auth/request-user";
import { db } from "@/lib/db/client";
import { getActor } from "@/lib/orgs/get-actor";
import { listEventsAfter, seqCursorSchema } from "@/lib/realtime/list-events-after";
import { openOrgEventStream } from "@/lib/realtime/open-org-event-stream";
import { realtimeHub } from "@/lib/realtime/realtime-hub";

export const dynamic = "force-dynamic";

export const GET = routeHandler(
  async (request: Request, context: { params: Promise<{ org: string }> }) => {
    const { org } = await context.params;
    const userId = await getRequestUserId(db(), request);
    // The one place a non-member hears "forbidden" rather than "not found": subscribing to
    // another organization's stream is refused outright (the issue asks for 403 on both
    // transports), and the answer is the same whether or not the organization exists.
    const { actor } = await getActor(db(), { userId, orgSlug: org }).catch((error: unknown) => {
      throw isAppError(error) && error.code === "NOT_FOUND"
        ? new AppError("FORBIDDEN", "You are not a member of this organization.")
        : error;
    });
    const url = new URL(request.url);
    const lastEventId = request.headers.get("last-event-id") || url.searchParams.get("after");
    const after = lastEventId ? parseCursor(lastEventId) : null;

    if (request.headers.get("accept")?.includes("application/json")) {
      if (after === null)
        throw new AppError("INVALID", "Say which event to read after: ?after=<seq>.");
      return NextResponse.json(await listEventsAfter(db(), { actor, input: { after } }), {
        headers: { "Cache-Control": "no-store" },
      });
    }

    const stream = openOrgEventStream({
      db: db(),
      hub: realtimeHub(),
      actor,
      after,
      signal: request.signal,
    });
    return new Response(stream, {
      headers: {
        "Content-Type": "text/event-stream; charset=utf-8",
        // no-transform keeps compression (which would buffer the stream) off; proxies must not cache it.
        "Cache-Control": "no-cache, no-store, no-transform",
        Connection: "keep-alive",
        "X-Accel-Buffering": "no",
      },
    });
  },
);

function parseCursor(value: string): string {
  const parsed = seqCursorSchema.safeParse(value);
  if (!parsed.success) {
    throw new AppError("INVALID", "Last-Event-ID must be the id of an event from this stream.", {
      fields: { after: "Use the id of an event from this stream" },
    });
  }
  return parsed.data;
}
