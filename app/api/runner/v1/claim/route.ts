// POST /api/runner/v1/claim — a self-hosted runner asks for a task (held up to 30 s until one is queued)
import { NextResponse } from "next/server";
import { readJsonBody } from "@/lib/api/read-json-body";
import { routeHandler } from "@/lib/api/route-handler";
import { db } from "@/lib/db/client";
import { authenticateRunner } from "@/lib/runners/authenticate-runner";
import { claimRunnerTask } from "@/lib/runners/claim-runner-task";

export const dynamic = "force-dynamic";

export const POST = routeHandler(async (request: Request) => {
  const runner = await authenticateRunner(db(), request.headers.get("authorization"));
  const input = await readJsonBody(request);
  const assignment = await claimRunnerTask(db(), { runner, input, signal: request.signal });
  if (!assignment) return new Response(null, { status: 204 });
  return NextResponse.json(assignment);
});
