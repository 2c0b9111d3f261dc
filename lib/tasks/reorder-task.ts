import "server-only";
import { z } from "zod";
import { recordActivity } from "@/lib/activity/record-activity";
import { AppError, notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { rankBetween, rankDirection, rankStep } from "./rank";

const optionalId = z.string().min(1).nullable().default(null);

export const reorderTaskSchema = z
  .object({
    taskId: z.string().min(1),
    /** The task that will come directly before it (null: it goes first). */
    aboveId: optionalId,
    /** The task that will come directly after it (null: it goes last). */
    belowId: optionalId,
  })
  .refine((i) => i.aboveId !== null || i.belowId !== null, {
    message: "Name the task to place it above or below",
    path: ["aboveId"],
  })
  .refine(
    (i) =>
      i.aboveId !== i.taskId &&
      i.belowId !== i.taskId &&
      (i.aboveId === null || i.aboveId !== i.belowId),
    {
      message: "A task cannot be placed next to itself",
      path: ["aboveId"],
    },
  );
export type ReorderTaskInput = z.input<typeof reorderTaskSchema>;

const select = { id: true, key: true, title: true, rank: true, projectId: true, specId: true };

/**
 * Rewrites the organization's ranks as 1024, 2048, … in their current order
 * (rank, then age), opening room between tasks whose ranks are equal or too close.
 */
async function renumberRanks(tx: Prisma.TransactionClient, orgId: string): Promise<void> {
  await tx.$executeRaw`
    UPDATE "Task" t SET rank = o.n * ${rankStep}::double precision
    FROM (
      SELECT id, row_number() OVER (ORDER BY rank, "createdAt", id) AS n
      FROM "Task" WHERE "orgId" = ${orgId}
    ) o
    WHERE t.id = o.id AND t.rank <> o.n * ${rankStep}::double precision`;
}

/**
 * A person changes a task's place in the queue (the board's drag within a
 * column, or Move up/down): the task takes a rank between the two tasks it is
 * dropped between. Lower ranks run first. Records "task.reordered". Ids of
 * other organizations are NOT_FOUND; neighbours out of order are a CONFLICT.
 */
export async function reorderTask(db: Db, options: { actor: Actor; input: ReorderTaskInput }) {
  const { actor } = options;
  assertCan(actor, "write");
  const input = reorderTaskSchema.parse(options.input);
  const ids = [input.taskId, input.aboveId, input.belowId].filter((id) => id !== null);
  return db.$transaction(async (tx) => {
    const load = async () => {
      const rows = await tx.task.findMany({
        where: { id: { in: ids }, orgId: actor.orgId },
        select,
      });
      const byId = new Map(rows.map((row) => [row.id, row]));
      return {
        task: byId.get(input.taskId),
        above: input.aboveId ? byId.get(input.aboveId) : null,
        below: input.belowId ? byId.get(input.belowId) : null,
      };
    };
    let { task, above, below } = await load();
    if (!task || above === undefined || below === undefined) throw notFound("Task");
    let rank = rankBetween(above?.rank ?? null, below?.rank ?? null);
    if (rank === null) {
      await renumberRanks(tx, actor.orgId);
      ({ task, above, below } = await load());
      rank = rankBetween(above?.rank ?? null, below?.rank ?? null);
    }
    if (rank === null || !task) {
      throw new AppError(
        "CONFLICT",
        "The board changed while you were moving the task. Reload and try again.",
      );
    }
    await tx.task.update({ where: { id: task.id }, data: { rank } });
    await recordActivity(tx, {
      orgId: actor.orgId,
      type: "task.reordered",
      actorId: actor.userId,
      projectId: task.projectId,
      specId: task.specId,
      taskId: task.id,
      data: {
        key: task.key,
        title: task.title,
        direction: rankDirection(task.rank, rank),
        ...(above ? { aboveKey: above.key } : {}),
        ...(below ? { belowKey: below.key } : {}),
      },
    });
    return { id: task.id, key: task.key, rank };
  });
}
