import "server-only";
import { z } from "zod";
import { activityActor, recordActivity } from "@/lib/activity/record-activity";
import { modelRoutingEntries } from "@/lib/agents/get-model-routing";
import {
  type ModelOverrides,
  modelChoiceSchema,
  modelSettingsSchema,
  routingKeys,
} from "@/lib/agents/models";
import { notFound } from "@/lib/api/app-error";
import { mergeOrgSettings } from "@/lib/callbacks/callback-settings";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";

/**
 * Per routing entry: a model and an optional fallback (none keeps the default fallback), or null
 * for "use default". Entries left out stay as they are.
 */
export const updateModelRoutingSchema = z.object({
  models: z.partialRecord(z.enum(routingKeys), modelChoiceSchema.nullable()),
});
export type UpdateModelRoutingInput = z.input<typeof updateModelRoutingSchema>;

// Type aliases (not interfaces) so the changes pass as JSON for the activity event.
type Override = { model: string; fallback?: string } | null;

/** One entry's change, as the activity event records it. */
export type RoutingChange = { key: string; from: Override; to: Override };

/** The organization's overrides after `input`, and what changed. Pure: the unit test drives it. */
export function mergeModelOverrides(
  current: ModelOverrides,
  input: z.output<typeof updateModelRoutingSchema>["models"],
): { next: ModelOverrides; changes: RoutingChange[] } {
  const next: ModelOverrides = { ...current };
  const changes: RoutingChange[] = [];
  for (const key of routingKeys) {
    if (!Object.hasOwn(input, key)) continue;
    const wanted = input[key];
    const to: Override = wanted
      ? { model: wanted.model, ...(wanted.fallback ? { fallback: wanted.fallback } : {}) }
      : null;
    const from: Override = current[key] ?? null;
    if (JSON.stringify(from) === JSON.stringify(to)) continue;
    if (to) next[key] = to;
    else delete next[key];
    changes.push({ key, from, to });
  }
  return { next, changes };
}

/**
 * Sets the organization's model per routing entry (admins and owners). Only the `models` key of
 * Organization.settings changes; a model id we have no price for is accepted (recorded at cost 0).
 */
export async function updateModelRouting(
  db: Db,
  options: { actor: Actor; input: UpdateModelRoutingInput },
) {
  const { actor } = options;
  assertCan(actor, "manage");
  const { models } = updateModelRoutingSchema.parse(options.input);
  const settings = await db.$transaction(async (tx) => {
    // The row lock serializes concurrent saves, so each merges into what the previous one wrote.
    const [org] = await tx.$queryRaw<{ settings: unknown }[]>`
      SELECT settings FROM "Organization" WHERE id = ${actor.orgId} FOR UPDATE`;
    if (!org) throw notFound("Organization");
    // Invalid stored overrides (written by hand) are dropped rather than kept around.
    const parsed = modelSettingsSchema.safeParse(org.settings ?? {});
    const current = parsed.success ? (parsed.data.models ?? {}) : {};
    const { next, changes } = mergeModelOverrides(current, models);
    if (changes.length === 0) return org.settings;
    await mergeOrgSettings(tx, actor.orgId, { models: next });
    await recordActivity(tx, {
      orgId: actor.orgId,
      type: "org.models_updated",
      ...activityActor(actor),
      data: { changes },
    });
    return { ...(org.settings as object), models: next };
  });
  return { entries: modelRoutingEntries(settings) };
}
