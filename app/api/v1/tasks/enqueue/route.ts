// POST /api/v1/tasks/enqueue — task intake: policy, idempotency key, callback URL (API key)
import { operation } from "@/lib/api/v1/operations";
import { serveOperation } from "@/lib/api/v1/serve-operation";

export const dynamic = "force-dynamic";

export const POST = serveOperation(operation("POST", "/tasks/enqueue"));
