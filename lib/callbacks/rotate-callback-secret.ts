import "server-only";
import { activityActor, recordActivity } from "@/lib/activity/record-activity";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { mergeOrgSettings } from "./callback-settings";
import { newWebhookSecret } from "./sign-webhook";

/** Replaces the organization's callback signing secret; deliveries from now on use the new one. */
export async function rotateCallbackSecret(db: Db, options: { actor: Actor }) {
  const { actor } = options;
  assertCan(actor, "manage");
  const secret = newWebhookSecret();
  await db.$transaction(async (tx) => {
    await mergeOrgSettings(tx, actor.orgId, { callbackSigningSecret: secret });
    await recordActivity(tx, {
      orgId: actor.orgId,
      type: "org.updated",
      ...activityActor(actor),
      data: { changed: ["callback signing secret"] },
    });
  });
  return { rotated: true };
}
