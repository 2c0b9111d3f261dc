import "server-only";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";

/**
 * The seq of the organization's latest committed activity event ("0" when it has none): where
 * a page rendered now starts its live stream, so nothing committed after the render is missed.
 */
export async function latestEventSeq(db: Db, options: { actor: Actor }): Promise<string> {
  const { actor } = options;
  assertCan(actor, "read");
  const latest = await db.activityEvent.findFirst({
    where: { orgId: actor.orgId },
    orderBy: { seq: "desc" },
    select: { seq: true },
  });
  return (latest?.seq ?? 0n).toString();
}
