"use server";

import { revalidatePath } from "next/cache";
import type { ActionResult } from "@/lib/api/action-result";
import { AppError } from "@/lib/api/app-error";
import {
  isOrgActionName,
  type OrgActionInput,
  type OrgActionName,
  type OrgActionOutput,
  orgActionHandlers,
} from "@/lib/api/org-action-handlers";
import { toAppError } from "@/lib/api/to-app-error";
import { getCurrentUserId } from "@/lib/auth/current-user";
import { type Db, db } from "@/lib/db/client";
import { logger } from "@/lib/logger";
import { getActor } from "@/lib/orgs/get-actor";
import type { Actor } from "@/lib/orgs/roles";

/**
 * The one server action for changes inside an organization: authenticate,
 * resolve membership of the organization (a stranger gets NOT_FOUND), run the
 * named handler, and return the result or the error as a value.
 */
export async function orgAction<K extends OrgActionName>(
  orgSlug: string,
  name: K,
  input: OrgActionInput<K>,
): Promise<ActionResult<OrgActionOutput<K>>> {
  try {
    if (!isOrgActionName(name)) throw new AppError("NOT_FOUND", "Unknown action");
    const userId = await getCurrentUserId();
    const { actor } = await getActor(db(), { userId, orgSlug: String(orgSlug) });
    // Input arrives from the browser untyped; each domain function validates it with zod.
    const handler = orgActionHandlers[name] as (
      db: Db,
      actor: Actor,
      input: unknown,
    ) => Promise<unknown>;
    const data = (await handler(db(), actor, input)) as OrgActionOutput<K>;
    // Every page of the organization (sidebar included) shows the change on its next render.
    revalidatePath(`/${orgSlug}`, "layout");
    return { ok: true, data };
  } catch (thrown) {
    const error = toAppError(thrown);
    if (error.code === "INTERNAL")
      logger.error({ err: thrown, action: name }, "server action failed");
    const upgradeUrl = error.details?.upgradeUrl;
    return {
      ok: false,
      error: {
        code: error.code,
        message: error.message,
        fields: error.details?.fields,
        ...(typeof upgradeUrl === "string" ? { upgradeUrl } : {}),
      },
    };
  }
}
