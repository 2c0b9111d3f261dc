// GET /api/v1/runs/{runId}/logs — a run's log lines, paginated by sequence (API key)
import { operation } from "@/lib/api/v1/operations";
import { serveOperation } from "@/lib/api/v1/serve-operation";

export const dynamic = "force-dynamic";

export const GET = serveOperation(operation("GET", "/runs/{runId}/logs"));
