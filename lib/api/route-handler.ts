import "server-only";
import { NextResponse } from "next/server";
import { logger } from "@/lib/logger";
import type { AppError } from "./app-error";
import { toAppError } from "./to-app-error";

export interface RouteHandlerOptions {
  /**
   * For routes a browser navigates to (OAuth-style callbacks): a request that accepts HTML gets
   * its failure as a small page with this heading and a link back into the app, not raw JSON.
   */
  errorPage?: { title: string };
}

/** Wraps a route handler so every failure leaves as the one JSON error shape with its status. */
export function routeHandler<Args extends unknown[]>(
  handler: (...args: Args) => Promise<Response>,
  options: RouteHandlerOptions = {},
): (...args: Args) => Promise<Response> {
  return async (...args: Args) => {
    try {
      return await handler(...args);
    } catch (thrown) {
      const error = toAppError(thrown);
      if (error.code === "INTERNAL") logger.error({ err: thrown }, "route handler failed");
      const request = args[0];
      if (options.errorPage && request instanceof Request && acceptsHtml(request)) {
        return errorPage(options.errorPage.title, error);
      }
      const headers: Record<string, string> = {};
      if (error.details?.retryAfterSeconds)
        headers["Retry-After"] = String(error.details.retryAfterSeconds);
      return NextResponse.json(error.toJSON(), { status: error.status, headers });
    }
  };
}

const acceptsHtml = (request: Request) =>
  (request.headers.get("accept") ?? "")
    .split(",")
    .some((type) => type.trim().startsWith("text/html"));

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

// Plain HTML with inline styles: a route handler has no layout; light and dark follow the system.
function errorPage(title: string, error: AppError): Response {
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · Trellis</title>
<style>
:root { color-scheme: light dark; font-family: system-ui, sans-serif; }
body { margin: 0; min-height: 100dvh; display: grid; place-items: center; padding: 1.5rem; box-sizing: border-box; }
main { max-width: 28rem; display: grid; gap: 0.75rem; border: 1px solid #8884; border-radius: 0.75rem; padding: 1.5rem; }
h1 { margin: 0; font-size: 1.125rem; }
p { margin: 0; line-height: 1.5; }
a { color: inherit; text-underline-offset: 3px; }
</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p role="alert">${escapeHtml(error.message)}</p>
<p><a href="/">Back to Trellis</a></p>
</main>
</body>
</html>
`;
  return new Response(html, {
    status: error.status,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
}
