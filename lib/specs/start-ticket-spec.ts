import "server-only";
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/orgs/roles";
import { type CreateSpecInput, createSpec } from "./create-spec";
import { startSpec } from "./start-spec";

/** "Start spec" on a ticket: opens a spec for it and queues the requirements phase. */
export async function startTicketSpec(db: Db, options: { actor: Actor; input: CreateSpecInput }) {
  const spec = await createSpec(db, options);
  await startSpec(db, { actor: options.actor, input: { specId: spec.id } });
  return spec;
}
