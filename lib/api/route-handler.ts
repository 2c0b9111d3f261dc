import "server-only";
import { NextResponse } from "next/server";
import { logger } from "@/lib/logger";
import { toAppError } from "./to-app-error";

/** Wraps a route handler so every failure leaves as the one JSON error shape with its status. */
export function routeHandler<Args extends unknown[]>(
  handler: (...args: Args) => Promise<Response>,
): (...args: Args) => Promise<Response> {
  return async (...args: Args) => {
    try {
      return await handler(...args);
    } catch (thrown) {
      const error = toAppError(thrown);
      if (error.code === "INTERNAL") logger.error({ err: thrown }, "route handler failed");
      const headers: Record<string, string> = {};
      if (error.details?.retryAfterSeconds)
        headers["Retry-After"] = String(error.details.retryAfterSeconds);
      return NextResponse.json(error.toJSON(), { status: error.status, headers });
    }
  };
}
