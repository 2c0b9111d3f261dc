// GET /api/v1/runs/{runId}/trace — a run's trace events (model calls, tool calls, commands, verification), paginated by sequence (API key)
import { operation } from "@/lib/api/v1/operations";
import { serveOperation } from "@/lib/api/v1/serve-operation";

export const dynamic = "force-dynamic";

export const GET = serveOperation(operation("GET", "/runs/{runId}/trace"));
