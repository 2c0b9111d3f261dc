import "server-only";
import { z } from "zod";
import { recordActivity } from "@/lib/activity/record-activity";
import { notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";

export const revokeRunnerSchema = z.object({ runnerId: z.string().min(1) });

/** Revokes a runner's token: its next request is refused; its tasks return to the queue when their leases lapse. */
export async function revokeRunner(
  db: Db,
  options: { actor: Actor; input: z.input<typeof revokeRunnerSchema> },
) {
  const { actor } = options;
  assertCan(actor, "manage");
  const { runnerId } = revokeRunnerSchema.parse(options.input);
  return db.$transaction(async (tx) => {
    const runner = await tx.runner.findFirst({
      where: { id: runnerId, orgId: actor.orgId, revokedAt: null },
      select: { id: true, name: true },
    });
    if (!runner) throw notFound("Runner");
    await tx.runner.update({ where: { id: runner.id }, data: { revokedAt: new Date() } });
    await recordActivity(tx, {
      orgId: actor.orgId,
      type: "runner.revoked",
      actorId: actor.userId,
      data: { name: runner.name },
    });
    return runner;
  });
}
