// GET /api/v1/callback-deliveries — the organization's callback deliveries, newest first (admin API key)
import { operation } from "@/lib/api/v1/operations";
import { serveOperation } from "@/lib/api/v1/serve-operation";

export const dynamic = "force-dynamic";

export const GET = serveOperation(operation("GET", "/callback-deliveries"));
