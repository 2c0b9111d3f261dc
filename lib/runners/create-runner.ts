import "server-only";
import { z } from "zod";
import { recordActivity } from "@/lib/activity/record-activity";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { runnerLabelsSchema } from "./runner-label";
import { generateRunnerToken } from "./runner-token";

export const createRunnerSchema = z.object({
  name: z.string().trim().min(1, "Name the runner.").max(80),
  labels: runnerLabelsSchema.default([]),
});
export type CreateRunnerInput = z.input<typeof createRunnerSchema>;

/**
 * Registers a self-hosted runner and returns its token, shown once (only its hash is kept).
 * Admins only: a token can run the organization's tasks.
 */
export async function createRunner(db: Db, options: { actor: Actor; input: CreateRunnerInput }) {
  const { actor } = options;
  assertCan(actor, "manage");
  const input = createRunnerSchema.parse(options.input);
  const { token, prefix, hash } = generateRunnerToken();
  const runner = await db.$transaction(async (tx) => {
    const created = await tx.runner.create({
      data: {
        orgId: actor.orgId,
        name: input.name,
        labels: input.labels,
        tokenPrefix: prefix,
        tokenHash: hash,
      },
      select: { id: true, name: true, labels: true, tokenPrefix: true },
    });
    await recordActivity(tx, {
      orgId: actor.orgId,
      type: "runner.created",
      actorId: actor.userId,
      data: { name: created.name, labels: created.labels },
    });
    return created;
  });
  return { runner, token };
}
