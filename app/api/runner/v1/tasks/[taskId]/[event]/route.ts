// POST /api/runner/v1/tasks/:taskId/:event — a runner reports on a task it holds (heartbeat, logs, verification, usage, finish…)
import { NextResponse } from "next/server";
import { notFound } from "@/lib/api/app-error";
import { readJsonBody } from "@/lib/api/read-json-body";
import { routeHandler } from "@/lib/api/route-handler";
import { db } from "@/lib/db/client";
import { authenticateRunner } from "@/lib/runners/authenticate-runner";
import { isRunnerTaskEvent, reportRunnerTask } from "@/lib/runners/report-runner-task";

export const dynamic = "force-dynamic";

export const POST = routeHandler(
  async (request: Request, context: { params: Promise<{ taskId: string; event: string }> }) => {
    const runner = await authenticateRunner(db(), request.headers.get("authorization"));
    const { taskId, event } = await context.params;
    if (!isRunnerTaskEvent(event)) throw notFound("Runner event");
    const body = await readJsonBody(request);
    return NextResponse.json(await reportRunnerTask(db(), { runner, taskId, event, body }));
  },
);
