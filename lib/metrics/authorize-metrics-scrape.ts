import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { AppError } from "@/lib/api/app-error";
import { env } from "@/lib/env";

const digest = (text: string) => createHash("sha256").update(text).digest();

/**
 * Lets a scrape of GET /api/metrics through, or throws: UNAUTHENTICATED without
 * `Authorization: Bearer <METRICS_TOKEN>` (compared in constant time); NOT_FOUND when
 * METRICS_TOKEN is unset, unless in development, where the endpoint is open.
 */
export function authorizeMetricsScrape(request: Request): void {
  const { METRICS_TOKEN: token, NODE_ENV } = env();
  if (!token) {
    if (NODE_ENV === "development") return;
    throw new AppError("NOT_FOUND", "Metrics are off: set METRICS_TOKEN to serve them.");
  }
  const given = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "")?.[1];
  // Digests have one length, so neither the comparison nor its duration reveals the token's.
  if (!given || !timingSafeEqual(digest(given), digest(token))) {
    throw new AppError("UNAUTHENTICATED", "Send Authorization: Bearer <METRICS_TOKEN>.");
  }
}
