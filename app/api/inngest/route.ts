// GET|POST|PUT /api/inngest — Inngest's serve endpoint (sync, introspection, step calls) for the
// background functions in inngest/; 404 when Inngest is not configured (DBOS runs them instead).
import { serve } from "inngest/next";
import { type NextRequest, NextResponse } from "next/server";
import { functions } from "@/inngest/functions";
import { inngestEnabled } from "@/lib/env";
import { getInngestClient } from "@/lib/jobs/get-job-engine";
import { toInngestFunctions } from "@/lib/jobs/inngest-engine";

export const dynamic = "force-dynamic";

type Handler = ReturnType<typeof serve>;
let handler: Handler | undefined;

function getHandler(): Handler {
  if (!handler) {
    const client = getInngestClient();
    // The signing key that verifies Inngest's requests is set on the client.
    handler = serve({ client, functions: toInngestFunctions(client, functions) });
  }
  return handler;
}

async function handle(request: NextRequest, context: unknown): Promise<Response> {
  if (!inngestEnabled()) {
    return NextResponse.json(
      { error: { code: "NOT_FOUND", message: "Inngest is not configured" } },
      { status: 404 },
    );
  }
  return getHandler()(request, context);
}

export const GET = handle;
export const POST = handle;
export const PUT = handle;
