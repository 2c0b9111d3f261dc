// GET /api/v1/activity — the organization's activity, newest first (API key)
import { operation } from "@/lib/api/v1/operations";
import { serveOperation } from "@/lib/api/v1/serve-operation";

export const dynamic = "force-dynamic";

export const GET = serveOperation(operation("GET", "/activity"));
