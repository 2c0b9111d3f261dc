// POST /api/v1/specs/{specId}/request-changes — send the phase in review back with feedback (API key)
import { operation } from "@/lib/api/v1/operations";
import { serveOperation } from "@/lib/api/v1/serve-operation";

export const dynamic = "force-dynamic";

export const POST = serveOperation(operation("POST", "/specs/{specId}/request-changes"));
