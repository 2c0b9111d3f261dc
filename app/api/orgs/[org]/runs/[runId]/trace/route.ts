// GET /api/orgs/[org]/runs/[runId]/trace — the run's trace as a zip folder (trace.jsonl, run.json, diff.patch, log.txt, verification/)
import { routeHandler } from "@/lib/api/route-handler";
import { getRequestUserId } from "@/lib/auth/request-user";
import { db } from "@/lib/db/client";
import { exportRunTrace } from "@/lib/execution/export-run-trace";
import { getActor } from "@/lib/orgs/get-actor";

export const dynamic = "force-dynamic";

export const GET = routeHandler(
  async (request: Request, context: { params: Promise<{ org: string; runId: string }> }) => {
    const { org, runId } = await context.params;
    const userId = await getRequestUserId(db(), request);
    const { actor } = await getActor(db(), { userId, orgSlug: org });
    const { filename, zip } = await exportRunTrace(db(), { actor, runId });
    return new Response(zip, {
      headers: {
        "Content-Type": "application/zip",
        "Content-Disposition": `attachment; filename="${filename}"`,
        "Cache-Control": "no-store",
      },
    });
  },
);
