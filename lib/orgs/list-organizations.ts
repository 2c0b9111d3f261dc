import "server-only";
import type { Db } from "@/lib/db/client";

/** The organizations a user belongs to, for the switcher. */
export async function listOrganizations(db: Db, userId: string) {
  const rows = await db.membership.findMany({
    where: { userId },
    orderBy: { org: { name: "asc" } },
    select: { role: true, org: { select: { id: true, name: true, slug: true, personal: true } } },
  });
  return rows.map((r) => ({ ...r.org, role: r.role }));
}
