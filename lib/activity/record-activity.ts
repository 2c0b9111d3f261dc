import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ActorKind } from "@/lib/generated/prisma/enums";
import type { Actor } from "@/lib/orgs/roles";

type Tx = Pick<Prisma.TransactionClient, "activityEvent">;

export interface ActivityInput {
  orgId: string;
  type: string;
  actorId?: string | null;
  actorKind?: ActorKind;
  projectId?: string | null;
  ticketId?: string | null;
  specId?: string | null;
  taskId?: string | null;
  data?: Prisma.InputJsonValue;
}

/** Records one activity event inside the caller's transaction, so it commits with the change. */
export async function recordActivity(tx: Tx, input: ActivityInput) {
  return tx.activityEvent.create({
    data: {
      orgId: input.orgId,
      type: input.type,
      actorId: input.actorId ?? null,
      actorKind: input.actorKind ?? "USER",
      projectId: input.projectId ?? null,
      ticketId: input.ticketId ?? null,
      specId: input.specId ?? null,
      taskId: input.taskId ?? null,
      data: input.data ?? {},
    },
    select: { id: true },
  });
}

/** Who an event is by: a person, or an API key acting for the person who created it. */
export function activityActor(actor: Actor): { actorId: string; actorKind: ActorKind } {
  return { actorId: actor.userId, actorKind: actor.apiKeyId ? "API" : "USER" };
}
