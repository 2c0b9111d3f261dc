// GET /api/v1/openapi.json — the OpenAPI 3.1 document of the REST API (public, no key)
import { buildOpenApiDocument } from "@/lib/api/v1/openapi";
import { appUrl } from "@/lib/env";

export const dynamic = "force-dynamic";

export function GET() {
  return Response.json(buildOpenApiDocument(appUrl()), {
    headers: { "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*" },
  });
}
