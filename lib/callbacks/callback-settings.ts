import "server-only";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { newWebhookSecret } from "./sign-webhook";

/**
 * The callback part of Organization.settings; other keys of the object belong to other areas and
 * are left alone (every write merges with jsonb `||`).
 */
const callbackSettingsSchema = z.object({
  allowedCallbackHosts: z.array(z.string()).catch([]).default([]),
  callbackSigningSecret: z.string().min(1).optional().catch(undefined),
});
export type CallbackSettings = z.infer<typeof callbackSettingsSchema>;

export function parseCallbackSettings(settings: unknown): CallbackSettings {
  const parsed = callbackSettingsSchema.safeParse(settings ?? {});
  return parsed.success ? parsed.data : { allowedCallbackHosts: [] };
}

export async function getCallbackSettings(db: Db, orgId: string): Promise<CallbackSettings> {
  const org = await db.organization.findUnique({
    where: { id: orgId },
    select: { settings: true },
  });
  return parseCallbackSettings(org?.settings);
}

/** Merges `patch` into the organization's settings atomically, keeping every other key. */
export async function mergeOrgSettings(
  db: Pick<Db, "$executeRaw">,
  orgId: string,
  patch: Record<string, unknown>,
): Promise<void> {
  await db.$executeRaw`
    UPDATE "Organization" SET settings = settings || ${JSON.stringify(patch)}::jsonb, "updatedAt" = now()
    WHERE id = ${orgId}`;
}

/** The organization's signing secret, created on first use (concurrent first uses agree on one). */
export async function ensureCallbackSecret(db: Db, orgId: string): Promise<string> {
  const current = await getCallbackSettings(db, orgId);
  if (current.callbackSigningSecret) return current.callbackSigningSecret;
  await db.$executeRaw`
    UPDATE "Organization"
    SET settings = settings || jsonb_build_object('callbackSigningSecret', ${newWebhookSecret()}::text)
    WHERE id = ${orgId} AND NOT (settings ? 'callbackSigningSecret')`;
  const after = await getCallbackSettings(db, orgId);
  if (!after.callbackSigningSecret) throw new Error(`organization ${orgId} not found`);
  return after.callbackSigningSecret;
}
