import "server-only";
import { activityActor, recordActivity } from "@/lib/activity/record-activity";
import { notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { TicketSource } from "@/lib/generated/prisma/enums";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { type CreateTicketInput, createTicketSchema } from "./ticket-schema";

/** Files a ticket in a project of the actor's organization, numbered within the project. */
export async function createTicket(
  db: Db,
  options: {
    actor: Actor;
    input: CreateTicketInput;
    source?: TicketSource;
    /** Task intake (lib/intake/enqueue-task.ts): idempotency key, callback URL and the request as given. */
    intake?: { idempotencyKey?: string; callbackUrl?: string; data: Prisma.InputJsonValue };
  },
) {
  const { actor } = options;
  assertCan(actor, "write");
  const input = createTicketSchema.parse(options.input);
  return db.$transaction(async (tx) => {
    // Locking the project row serialises numbering, so concurrent tickets never share a number.
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM "Project" WHERE id = ${input.projectId} AND "orgId" = ${actor.orgId} FOR UPDATE`;
    if (locked.length === 0) throw notFound("Project");
    const last = await tx.ticket.findFirst({
      where: { projectId: input.projectId },
      orderBy: { number: "desc" },
      select: { number: true },
    });
    const ticket = await tx.ticket.create({
      data: {
        orgId: actor.orgId,
        projectId: input.projectId,
        number: (last?.number ?? 0) + 1,
        title: input.title,
        description: input.description,
        priority: input.priority,
        type: input.type,
        labels: input.labels,
        source: options.source ?? "WEB",
        createdById: actor.userId,
        ...(options.intake
          ? {
              idempotencyKey: options.intake.idempotencyKey,
              callbackUrl: options.intake.callbackUrl,
              intake: options.intake.data,
            }
          : {}),
      },
    });
    await recordActivity(tx, {
      orgId: actor.orgId,
      type: "ticket.created",
      ...activityActor(actor),
      projectId: ticket.projectId,
      ticketId: ticket.id,
      data: { title: ticket.title, number: ticket.number },
    });
    return ticket;
  });
}
