import "server-only";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { transitionSpec } from "./transition-spec";

export const cancelSpecSchema = z.object({ specId: z.string().min(1) });

/** Cancels a spec that has not ended; a phase run still in flight finds it cancelled and stops. */
export async function cancelSpec(
  db: Db,
  options: { actor: Actor; input: z.input<typeof cancelSpecSchema> },
) {
  const { actor } = options;
  assertCan(actor, "write");
  const { specId } = cancelSpecSchema.parse(options.input);
  return db.$transaction((tx) =>
    transitionSpec(tx, {
      orgId: actor.orgId,
      specId,
      event: { type: "cancel" },
      actorId: actor.userId,
    }),
  );
}
