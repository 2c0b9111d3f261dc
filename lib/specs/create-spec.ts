import "server-only";
import { z } from "zod";
import { activityActor, recordActivity } from "@/lib/activity/record-activity";
import { notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ActorKind } from "@/lib/generated/prisma/enums";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { slugify } from "@/lib/utils/slugify";

export const createSpecSchema = z.object({ ticketId: z.string().min(1) });
export type CreateSpecInput = z.infer<typeof createSpecSchema>;

/** Opens a draft spec for a ticket; its folder name (slug) is unique within the project. */
export async function createSpec(db: Db, options: { actor: Actor; input: CreateSpecInput }) {
  const { actor } = options;
  assertCan(actor, "write");
  const input = createSpecSchema.parse(options.input);
  return db.$transaction((tx) =>
    applyCreateSpec(tx, { orgId: actor.orgId, ticketId: input.ticketId, ...activityActor(actor) }),
  );
}

/**
 * Opens a draft spec inside the caller's transaction (also used by GitHub intake, whose actor is
 * not always a Trellis user: `actorKind` GITHUB with the login in `activityData`).
 */
export async function applyCreateSpec(
  tx: Prisma.TransactionClient,
  options: {
    orgId: string;
    ticketId: string;
    actorId: string | null;
    actorKind?: ActorKind;
    activityData?: Prisma.InputJsonObject;
  },
) {
  const ticket = await tx.ticket.findFirst({
    where: { id: options.ticketId, orgId: options.orgId },
    select: { id: true, title: true, projectId: true },
  });
  if (!ticket) throw notFound("Ticket");
  // Serialise slug choice per project (two specs started at once on one project).
  await tx.$queryRaw`SELECT id FROM "Project" WHERE id = ${ticket.projectId} FOR UPDATE`;
  const base = slugify(ticket.title) || "spec";
  const taken = new Set(
    (
      await tx.spec.findMany({
        where: { projectId: ticket.projectId, slug: { startsWith: base } },
        select: { slug: true },
      })
    ).map((s) => s.slug),
  );
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
  const spec = await tx.spec.create({
    data: {
      orgId: options.orgId,
      projectId: ticket.projectId,
      ticketId: ticket.id,
      title: ticket.title,
      slug,
    },
  });
  await recordActivity(tx, {
    orgId: options.orgId,
    type: "spec.created",
    actorId: options.actorId,
    actorKind: options.actorKind,
    projectId: ticket.projectId,
    ticketId: ticket.id,
    specId: spec.id,
    data: { title: spec.title, ...options.activityData },
  });
  return spec;
}
