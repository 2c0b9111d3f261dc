import "server-only";
import { redirect } from "next/navigation";
import { AppError } from "@/lib/api/app-error";
import { db } from "@/lib/db/client";
import { auth } from "./auth";

/** The signed-in user's id, or null. A session whose user was deleted counts as signed out. */
export async function findCurrentUserId(): Promise<string | null> {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  const user = await db().user.findUnique({ where: { id }, select: { id: true } });
  return user?.id ?? null;
}

/** For pages: the signed-in user's id, or a redirect to sign-in. */
export async function requireUserId(): Promise<string> {
  const id = await findCurrentUserId();
  if (!id) redirect("/sign-in");
  return id;
}

/** For actions and route handlers: the signed-in user's id, or UNAUTHENTICATED. */
export async function getCurrentUserId(): Promise<string> {
  const id = await findCurrentUserId();
  if (!id) throw new AppError("UNAUTHENTICATED", "Your session has ended. Sign in again.");
  return id;
}

/** Profile fields for the user menu. */
export async function getCurrentUser(userId: string) {
  return db().user.findUniqueOrThrow({
    where: { id: userId },
    select: { id: true, name: true, email: true, image: true },
  });
}
