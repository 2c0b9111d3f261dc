// GET /api/metrics — Prometheus scrape (text format 0.0.4): work across organizations and this process.
import { routeHandler } from "@/lib/api/route-handler";
import { db } from "@/lib/db/client";
import { authorizeMetricsScrape } from "@/lib/metrics/authorize-metrics-scrape";
import { collectMetrics, METRICS_CONTENT_TYPE } from "@/lib/metrics/collect-metrics";

export const dynamic = "force-dynamic";

const scrape = routeHandler(async (request: Request) => {
  authorizeMetricsScrape(request);
  return new Response(await collectMetrics(db()), {
    headers: { "Content-Type": METRICS_CONTENT_TYPE, "Cache-Control": "no-store" },
  });
});

export async function GET(request: Request): Promise<Response> {
  const response = await scrape(request);
  if (response.status === 401) response.headers.set("WWW-Authenticate", 'Bearer realm="metrics"');
  return response;
}
