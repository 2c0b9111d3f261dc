import "server-only";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";

export const listActivitySchema = z.object({
  /** A family ("ticket") or a dotted prefix ("ticket.closed"). */
  type: z
    .string()
    .trim()
    .regex(/^[a-z_]+(\.[a-z_]+)*\.?$/, "Use an event type such as ticket or ticket.created")
    .max(80)
    .optional(),
  projectId: z.string().min(1).optional(),
  /** The `seq` of the last event already shown: the page holds older ones (commit order). */
  cursor: z
    .string()
    .regex(/^\d{1,19}$/, "The cursor is an event sequence number")
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type ListActivityInput = z.input<typeof listActivitySchema>;

function typeFilter(type: string | undefined): Prisma.StringFilter | undefined {
  if (!type) return undefined;
  // A bare family matches "ticket.*" but not "tickets.*".
  return { startsWith: type.includes(".") ? type : `${type}.` };
}

/** A page of the organization's activity, newest first, optionally by type prefix and project. */
export async function listActivity(db: Db, options: { actor: Actor; input?: ListActivityInput }) {
  const { actor } = options;
  assertCan(actor, "read");
  const input = listActivitySchema.parse(options.input ?? {});
  const type = typeFilter(input.type);
  const rows = await db.activityEvent.findMany({
    where: {
      orgId: actor.orgId,
      ...(type ? { type } : {}),
      ...(input.projectId ? { projectId: input.projectId } : {}),
      // By sequence number, not by id: a cursor event deleted since (with its project) still works.
      ...(input.cursor ? { seq: { lt: BigInt(input.cursor) } } : {}),
    },
    orderBy: [{ seq: "desc" }],
    take: input.limit + 1,
    select: {
      id: true,
      seq: true,
      specId: true,
      taskId: true,
      type: true,
      actorKind: true,
      createdAt: true,
      data: true,
      actor: { select: { name: true, email: true } },
      project: { select: { id: true, name: true } },
      ticket: { select: { id: true, number: true, title: true } },
      spec: { select: { title: true } },
    },
  });
  const page = rows.slice(0, input.limit);
  const nextCursor = rows.length > input.limit ? (page.at(-1)?.seq.toString() ?? null) : null;

  // Member events name the member they are about by id in `data.userId`; resolve those in one query.
  const subjectIds = [
    ...new Set(page.map((e) => subjectId(e.data)).filter((id): id is string => id !== null)),
  ];
  const subjects = subjectIds.length
    ? await db.user.findMany({
        where: { id: { in: subjectIds } },
        select: { id: true, name: true, email: true },
      })
    : [];
  const byId = new Map(subjects.map((u) => [u.id, { name: u.name, email: u.email }]));
  const items = page.map((e) => {
    const id = subjectId(e.data);
    return { ...e, subject: id ? (byId.get(id) ?? null) : null };
  });
  return { items, nextCursor };
}

function subjectId(data: Prisma.JsonValue): string | null {
  if (!data || typeof data !== "object" || Array.isArray(data)) return null;
  const id = data.userId;
  return typeof id === "string" ? id : null;
}
