import "server-only";
import { z } from "zod";
import { billingPeriod, blockingStatuses, plans } from "@/lib/billing/plans";
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
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
 * A plan limit of organization `o` as a SQL expression over its plan, written from the plan table
 * into the statement (constants, not parameters: nothing to send or bind on every claim).
 */
const planLimit = (limit: "concurrentAgents" | "runsPerMonth") =>
  Prisma.raw(
    `CASE o.plan ${Object.entries(plans)
      .map(([plan, limits]) => `WHEN '${plan}' THEN ${Math.trunc(limits[limit])}`)
      .join(" ")} END`,
  );
const concurrentAgentsOf = planLimit("concurrentAgents");
const runsPerMonthOf = planLimit("runsPerMonth");
const isBlocked = Prisma.raw(
  `o."subscriptionStatus" IN (${blockingStatuses.map((status) => `'${status}'`).join(", ")})`,
);

/**
 * Organizations locked beyond `limit`, so that one with nothing to give right now
 * (every queued task backing off, or its row changed since this statement's
 * snapshot) does not leave the claim empty while others have work. With 20
 * claimers at the head of the rotation, rows changed since the snapshot are
 * common: one spare left most claimers empty-handed in bench/scheduler.
 */
const SPARE_TURNS = 3;

/**
 * Tasks of projects pinned to runners by label go to self-hosted runners only
 * (lib/runners/claim-runner-task.ts), never to the built-in one.
 */
const pinnedToRunners = (task: "t" | "q") =>
  Prisma.raw(
    `SELECT 1 FROM "Project" p WHERE p.id = ${task}."projectId" AND cardinality(p."runnerLabels") > 0`,
  );

/**
 * Claims up to `limit` QUEUED tasks whose notBefore has passed, for `workerId`:
 * RUNNING, leased for `leaseMs`, attempts + 1. The claim commits no activity
 * event: the start is recorded ("task.started") with the Run row the claimer
 * writes next (lib/execution/run-task.ts; runners: claim-runner-task.ts), which
 * names the run; the board hears of the claim at once from the Task row's own
 * notification (migration realtime_notify). An event here cost a third of the
 * claim (an insert, its commit-order seq and foreign-key checks) in the one
 * statement every worker contends on.
 * Concurrent claimers never get the same task, no organization ever has more
 * tasks RUNNING or VERIFYING than its plan's concurrentAgents or starts more
 * runs in a month than its runsPerMonth, one whose payment is overdue starts
 * none, organizations take turns, and within one organization tasks go by
 * rank, then age. An empty result means nothing is claimable right now (or the
 * organizations with work are being claimed by someone else this instant):
 * poll again.
 *
 * One SQL statement (one round trip, one implicit transaction). Per organization
 * it reads columns a trigger on Task keeps exact (migration task_queue_rotation):
 * activeTasks, and claimTurnAt, the organization's place in a round-robin — null
 * while nothing is queued or it is at its limit, else when it was last served
 * (or when work arrived) — so the least recently served goes first, and the cost
 * of a claim does not grow with the number of organizations or tasks.
 *
 *  turn     The next `limit` + 3 organizations in the rotation with room
 *           (activeTasks < plan limit), walking the index on (claimTurnAt, id),
 *           locked FOR NO KEY UPDATE SKIP LOCKED: a claimer skips an organization
 *           another one is claiming for and takes the next, so claims for one
 *           organization are serialised. A row changed since this statement's
 *           snapshot is locked in its latest version and its conditions checked
 *           again, so activeTasks is exact, and one served meanwhile (claimTurnAt
 *           moved past this statement's start) is skipped; `fresh` (xmin as locked
 *           = xmin in the snapshot) tells whether the snapshot's view of its tasks
 *           is current too. NO KEY UPDATE does not block inserts that reference
 *           the row. An organization waiting for a backoff has its turn at the
 *           backoff's end (see rotate). `blocked`: its payment is overdue
 *           (subscriptionStatus, read from the locked row, so exact).
 *  room     Runs each fresh, unblocked one started this month (billingPeriod):
 *           its Run rows, plus its running tasks whose Run row the worker has
 *           not written yet (claimed, attempt without a run). Claims of one
 *           organization are serialised by the lock above and a fresh row means
 *           no claim committed since the snapshot, so the count is exact. Bounded
 *           by the plan's runsPerMonth, so its cost does not grow with history.
 *  chosen   For each one with room, its first min(limit - active, runsPerMonth
 *           - runs) claimable tasks by rank, createdAt, id (not those pinned to
 *           self-hosted runners), numbered k = 1, 2,
 *           ...; a task's turn is `slot = active + k`. The lowest slots win, ties
 *           to the organization whose turn came first: with batch size 1 that is
 *           plain round-robin, and a batch spreads over organizations the same way.
 *  claimed  Locks those tasks FOR UPDATE SKIP LOCKED (status re-checked on the
 *           latest row version, so a task cancelled meanwhile is skipped) and
 *           starts them. The trigger moves the counters at the end of the
 *           statement.
 *  rotate   A served organization goes to the back (claimTurnAt = now), or out
 *           of the rotation once at its limit (the trigger brings it back when
 *           one of its tasks stops running). One whose queued tasks are all
 *           backing off waits for the earliest notBefore. One that is blocked
 *           leaves the rotation, and one out of runs waits for the next month;
 *           syncing its subscription (lib/billing/sync-subscription.ts) brings
 *           either back at once. The others keep their place.
 *
 * The leading comment names the statement, so a client configured with a
 * statementNameGenerator can prepare it once per connection (see bench/scheduler.ts).
 */
export async function claimTasks(
  db: Db,
  options: ClaimTasksInput & { now?: Date },
): Promise<ClaimedTask[]> {
  const { workerId, limit, leaseMs } = claimTasksSchema.parse(options);
  const now = options.now ?? new Date();
  const leaseExpiresAt = new Date(now.getTime() + leaseMs);
  const period = billingPeriod(now);

  const claimed = await db.$queryRaw<(ClaimedTask & { slot: number; turnAt: number })[]>`
    /* trellis:claim-tasks */
    WITH
    turn AS (
      SELECT o.id, o."claimTurnAt", o."activeTasks" AS active,
        ${concurrentAgentsOf} AS cap,
        ${runsPerMonthOf} AS "runCap",
        ${isBlocked} AS blocked,
        o.xmin = (SELECT seen.xmin FROM "Organization" seen WHERE seen.id = o.id) AS fresh
      FROM "Organization" o
      WHERE o."claimTurnAt" <= GREATEST(${now}::timestamptz, statement_timestamp())
        AND o."activeTasks" < ${concurrentAgentsOf}
      ORDER BY o."claimTurnAt", o.id
      LIMIT ${limit + SPARE_TURNS}
      FOR NO KEY UPDATE OF o SKIP LOCKED
    ),
    room AS (
      SELECT turn.id,
        (
          SELECT count(*)::int
          FROM (
            SELECT 1
            FROM "Run" r
            WHERE r."orgId" = turn.id
              AND r."createdAt" >= ${period.start}::timestamptz
              AND r."createdAt" < ${period.end}::timestamptz
            LIMIT turn."runCap"
          ) started
        ) + (
          SELECT count(*)::int
          FROM "Task" a
          WHERE a."orgId" = turn.id
            AND a.status IN ('RUNNING', 'VERIFYING')
            AND NOT EXISTS (SELECT 1 FROM "Run" r WHERE r."taskId" = a.id AND r.attempt = a.attempts)
        ) AS runs
      FROM turn
      WHERE turn.fresh AND NOT turn.blocked
    ),
    chosen AS (
      SELECT c.id, turn.active + c.k AS slot, turn."claimTurnAt" AS "turnAt"
      FROM turn
      JOIN room ON room.id = turn.id
      CROSS JOIN LATERAL unnest(ARRAY(
        SELECT t.id
        FROM "Task" t
        WHERE t."orgId" = turn.id
          AND t.status = 'QUEUED'
          AND (t."notBefore" IS NULL OR t."notBefore" <= ${now}::timestamptz)
          AND NOT EXISTS (${pinnedToRunners("t")})
        ORDER BY t.rank, t."createdAt", t.id
        LIMIT LEAST(GREATEST(LEAST(turn.cap - turn.active, turn."runCap" - room.runs), 0), ${limit})
      )) WITH ORDINALITY AS c(id, k)
      ORDER BY turn.active + c.k, turn."claimTurnAt", turn.id
      LIMIT ${limit}
    ),
    claimed AS (
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
        SELECT task.id, chosen.slot, chosen."turnAt"
        FROM "Task" task
        JOIN chosen ON chosen.id = task.id
        WHERE task.status = 'QUEUED'
        FOR UPDATE OF task SKIP LOCKED
      ) locked
      WHERE t.id = locked.id
      RETURNING t.id, t."orgId", t."projectId", t."specId", t.key, t.title, t.attempts,
        t."maxAttempts", t."timeoutSeconds", t."agentKind"::text AS "agentKind",
        t."startedAt", t."leaseExpiresAt", locked.slot::int AS slot,
        extract(epoch FROM locked."turnAt")::float8 AS "turnAt"
    ),
    rotate AS (
      UPDATE "Organization" o
      SET "claimTurnAt" = CASE
        WHEN turn.blocked THEN NULL
        WHEN room.runs + served.k >= turn."runCap" THEN ${period.end}::timestamptz
        WHEN turn.active + served.k >= turn.cap THEN NULL
        WHEN served.k > 0 THEN clock_timestamp()
        ELSE (
          SELECT COALESCE(min(q."notBefore"), clock_timestamp())
          FROM "Task" q
          WHERE q."orgId" = o.id AND q.status = 'QUEUED'
        )
      END
      FROM turn
      CROSS JOIN LATERAL (SELECT count(*)::int AS k FROM claimed WHERE claimed."orgId" = turn.id) served
      LEFT JOIN room ON room.id = turn.id
      WHERE o.id = turn.id
        AND (
          served.k > 0
          OR turn.active >= turn.cap
          OR turn.blocked
          OR room.runs >= turn."runCap"
          OR (
            turn.fresh
            AND NOT EXISTS (
              SELECT 1
              FROM "Task" q
              WHERE q."orgId" = turn.id
                AND q.status = 'QUEUED'
                AND (q."notBefore" IS NULL OR q."notBefore" <= ${now}::timestamptz)
                AND NOT EXISTS (${pinnedToRunners("q")})
            )
          )
        )
    )
    SELECT * FROM claimed`;

  // In turn order, as chosen (RETURNING has no order of its own).
  claimed.sort(
    (a, b) =>
      a.slot - b.slot ||
      a.turnAt - b.turnAt ||
      (a.orgId < b.orgId ? -1 : a.orgId > b.orgId ? 1 : 0),
  );
  return claimed.map(({ slot: _slot, turnAt: _turnAt, ...task }) => task);
}
