import "server-only";
import { notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { runVerifications } from "./run-verifications";

/** One run (a task's attempt or a spec phase) with its verifications; another organization's is NOT_FOUND. */
export async function getRun(db: Db, options: { actor: Actor; runId: string }) {
  assertCan(options.actor, "read");
  const run = await db.run.findFirst({
    where: { id: options.runId, orgId: options.actor.orgId },
    include: {
      verifications: runVerifications,
    },
  });
  if (!run) throw notFound("Run");
  return run;
}
