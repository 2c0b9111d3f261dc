import { redirect } from "next/navigation";
import { connection } from "next/server";
import { findCurrentUserId } from "@/lib/auth/current-user";
import { db } from "@/lib/db/client";
import { ensurePersonalOrganization } from "@/lib/orgs/ensure-personal-organization";

// GET / — signed in: the user's first organization; otherwise sign-in.
export default async function Home() {
  await connection();
  const userId = await findCurrentUserId();
  if (!userId) redirect("/sign-in");
  const org = await ensurePersonalOrganization(db(), userId);
  redirect(`/${org.slug}/projects`);
}
