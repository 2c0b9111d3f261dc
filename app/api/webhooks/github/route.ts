// POST /api/webhooks/github — GitHub App webhook: signature checked over the raw body, the work
// queued for a background function (deduplicated there by X-GitHub-Delivery); answers at once.
import { NextResponse } from "next/server";
import { routeHandler } from "@/lib/api/route-handler";
import { receiveGithubWebhook } from "@/lib/github/receive-github-webhook";

export const dynamic = "force-dynamic";

export const POST = routeHandler(async (request: Request) => {
  const body = new Uint8Array(await request.arrayBuffer());
  const result = await receiveGithubWebhook({ body, headers: request.headers });
  return NextResponse.json(
    { received: true, queued: result.queued },
    { status: result.queued ? 202 : 200 },
  );
});
