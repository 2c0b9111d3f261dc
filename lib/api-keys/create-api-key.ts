import "server-only";
import { activityActor, recordActivity } from "@/lib/activity/record-activity";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { hashSecret } from "@/lib/utils/secret-token";
import { type CreateApiKeyInput, createApiKeySchema } from "./api-key-schema";
import { generateApiKey } from "./key-format";

const dayMs = 24 * 60 * 60 * 1000;

/** Creates an API key for the organization; the key is returned once, only its SHA-256 is kept. */
export async function createApiKey(
  db: Db,
  options: { actor: Actor; input: CreateApiKeyInput; now?: Date },
) {
  const { actor } = options;
  assertCan(actor, "manage");
  const input = createApiKeySchema.parse(options.input);
  const now = options.now ?? new Date();
  const { key, prefix } = generateApiKey();
  const row = await db.$transaction(async (tx) => {
    const created = await tx.apiKey.create({
      data: {
        orgId: actor.orgId,
        name: input.name,
        prefix,
        hash: hashSecret(key),
        scopes: [input.scope],
        createdById: actor.userId,
        expiresAt: input.expiresInDays
          ? new Date(now.getTime() + input.expiresInDays * dayMs)
          : null,
      },
      select: {
        id: true,
        name: true,
        prefix: true,
        scopes: true,
        expiresAt: true,
        createdAt: true,
      },
    });
    await recordActivity(tx, {
      orgId: actor.orgId,
      type: "org.api_key_created",
      ...activityActor(actor),
      data: { apiKeyId: created.id, name: created.name, prefix, scope: input.scope },
    });
    return created;
  });
  return { ...row, key };
}
