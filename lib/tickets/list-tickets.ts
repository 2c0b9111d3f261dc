import "server-only";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { type ListTicketsInput, listTicketsSchema } from "./ticket-schema";

/** A page of the organization's tickets, newest first, optionally by project and status. */
export async function listTickets(db: Db, options: { actor: Actor; input?: ListTicketsInput }) {
  const { actor } = options;
  assertCan(actor, "read");
  const input = listTicketsSchema.parse(options.input ?? {});
  const rows = await db.ticket.findMany({
    where: {
      orgId: actor.orgId,
      ...(input.projectId ? { projectId: input.projectId } : {}),
      ...(input.status ? { status: input.status } : {}),
      ...(input.q ? { title: { contains: input.q, mode: "insensitive" as const } } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
    select: {
      id: true,
      number: true,
      title: true,
      status: true,
      priority: true,
      type: true,
      labels: true,
      source: true,
      createdAt: true,
      project: { select: { id: true, name: true } },
    },
  });
  const items = rows.slice(0, input.limit);
  const nextCursor = rows.length > input.limit ? (items.at(-1)?.id ?? null) : null;
  return { items, nextCursor };
}
