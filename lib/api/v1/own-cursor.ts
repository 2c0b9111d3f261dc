import "server-only";
import { AppError } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";

type CursorOf = "project" | "ticket" | "task" | "activityEvent" | "callbackDelivery";

/**
 * Cursors are row ids; one that is not a row of the caller's organization is refused, so a
 * foreign id cannot be used to probe another organization's rows through page boundaries.
 */
export async function assertOwnCursor(
  db: Db,
  options: { orgId: string; of: CursorOf; cursor: string | undefined },
): Promise<void> {
  const { orgId, cursor } = options;
  if (!cursor) return;
  const where = { id: cursor, orgId };
  const select = { id: true } as const;
  const found =
    options.of === "project"
      ? await db.project.findFirst({ where, select })
      : options.of === "ticket"
        ? await db.ticket.findFirst({ where, select })
        : options.of === "task"
          ? await db.task.findFirst({ where, select })
          : options.of === "activityEvent"
            ? await db.activityEvent.findFirst({ where, select })
            : await db.callbackDelivery.findFirst({ where, select });
  if (!found) {
    throw new AppError("INVALID", "cursor is not a cursor this API gave you.", {
      fields: { cursor: "Unknown cursor; use next_cursor from the previous page" },
    });
  }
}
