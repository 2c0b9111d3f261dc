import "server-only";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";

/** The organization's runners that are not revoked, newest first. */
export async function listRunners(db: Db, options: { actor: Actor }) {
  assertCan(options.actor, "read");
  return db.runner.findMany({
    where: { orgId: options.actor.orgId, revokedAt: null },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      name: true,
      labels: true,
      tokenPrefix: true,
      hostname: true,
      lastHeartbeatAt: true,
    },
  });
}
