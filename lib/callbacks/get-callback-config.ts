import "server-only";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan, can } from "@/lib/orgs/roles";
import { ensureCallbackSecret, getCallbackSettings } from "./callback-settings";

/** For Settings: the allowed hosts (everyone), and the signing secret (admins and owners only). */
export async function getCallbackConfig(db: Db, options: { actor: Actor }) {
  const { actor } = options;
  assertCan(actor, "read");
  const settings = await getCallbackSettings(db, actor.orgId);
  const secret = can(actor.role, "manage") ? await ensureCallbackSecret(db, actor.orgId) : null;
  return { allowedHosts: settings.allowedCallbackHosts, signingSecret: secret };
}
