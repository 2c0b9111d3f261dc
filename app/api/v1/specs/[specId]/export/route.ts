// GET /api/v1/specs/{specId}/export — the spec as Kiro-layout Markdown files, in JSON (API key)
import { operation } from "@/lib/api/v1/operations";
import { serveOperation } from "@/lib/api/v1/serve-operation";

export const dynamic = "force-dynamic";

export const GET = serveOperation(operation("GET", "/specs/{specId}/export"));
