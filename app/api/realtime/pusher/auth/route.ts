// POST /api/realtime/pusher/auth — signs a browser's subscription to an organization's private Pusher channel, for members of that organization only (403 otherwise)
import { NextResponse } from "next/server";
import { AppError } from "@/lib/api/app-error";
import { routeHandler } from "@/lib/api/route-handler";
import { getRequestUserId } from "@/lib/auth/request-user";
import { db } from "@/lib/db/client";
import { authorizePusherChannel } from "@/lib/realtime/authorize-pusher-channel";
import { createPusherServer } from "@/lib/realtime/pusher-server";

export const dynamic = "force-dynamic";

export const POST = routeHandler(async (request: Request) => {
  const pusher = createPusherServer();
  if (!pusher) throw new AppError("NOT_FOUND", "Realtime does not run on Pusher here.");
  const userId = await getRequestUserId(db(), request);
  // pusher-js posts a form (socket_id, channel_name); a JSON body is accepted too.
  const input = request.headers.get("content-type")?.includes("application/json")
    ? await request.json().catch(() => ({}))
    : Object.fromEntries(new URLSearchParams(await request.text()));
  return NextResponse.json(await authorizePusherChannel(db(), { userId, input, pusher }));
});
