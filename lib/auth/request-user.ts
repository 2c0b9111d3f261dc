import "server-only";
import { NextResponse } from "next/server";
import { getToken } from "next-auth/jwt";
import { AppError } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { env } from "@/lib/env";

/**
 * For route handlers: the signed-in user behind a request, read from its
 * session cookie (the same JWT Auth.js issues). Pages and server actions use
 * `getCurrentUserId()` instead, which has no Request to read.
 */
export async function getRequestUserId(db: Db, request: Request): Promise<string> {
  const userId = await findRequestUserId(db, request);
  if (!userId) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
  return userId;
}

/** The signed-in user behind a request, or null when there is none. */
export async function findRequestUserId(db: Db, request: Request): Promise<string | null> {
  const forwarded = request.headers.get("x-forwarded-proto");
  const secureCookie = (forwarded ?? new URL(request.url).protocol.replace(":", "")) === "https";
  const token = await getToken({ req: request, secret: env().AUTH_SECRET, secureCookie });
  const user = token?.sub
    ? await db.user.findUnique({ where: { id: token.sub }, select: { id: true } })
    : null;
  return user?.id ?? null;
}

/** For browser-facing route handlers: to sign-in, then back to this request's URL. */
export function signInRedirect(request: Request): Response {
  const url = new URL(request.url);
  const next = `${url.pathname}${url.search}`;
  return NextResponse.redirect(new URL(`/sign-in?next=${encodeURIComponent(next)}`, url), 303);
}
