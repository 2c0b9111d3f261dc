import "server-only";
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
  const forwarded = request.headers.get("x-forwarded-proto");
  const secureCookie = (forwarded ?? new URL(request.url).protocol.replace(":", "")) === "https";
  const token = await getToken({ req: request, secret: env().AUTH_SECRET, secureCookie });
  const user = token?.sub
    ? await db.user.findUnique({ where: { id: token.sub }, select: { id: true } })
    : null;
  if (!user) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
  return user.id;
}
