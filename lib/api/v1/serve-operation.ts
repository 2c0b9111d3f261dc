import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/api/app-error";
import { consumeRateLimit, type RateLimitResult } from "@/lib/api/rate-limit";
import { toAppError } from "@/lib/api/to-app-error";
import { authenticateApiKey } from "@/lib/api-keys/authenticate-api-key";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { can } from "@/lib/orgs/roles";
import { type Operation, Reply } from "./operation";
import { readJsonBody } from "./read-json-body";

const emptyObject = z.object({});

// Next passes no params (undefined) to routes without dynamic segments.
type RouteContext = { params?: Promise<Record<string, string | string[] | undefined> | undefined> };

function rateLimitHeaders(limit: RateLimitResult | undefined): Record<string, string> {
  if (!limit) return {};
  return {
    "RateLimit-Limit": String(limit.limit),
    "RateLimit-Remaining": String(limit.remaining),
    ...(limit.allowed ? {} : { "Retry-After": String(limit.retryAfterSeconds) }),
  };
}

/**
 * The edge of every /api/v1 operation: authenticate the API key (401), count the request against
 * the key's rate limit (429 with Retry-After), check the key's scope (403), parse path params,
 * query and body with the operation's zod schemas (400, 413 over the size cap), call the
 * operation's handler (which calls the domain), and send its result shaped by the response schema.
 * Every failure leaves as `{ error: { code, message, details? } }`.
 */
export function serveOperation(operation: Operation) {
  return async (request: Request, context: RouteContext): Promise<Response> => {
    let limit: RateLimitResult | undefined;
    try {
      const { actor } = await authenticateApiKey(db(), {
        authorization: request.headers.get("authorization"),
      });
      limit = await consumeRateLimit(db(), {
        bucket: `api-key:${actor.apiKeyId}`,
        limit: env().API_RATE_LIMIT_PER_MINUTE,
      });
      if (!limit.allowed) {
        throw new AppError(
          "RATE_LIMITED",
          `Rate limit of ${limit.limit} requests per minute reached; retry in ${limit.retryAfterSeconds} s.`,
          { retryAfterSeconds: limit.retryAfterSeconds },
        );
      }
      if (operation.scope === "write" && !can(actor.role, "write")) {
        throw new AppError(
          "FORBIDDEN",
          "This API key can only read; this needs a key with the write scope.",
        );
      }
      if (operation.scope === "admin" && !can(actor.role, "manage")) {
        throw new AppError("FORBIDDEN", "This needs an API key with the admin scope.");
      }
      const params = (operation.params ?? emptyObject).parse((await context?.params) ?? {});
      const query = (operation.query ?? emptyObject).parse(
        Object.fromEntries(new URL(request.url).searchParams),
      );
      const body = operation.body
        ? operation.body.parse(await readJsonBody(request, operation.maxBodyBytes))
        : undefined;
      const result = await operation.handle({ db: db(), actor, params, query, body });
      const reply = result instanceof Reply ? result : new Reply(result, operation.status);
      return Response.json(operation.response.parse(reply.data), {
        status: reply.status,
        headers: { "Cache-Control": "no-store", ...rateLimitHeaders(limit), ...reply.headers },
      });
    } catch (thrown) {
      const error = toAppError(thrown);
      if (error.code === "INTERNAL") {
        logger.error({ err: thrown, operation: operation.operationId }, "API request failed");
      }
      const headers: Record<string, string> = {
        "Cache-Control": "no-store",
        ...rateLimitHeaders(limit),
      };
      if (error.code === "UNAUTHENTICATED") headers["WWW-Authenticate"] = 'Bearer realm="trellis"';
      if (error.details?.retryAfterSeconds)
        headers["Retry-After"] = String(error.details.retryAfterSeconds);
      return Response.json(error.toJSON(), { status: error.status, headers });
    }
  };
}
