import "server-only";
import { activityActor, recordActivity } from "@/lib/activity/record-activity";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { type UpdateCallbackHostsInput, updateCallbackHostsSchema } from "./callback-hosts-schema";
import { mergeOrgSettings } from "./callback-settings";

/** Replaces the hosts the organization's callbacks may reach even on private addresses. */
export async function updateCallbackHosts(
  db: Db,
  options: { actor: Actor; input: UpdateCallbackHostsInput },
) {
  const { actor } = options;
  assertCan(actor, "manage");
  const { hosts } = updateCallbackHostsSchema.parse(options.input);
  await db.$transaction(async (tx) => {
    await mergeOrgSettings(tx, actor.orgId, { allowedCallbackHosts: hosts });
    await recordActivity(tx, {
      orgId: actor.orgId,
      type: "org.updated",
      ...activityActor(actor),
      data: { changed: ["allowed callback hosts"], hosts },
    });
  });
  return { hosts };
}
