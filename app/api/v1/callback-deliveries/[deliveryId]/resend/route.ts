// POST /api/v1/callback-deliveries/{deliveryId}/resend — queue a failed or delivered callback to be sent again (admin API key)
import { operation } from "@/lib/api/v1/operations";
import { serveOperation } from "@/lib/api/v1/serve-operation";

export const dynamic = "force-dynamic";

export const POST = serveOperation(operation("POST", "/callback-deliveries/{deliveryId}/resend"));
