// POST /api/v1/tasks/{taskId}/cancel — cancel a task that has not ended (API key)
import { operation } from "@/lib/api/v1/operations";
import { serveOperation } from "@/lib/api/v1/serve-operation";

export const dynamic = "force-dynamic";

export const POST = serveOperation(operation("POST", "/tasks/{taskId}/cancel"));
