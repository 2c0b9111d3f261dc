-- DropIndex
DROP INDEX "Organization_claimTurnAt_id_idx";

-- AlterTable
ALTER TABLE "Organization" DROP COLUMN "claimTurnAt",
ADD COLUMN     "periodRuns" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "periodStart" TIMESTAMPTZ(3),
ADD COLUMN     "queueClock" DOUBLE PRECISION NOT NULL DEFAULT 0,
ADD COLUMN     "queueWakeAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "Task" ADD COLUMN     "queueTag" DOUBLE PRECISION;

-- ─── The fair queue (lib/tasks/claim-tasks.ts) ─────────────────────────────────────────────
-- Replaces the round-robin over organizations (claimTurnAt). Each organization has a line of at
-- most `room` of its QUEUED tasks (room = what its plan lets it start now: free agent slots,
-- runs left this month, none while its payment is overdue), its first by rank then age, not
-- those pinned to self-hosted runners. A task in line has a "queueTag": its place in a fair
-- queue across organizations (start-time fair queuing: an organization's next task takes
-- max(its clock, the queue's virtual time), and its clock moves one past it), so organizations
-- take turns and a newcomer is not stuck behind another's long queue. A claim is then one
-- ordered scan of one small partial index (lowest tag first) with SKIP LOCKED; the triggers
-- below keep the lines exact for every writer (Prisma, raw SQL, cascades), and a gate on the
-- claim itself re-checks the plan's limits on the organization's latest row, so the limits hold
-- even when two claims race. Prisma's schema diff sees neither partial indexes nor triggers.

-- In line: tag set (only ever on QUEUED tasks; the gate below clears it when a task leaves).
CREATE INDEX "Task_queue_line_idx" ON "Task"("queueTag", "id") WHERE "queueTag" IS NOT NULL;
CREATE INDEX "Task_queue_line_org_idx" ON "Task"("orgId") WHERE "queueTag" IS NOT NULL;
-- The virtual time when nothing is in line: the highest clock (trellis_queue_refill).
CREATE INDEX "Organization_queueClock_idx" ON "Organization"("queueClock");
CREATE INDEX "Organization_queueWakeAt_idx" ON "Organization"("queueWakeAt") WHERE "queueWakeAt" IS NOT NULL;

-- Plan limits as lib/billing/plans.ts has them (lib/tasks/fair-queue.integration.test.ts
-- compares the two for every plan and status).
CREATE FUNCTION trellis_agent_cap(plan "Plan") RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE plan WHEN 'FREE' THEN 1 WHEN 'PRO' THEN 5 WHEN 'TEAM' THEN 20 END
$$;
CREATE FUNCTION trellis_run_cap(plan "Plan") RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE plan WHEN 'FREE' THEN 20 WHEN 'PRO' THEN 500 WHEN 'TEAM' THEN 5000 END
$$;
CREATE FUNCTION trellis_billing_blocked(status "SubscriptionStatus") RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT status IN ('PAST_DUE', 'UNPAID')
$$;
-- billingPeriod(at).start: calendar months in UTC.
CREATE FUNCTION trellis_billing_period(at timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE AS $$
  SELECT date_trunc('month', at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
$$;

-- How many more tasks organization `o` (its latest row, locked by the caller) may start at
-- `at`; how many runs it has left this month (exact when near the limit) and when the month
-- ends. Runs are this period's Run rows (periodRuns) plus tasks claimed whose Run row is not
-- written yet; the second is counted only near the limit (it is at most activeTasks).
CREATE FUNCTION trellis_queue_room(o "Organization", at timestamptz,
  OUT room integer, OUT agents integer, OUT runs_left integer, OUT period_end timestamptz)
LANGUAGE plpgsql STABLE AS $$
DECLARE
  period timestamptz := trellis_billing_period(at);
BEGIN
  agents := trellis_agent_cap(o.plan) - o."activeTasks";
  period_end := period + interval '1 month';
  runs_left := trellis_run_cap(o.plan)
    - CASE WHEN o."periodStart" = period THEN o."periodRuns" ELSE 0 END;
  IF trellis_billing_blocked(o."subscriptionStatus") THEN
    room := 0;
    RETURN;
  END IF;
  IF runs_left - o."activeTasks" < agents THEN
    runs_left := runs_left - (
      SELECT count(*)::integer FROM "Task" a
      WHERE a."orgId" = o.id AND a.status IN ('RUNNING', 'VERIFYING')
        AND NOT EXISTS (SELECT 1 FROM "Run" r WHERE r."taskId" = a.id AND r.attempt = a.attempts));
  END IF;
  room := GREATEST(LEAST(agents, runs_left), 0);
END
$$;

-- Makes organization `org_id`'s line its first `room` queued tasks (rank, age, id; not pinned to
-- runners, not backing off), with tags in that order. Writes only what changes: a task joining takes a tag
-- between its neighbours', or, at the end, max(clock, virtual time) (the lowest tag of a task
-- claimable now; with none, the highest clock). Rows another transaction holds are left alone
-- (SKIP LOCKED, and NO KEY: a row referenced by an insert in flight is not held): never a wait,
-- so never a deadlock with a claim; the gate corrects any excess, and a row left out this way is
-- retried by the next trellis_queue_wake, as are tasks whose backoff ends and, when the month's
-- runs are what limits the organization, the next month (queueWakeAt: the earliest of those).
-- `skip_task` is the row the caller is updating (a BEFORE trigger may not update it again).
CREATE FUNCTION trellis_queue_refill(org_id text, at timestamptz, skip_task text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  o "Organization";
  line record;
  ids text[] := '{}';
  tags double precision[] := '{}';
  keep boolean[];
  n integer;
  i integer;
  j integer;
  lower_tag double precision;
  upper_tag double precision;
  gap integer;
  v double precision;
  clock double precision;
  tag double precision;
  wake_at timestamptz;
  skipped boolean := false;
BEGIN
  SELECT * INTO o FROM "Organization" WHERE id = org_id FOR NO KEY UPDATE;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  line := trellis_queue_room(o, at);
  SELECT coalesce(array_agg(d.id ORDER BY d.k), '{}'), coalesce(array_agg(d."queueTag" ORDER BY d.k), '{}')
  INTO ids, tags
  FROM (
    SELECT q.id, q."queueTag", row_number() OVER (ORDER BY q.rank, q."createdAt", q.id) AS k
    FROM "Task" q
    WHERE q."orgId" = org_id AND q.status = 'QUEUED' AND q.id IS DISTINCT FROM skip_task
      AND (q."notBefore" IS NULL OR q."notBefore" <= at)
      AND NOT EXISTS (
        SELECT 1 FROM "Project" p WHERE p.id = q."projectId" AND cardinality(p."runnerLabels") > 0)
    ORDER BY q.rank, q."createdAt", q.id
    LIMIT line.room
  ) d;

  -- Out of line: everything in line that is not among them.
  UPDATE "Task" SET "queueTag" = NULL
  WHERE id IN (
    SELECT q.id FROM "Task" q
    WHERE q."orgId" = org_id AND q."queueTag" IS NOT NULL AND q.id <> ALL (ids)
      AND q.id IS DISTINCT FROM skip_task
    FOR NO KEY UPDATE SKIP LOCKED);
  skipped := EXISTS (
    SELECT 1 FROM "Task" q
    WHERE q."orgId" = org_id AND q."queueTag" IS NOT NULL AND q.id <> ALL (ids)
      AND q.id IS DISTINCT FROM skip_task);

  -- Tags already in rank order stay; the rest are (re)placed between them.
  n := cardinality(ids);
  keep := array_fill(false, ARRAY[GREATEST(n, 1)]);
  lower_tag := NULL;
  FOR i IN 1..n LOOP
    IF tags[i] IS NOT NULL AND (lower_tag IS NULL OR tags[i] > lower_tag) THEN
      keep[i] := true;
      lower_tag := tags[i];
    END IF;
  END LOOP;
  clock := o."queueClock";
  lower_tag := NULL;
  i := 1;
  WHILE i <= n LOOP
    IF keep[i] THEN
      lower_tag := tags[i];
      i := i + 1;
      CONTINUE;
    END IF;
    -- The run of tasks i..j-1 to place, below the next kept tag (or at the end).
    j := i;
    WHILE j <= n AND NOT keep[j] LOOP
      j := j + 1;
    END LOOP;
    gap := j - i;
    upper_tag := CASE WHEN j <= n THEN tags[j] END;
    IF upper_tag IS NULL AND v IS NULL THEN
      SELECT min(q."queueTag") INTO v FROM "Task" q
      WHERE q."queueTag" IS NOT NULL AND (q."notBefore" IS NULL OR q."notBefore" <= at);
      IF v IS NULL THEN
        SELECT max("queueClock") INTO v FROM "Organization";
      END IF;
    END IF;
    FOR k IN 0..gap - 1 LOOP
      IF upper_tag IS NULL THEN
        tag := GREATEST(clock, v);
        clock := tag + 1;
      ELSIF lower_tag IS NULL THEN
        tag := upper_tag - (gap - k);
      ELSE
        tag := lower_tag + (upper_tag - lower_tag) * (k + 1) / (gap + 1);
      END IF;
      UPDATE "Task" SET "queueTag" = tag
      WHERE id = (SELECT q.id FROM "Task" q WHERE q.id = ids[i + k] AND q.status = 'QUEUED'
                  FOR NO KEY UPDATE SKIP LOCKED);
      IF NOT FOUND THEN
        skipped := true;
      END IF;
    END LOOP;
    i := j;
  END LOOP;

  wake_at := LEAST(
    CASE WHEN line.runs_left < line.agents THEN line.period_end END,
    (SELECT min(q."notBefore") FROM "Task" q
     WHERE q."orgId" = org_id AND q.status = 'QUEUED' AND q."notBefore" > at),
    CASE WHEN skipped THEN clock_timestamp() END);
  IF clock IS DISTINCT FROM o."queueClock" OR wake_at IS DISTINCT FROM o."queueWakeAt" THEN
    UPDATE "Organization" SET "queueClock" = clock, "queueWakeAt" = wake_at WHERE id = org_id;
  END IF;
END
$$;

-- The claim's test for each candidate (lib/tasks/claim-tasks.ts): takes its organization's row,
-- or says no when another transaction is changing it this instant (SKIP LOCKED, so a claim never
-- waits). A function, not a locking sub-select, so that its second task of the same organization
-- in one claim finds the row this claim already holds, rather than skipping it.
-- COST: the planner must see it as dear, so that it reads the line in index order and stops at the
-- LIMIT rather than testing (and locking) every organization with a task in line.
CREATE FUNCTION trellis_claim_org(org_id text) RETURNS boolean
LANGUAGE plpgsql VOLATILE COST 10000 AS $$
BEGIN
  PERFORM 1 FROM "Organization" WHERE id = org_id FOR NO KEY UPDATE SKIP LOCKED;
  RETURN FOUND;
END
$$;

-- A task leaving the queue leaves the line. Leaving it for RUNNING or VERIFYING is a claim: the
-- gate counts it on the organization's latest row if the plan allows it now; if not, the task
-- stays queued, out of line (the update leaves it otherwise unchanged, and the claim does not
-- return it), until there is room again. The claim has locked the organization's row already
-- (claim-tasks.ts, runners: claim-runner-task.ts); any other writer that finds it held by
-- another transaction skips the task, which keeps its place: claims never wait, so never
-- deadlock. A project pinned to runners since the task joined the line keeps it for them.
CREATE OR REPLACE FUNCTION trellis_task_leaves_queue() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  o "Organization";
  line record;
BEGIN
  NEW."queueTag" := NULL;
  IF NEW.status NOT IN ('RUNNING', 'VERIFYING') THEN
    RETURN NEW;
  END IF;
  SELECT * INTO o FROM "Organization" WHERE id = NEW."orgId" FOR NO KEY UPDATE SKIP LOCKED;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  line := trellis_queue_room(o, coalesce(NEW."startedAt", clock_timestamp()));
  IF line.room <= 0 OR (
    OLD."queueTag" IS NOT NULL
    AND EXISTS (SELECT 1 FROM "Project" p
                WHERE p.id = NEW."projectId" AND cardinality(p."runnerLabels") > 0)
  ) THEN
    IF line.runs_left <= 0 AND o."queueWakeAt" IS DISTINCT FROM line.period_end THEN
      UPDATE "Organization" SET "queueWakeAt" = line.period_end WHERE id = o.id;
    END IF;
    OLD."queueTag" := NULL;
    RETURN OLD;
  END IF;
  -- The month's last run: out of line until the month ends (trellis_queue_wake).
  UPDATE "Organization"
  SET "queuedTasks" = "queuedTasks" - 1, "activeTasks" = "activeTasks" + 1,
      "queueWakeAt" = CASE WHEN line.runs_left <= 1 THEN line.period_end ELSE "queueWakeAt" END
  WHERE id = o.id;
  -- Claimed from outside the line (a self-hosted runner's pinned task): one slot fewer for it.
  IF OLD."queueTag" IS NULL THEN
    PERFORM trellis_queue_refill(o.id, clock_timestamp(), NEW.id);
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER "Task_leaves_queue" BEFORE UPDATE OF status ON "Task"
  FOR EACH ROW WHEN (OLD.status = 'QUEUED' AND NEW.status <> 'QUEUED')
  EXECUTE FUNCTION trellis_task_leaves_queue();

-- A queued task whose rank changes is placed again. Only if its organization's row is free this
-- instant: a rank change never waits for it (renumbering every rank of an organization while a
-- finishing task queues its dependents would deadlock); otherwise the next refill of that
-- organization puts the line back in rank order.
CREATE FUNCTION trellis_task_rank_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM "Organization" WHERE id = NEW."orgId" FOR NO KEY UPDATE SKIP LOCKED;
  IF FOUND THEN
    UPDATE "Task" SET "queueTag" = NULL WHERE id = NEW.id AND "queueTag" IS NOT NULL;
    PERFORM trellis_queue_refill(NEW."orgId", clock_timestamp());
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "Task_rank_changed" AFTER UPDATE OF rank ON "Task"
  FOR EACH ROW WHEN (NEW.status = 'QUEUED' AND OLD.status = 'QUEUED' AND OLD.rank IS DISTINCT FROM NEW.rank)
  EXECUTE FUNCTION trellis_task_rank_changed();

-- Refills the line of the organization named by the row's column TG_ARGV[0] (orgId, or id).
CREATE FUNCTION trellis_queue_refill_row() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM trellis_queue_refill(to_jsonb(NEW) ->> TG_ARGV[0], clock_timestamp());
  RETURN NULL;
END
$$;

-- The counters (the gate counts claims itself), and the line when its room or its tasks change.
CREATE OR REPLACE FUNCTION trellis_task_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  org text;
  dq integer := 0;
  da integer := 0;
  left_line boolean := false;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    dq := dq - (OLD.status = 'QUEUED')::integer;
    da := da - (OLD.status IN ('RUNNING', 'VERIFYING'))::integer;
    left_line := OLD."queueTag" IS NOT NULL;
    org := OLD."orgId";
  END IF;
  IF TG_OP <> 'DELETE' THEN
    dq := dq + (NEW.status = 'QUEUED')::integer;
    da := da + (NEW.status IN ('RUNNING', 'VERIFYING'))::integer;
    org := NEW."orgId";
  END IF;
  IF dq = 0 AND da = 0 THEN
    RETURN NULL;
  END IF;
  UPDATE "Organization" SET "queuedTasks" = "queuedTasks" + dq, "activeTasks" = "activeTasks" + da
  WHERE id = org;
  IF dq > 0 OR da < 0 OR left_line THEN
    PERFORM trellis_queue_refill(org, clock_timestamp());
  END IF;
  RETURN NULL;
END
$$;

DROP TRIGGER "Task_queue_counts_update" ON "Task";
CREATE TRIGGER "Task_queue_counts_update" AFTER UPDATE OF status ON "Task"
  FOR EACH ROW WHEN (
    OLD.status IS DISTINCT FROM NEW.status
    AND NOT (OLD.status = 'QUEUED' AND NEW.status IN ('RUNNING', 'VERIFYING'))
  )
  EXECUTE FUNCTION trellis_task_counts();

-- Pinning a project to runners (or unpinning it) moves its queued tasks out of (into) the line.
CREATE TRIGGER "Project_pin_changed" AFTER UPDATE OF "runnerLabels" ON "Project"
  FOR EACH ROW WHEN ((cardinality(OLD."runnerLabels") > 0) IS DISTINCT FROM (cardinality(NEW."runnerLabels") > 0))
  EXECUTE FUNCTION trellis_queue_refill_row('orgId');

-- A new plan or subscription status changes the room.
CREATE TRIGGER "Organization_plan_changed" AFTER UPDATE OF plan, "subscriptionStatus" ON "Organization"
  FOR EACH ROW WHEN (OLD.plan IS DISTINCT FROM NEW.plan OR OLD."subscriptionStatus" IS DISTINCT FROM NEW."subscriptionStatus")
  EXECUTE FUNCTION trellis_queue_refill_row('id');

-- This period's runs per organization (a run written with an older date counts where it belongs).
CREATE FUNCTION trellis_run_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  period timestamptz;
BEGIN
  IF TG_OP = 'INSERT' THEN
    period := trellis_billing_period(NEW."createdAt");
    UPDATE "Organization" SET
      "periodRuns" = CASE
        WHEN "periodStart" = period THEN "periodRuns" + 1
        WHEN "periodStart" > period THEN "periodRuns"
        ELSE 1
      END,
      "periodStart" = GREATEST("periodStart", period)
    WHERE id = NEW."orgId";
  ELSE
    UPDATE "Organization" SET "periodRuns" = "periodRuns" - 1
    WHERE id = OLD."orgId" AND "periodStart" = trellis_billing_period(OLD."createdAt")
      AND "periodRuns" > 0;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "Run_counts" AFTER INSERT OR DELETE ON "Run"
  FOR EACH ROW EXECUTE FUNCTION trellis_run_counts();

-- Existing rows.
UPDATE "Organization" o SET "periodRuns" = r.runs, "periodStart" = trellis_billing_period(now())
FROM (
  SELECT "orgId", count(*)::integer AS runs FROM "Run"
  WHERE "createdAt" >= trellis_billing_period(now())
  GROUP BY "orgId"
) r
WHERE r."orgId" = o.id;
SELECT trellis_queue_refill(id, now()) FROM "Organization" WHERE "queuedTasks" > 0;

-- Organizations whose queueWakeAt has come by `at` (a task's backoff ended, a new month of runs,
-- a row a refill had to leave) get their line made again; how many.
CREATE FUNCTION trellis_queue_wake(at timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  org text;
  woken integer := 0;
BEGIN
  -- One another transaction holds is left for the next call: a claim never waits here either.
  FOR org IN SELECT id FROM "Organization" WHERE "queueWakeAt" <= at ORDER BY id
             FOR NO KEY UPDATE SKIP LOCKED LOOP
    PERFORM trellis_queue_refill(org, at);
    woken := woken + 1;
  END LOOP;
  RETURN woken;
END
$$;

-- A claim the gate refuses rewrites the row unchanged (still QUEUED): that is not a task becoming
-- claimable, so it must not wake the runners (lib/runners/queue-signal.ts).
DROP TRIGGER "Task_notify_queued" ON "Task";
CREATE TRIGGER "Task_notify_queued" AFTER INSERT ON "Task"
  FOR EACH ROW WHEN (NEW.status = 'QUEUED')
  EXECUTE FUNCTION trellis_notify_task_queued();
CREATE TRIGGER "Task_notify_requeued" AFTER UPDATE OF status ON "Task"
  FOR EACH ROW WHEN (NEW.status = 'QUEUED' AND OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION trellis_notify_task_queued();
