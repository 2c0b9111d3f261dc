import "server-only";
import { assertCanStartWork } from "@/lib/billing/assert-can-start-work";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { type CreateSpecInput, createSpec } from "./create-spec";
import { startSpec } from "./start-spec";

/** "Start spec" on a ticket: opens a spec for it and queues the requirements phase. */
export async function startTicketSpec(db: Db, options: { actor: Actor; input: CreateSpecInput }) {
  // Checked before the spec is opened too, so a refusal leaves no empty draft behind.
  assertCan(options.actor, "write");
  await assertCanStartWork(db, { orgId: options.actor.orgId });
  const spec = await createSpec(db, options);
  await startSpec(db, { actor: options.actor, input: { specId: spec.id } });
  return spec;
}
