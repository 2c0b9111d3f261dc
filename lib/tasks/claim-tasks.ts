import "server-only";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { DEFAULT_LEASE_MS } from "./retry-policy";

export const claimTasksSchema = z.object({
  workerId: z.string().min(1).max(200),
  limit: z.number().int().min(1).max(100).default(1),
  leaseMs: z
    .number()
    .int()
    .min(1_000)
    .max(24 * 60 * 60 * 1000)
    .default(DEFAULT_LEASE_MS),
});
export type ClaimTasksInput = z.input<typeof claimTasksSchema>;

/** A task a worker now holds until `leaseExpiresAt` (extended by heartbeatTask). */
export interface ClaimedTask {
  id: string;
  orgId: string;
  projectId: string;
  specId: string;
  key: string;
  title: string;
  /** This attempt's number (1 for the first run); pass it back as the lease's `attempt`. */
  attempts: number;
  maxAttempts: number;
  timeoutSeconds: number;
  agentKind: string | null;
  startedAt: Date;
  leaseExpiresAt: Date;
}

/**
 * Claims up to `limit` QUEUED tasks whose notBefore has passed, for `workerId`:
 * RUNNING, leased for `leaseMs`, attempts + 1. Concurrent claimers never get the
 * same task, no organization ever has more tasks RUNNING or VERIFYING than its
 * plan's concurrentAgents or starts more runs in a month than its runsPerMonth,
 * one whose payment is overdue starts none, organizations take turns, and within
 * one organization tasks go by rank, then age. Tasks of projects pinned to
 * self-hosted runners are left to them (lib/runners/claim-runner-task.ts).
 *
 * A fair queue (migration fair_queue): each organization keeps a line of as many
 * of its queued tasks as it may start now, each with a tag, its place across all
 * organizations (start-time fair queuing: an organization's k-th task in line is
 * about k turns from now, whatever others have queued). Triggers keep the lines
 * exact for every writer, once per statement (migration fair_queue_statement_refill:
 * a task dragged within its line takes one of its organization's existing turns, so
 * reordering never changes its share); so a claim is one statement that takes the lowest tags
 * from one small partial index, skipping rows another claimer holds (SKIP
 * LOCKED), and its cost does not grow with the number of organizations or tasks.
 * It takes each candidate's organization row as it goes and skips organizations
 * another transaction is changing this instant: a claim never waits, so one
 * organization's long transaction holds up no one else's work.
 * A gate trigger counts each claim on the organization's latest row and refuses
 * one the plan does not allow at that moment (two claims raced past a change):
 * the task stays queued, out of line, and is not returned.
 *
 * The claim commits no activity event: the start is recorded ("task.started")
 * with the Run row the claimer writes next (lib/execution/run-task.ts; runners:
 * claim-runner-task.ts), which names the run; the board hears of the claim at
 * once from the Task row's own notification (migration realtime_notify).
 *
 * An empty result means nothing is claimable right now: poll again. Before
 * saying so it puts back in line any organization whose month of runs has
 * ended (they wait out of line until then).
 *
 * The leading comment names the statement, so the client prepares it once per
 * connection (lib/db/client.ts).
 */
export async function claimTasks(
  db: Db,
  options: ClaimTasksInput & { now?: Date },
): Promise<ClaimedTask[]> {
  const { workerId, limit, leaseMs } = claimTasksSchema.parse(options);
  const now = options.now ?? new Date();
  const claim = () => claimFromLine(db, { workerId, limit, leaseMs, now });
  const claimed = await claim();
  if (claimed.length > 0) return claimed;
  return (await wakeQueue(db, { now })) > 0 ? claim() : [];
}

/**
 * Puts back in line the queued tasks of organizations whose month of runs has ended by `now`;
 * how many organizations. claimTasks does it when it finds nothing, the executor's sweep
 * regularly (so a busy queue does not keep them waiting).
 */
export async function wakeQueue(db: Db, options: { now?: Date } = {}): Promise<number> {
  const [row] = await db.$queryRaw<{ woken: number }[]>`
    SELECT trellis_queue_wake(${options.now ?? new Date()}::timestamptz) AS woken`;
  return row?.woken ?? 0;
}

async function claimFromLine(
  db: Db,
  options: { workerId: string; limit: number; leaseMs: number; now: Date },
): Promise<ClaimedTask[]> {
  const { workerId, limit, leaseMs, now } = options;
  const leaseExpiresAt = new Date(now.getTime() + leaseMs);
  const claimed = await db.$queryRaw<(ClaimedTask & { status: string; tag: number })[]>`
    /* trellis:claim-tasks */
    UPDATE "Task" t
    SET status = 'RUNNING',
        "leaseOwner" = ${workerId},
        "leaseExpiresAt" = ${leaseExpiresAt}::timestamptz,
        "lastHeartbeatAt" = ${now}::timestamptz,
        "startedAt" = ${now}::timestamptz,
        "finishedAt" = NULL,
        "attentionReason" = NULL,
        attempts = t.attempts + 1,
        "updatedAt" = ${now}::timestamptz
    FROM (
      SELECT q.id, q."queueTag" AS tag
      FROM "Task" q
      WHERE q."queueTag" IS NOT NULL
        AND (q."notBefore" IS NULL OR q."notBefore" <= ${now}::timestamptz)
        AND trellis_claim_org(q."orgId")
      ORDER BY q."queueTag", q.id
      LIMIT ${limit}
      FOR NO KEY UPDATE OF q SKIP LOCKED
    ) line
    WHERE t.id = line.id
    RETURNING t.id, t."orgId", t."projectId", t."specId", t.key, t.title, t.attempts,
      t."maxAttempts", t."timeoutSeconds", t."agentKind"::text AS "agentKind",
      t."startedAt", t."leaseExpiresAt", t.status::text AS status, line.tag`;
  // Refused by the gate: still queued. The rest in line order (RETURNING has none of its own).
  return claimed
    .filter((task) => task.status === "RUNNING")
    .sort((a, b) => a.tag - b.tag || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map(({ status: _status, tag: _tag, ...task }) => task);
}
