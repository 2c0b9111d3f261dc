import "server-only";
import { activityActor, recordActivity } from "@/lib/activity/record-activity";
import { notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { type RevokeApiKeyInput, revokeApiKeySchema } from "./api-key-schema";

/** Revokes one of the organization's API keys: its next request gets 401. Revoking twice is a no-op. */
export async function revokeApiKey(db: Db, options: { actor: Actor; input: RevokeApiKeyInput }) {
  const { actor } = options;
  assertCan(actor, "manage");
  const { apiKeyId } = revokeApiKeySchema.parse(options.input);
  return db.$transaction(async (tx) => {
    const key = await tx.apiKey.findFirst({
      where: { id: apiKeyId, orgId: actor.orgId },
      select: { id: true, name: true, prefix: true, revokedAt: true },
    });
    if (!key) throw notFound("API key");
    if (key.revokedAt) return { id: key.id, revokedAt: key.revokedAt };
    const revoked = await tx.apiKey.update({
      where: { id: key.id },
      data: { revokedAt: new Date() },
      select: { id: true, revokedAt: true },
    });
    await recordActivity(tx, {
      orgId: actor.orgId,
      type: "org.api_key_revoked",
      ...activityActor(actor),
      data: { apiKeyId: key.id, name: key.name, prefix: key.prefix },
    });
    return revoked;
  });
}
