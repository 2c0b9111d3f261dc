import "server-only";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";

/** The organization's intake policy, in order. */
export async function listIntakeRules(db: Db, options: { actor: Actor }) {
  assertCan(options.actor, "read");
  return db.intakeRule.findMany({
    where: { orgId: options.actor.orgId },
    orderBy: [{ position: "asc" }, { createdAt: "asc" }],
    select: { id: true, name: true, effect: true, field: true, pattern: true, position: true },
  });
}
