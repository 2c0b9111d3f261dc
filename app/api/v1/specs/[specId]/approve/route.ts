// POST /api/v1/specs/{specId}/approve — approve the phase in review (API key; see lib/api/v1/operations.ts)
import { operation } from "@/lib/api/v1/operations";
import { serveOperation } from "@/lib/api/v1/serve-operation";

export const dynamic = "force-dynamic";

export const POST = serveOperation(operation("POST", "/specs/{specId}/approve"));
