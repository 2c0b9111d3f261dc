import "server-only";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";

/** The organization's API keys, newest first: names, prefixes and dates, never hashes. */
export async function listApiKeys(db: Db, options: { actor: Actor }) {
  assertCan(options.actor, "read");
  return db.apiKey.findMany({
    where: { orgId: options.actor.orgId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 200,
    select: {
      id: true,
      name: true,
      prefix: true,
      scopes: true,
      lastUsedAt: true,
      expiresAt: true,
      revokedAt: true,
      createdAt: true,
      createdBy: { select: { name: true, email: true } },
    },
  });
}
