// GET /api/v1/projects/{projectId} — one project (API key; see lib/api/v1/operations.ts)
import { operation } from "@/lib/api/v1/operations";
import { serveOperation } from "@/lib/api/v1/serve-operation";

export const dynamic = "force-dynamic";

export const GET = serveOperation(operation("GET", "/projects/{projectId}"));
