import "server-only";
import {
  defaultModelRouting,
  effectiveModelRouting,
  findModelPrice,
  knownModels,
  parseModelOverrides,
  type RoutingKey,
  routingKeys,
} from "@/lib/agents/models";
import { notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";

export interface RoutingEntry {
  key: RoutingKey;
  /** What calls for this entry use now. */
  model: string;
  fallback: string | null;
  source: "default" | "organization" | "coder";
  /** The organization's own setting for the entry, or null for "use default". */
  override: { model: string; fallback: string | null } | null;
  defaults: { model: string; fallback: string };
  /** Models without a price are recorded at cost 0. */
  unpriced: string[];
}

/** For Settings: every routing entry with its effective model, the override and the default. */
export async function getModelRouting(db: Db, options: { actor: Actor }) {
  const { actor } = options;
  assertCan(actor, "read");
  const org = await db.organization.findUnique({
    where: { id: actor.orgId },
    select: { settings: true },
  });
  if (!org) throw notFound("Organization");
  return { entries: modelRoutingEntries(org.settings), knownModels: knownModels() };
}

export function modelRoutingEntries(settings: unknown): RoutingEntry[] {
  const overrides = parseModelOverrides(settings);
  const effective = effectiveModelRouting(settings);
  return routingKeys.map((key) => {
    const { model, fallback, source } = effective[key];
    const own = overrides[key];
    return {
      key,
      model,
      fallback: fallback ?? null,
      source,
      override: own ? { model: own.model, fallback: own.fallback ?? null } : null,
      defaults: { ...defaultModelRouting[key] },
      unpriced: [model, fallback].filter(
        (id): id is string => id !== undefined && !findModelPrice(id),
      ),
    };
  });
}
