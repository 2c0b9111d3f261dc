import "server-only";
import { notFound } from "next/navigation";
import { cache } from "react";
import { isAppError } from "@/lib/api/app-error";
import { db } from "@/lib/db/client";
import { getActor } from "@/lib/orgs/get-actor";
import { requireUserId } from "./current-user";

/**
 * For pages under /[org]: the signed-in user's actor in that organization.
 * Not signed in -> sign-in; not a member -> 404. Cached per request so the
 * layout and the page resolve it once.
 */
export const requireOrgContext = cache(async (orgSlug: string) => {
  const userId = await requireUserId();
  try {
    return await getActor(db(), { userId, orgSlug });
  } catch (error) {
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  }
});

/** Runs a domain read for a page; NOT_FOUND (including another tenant's id) becomes the 404 page. */
export async function orNotFound<T>(read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (error) {
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  }
}
