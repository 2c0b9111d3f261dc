-- ─── The fair queue, once per statement (migration fair_queue; lib/tasks/claim-tasks.ts) ──────
-- 1. Lines were refilled once per changed row: one statement queueing, cancelling or re-ranking
--    thousands of an organization's tasks refilled its line thousands of times (seconds). The
--    triggers that keep the counters and the lines now run once per statement, over its
--    transition tables: each organization the statement touched gets its counters changed by
--    the sum and its line refilled once. What must stay per row stays per row: the claim's gate
--    (Task_leaves_queue) decides for each task, and a mark (Task_queue_mark) lets an update that
--    changes nothing the queue counts (a claim, a heartbeat) skip the statement's work.
--    Organizations are taken in id order, so two statements touching the same organizations
--    cannot deadlock on their rows.
-- 2. A task placed again (a drag, a task joining in the middle) took a tag between its new
--    neighbours' (a drag to the top gave its organization a turn ahead of its share, and
--    repeated midpoints eventually tie). Now the organization's tags are dealt again to its
--    line in rank order: the same turns, whichever tasks hold them, so its share never changes.
-- 3. Deleting Run rows lowered periodRuns without a refill: an organization at its month's run
--    limit waited for its wake at the month's end. Now it is refilled at once.

-- Makes organization `org_id`'s line its first `room` queued tasks (rank, age, id; not pinned
-- to runners, not backing off) and deals them its turns in that order: the tags its tasks in
-- line hold now, lowest first (it keeps as many as its line needs, lowest first), then, for a
-- longer line, new ones from max(clock, virtual time) (the lowest tag of a task claimable now;
-- with none, the highest clock), its clock moving one past each. Writes only what changes. Rows
-- another transaction holds are left alone (SKIP LOCKED, and NO KEY: a row referenced by an
-- insert in flight is not held): never a wait, so never a deadlock with a claim; the gate
-- corrects any excess, and a row left out this way is retried by the next trellis_queue_wake, as
-- are tasks whose backoff ends and, when the month's runs are what limits the organization, the
-- next month (queueWakeAt: the earliest of those). A tag held twice (a row skipped while its
-- turn went to another) is dealt once, so equal tags never last.
-- `skip_task` is the row the caller is updating (a BEFORE trigger may not update it again).
CREATE OR REPLACE FUNCTION trellis_queue_refill(org_id text, at timestamptz, skip_task text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  o "Organization";
  line record;
  ids text[];
  turns double precision[];
  tags double precision[];
  n integer;
  v double precision;
  clock double precision;
  wake_at timestamptz;
  skipped boolean;
BEGIN
  SELECT * INTO o FROM "Organization" WHERE id = org_id FOR NO KEY UPDATE;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  line := trellis_queue_room(o, at);
  SELECT coalesce(array_agg(d.id ORDER BY d.rank, d."createdAt", d.id), '{}') INTO ids
  FROM (
    SELECT q.id, q.rank, q."createdAt"
    FROM "Task" q
    WHERE q."orgId" = org_id AND q.status = 'QUEUED' AND q.id IS DISTINCT FROM skip_task
      AND (q."notBefore" IS NULL OR q."notBefore" <= at)
      AND NOT EXISTS (
        SELECT 1 FROM "Project" p WHERE p.id = q."projectId" AND cardinality(p."runnerLabels") > 0)
    ORDER BY q.rank, q."createdAt", q.id
    LIMIT line.room
  ) d;
  SELECT coalesce(array_agg(DISTINCT q."queueTag" ORDER BY q."queueTag"), '{}') INTO turns
  FROM "Task" q
  WHERE q."orgId" = org_id AND q."queueTag" IS NOT NULL AND q.id IS DISTINCT FROM skip_task;

  n := cardinality(ids);
  tags := turns[1:n];
  clock := o."queueClock";
  IF cardinality(tags) < n THEN
    SELECT min(q."queueTag") INTO v FROM "Task" q
    WHERE q."queueTag" IS NOT NULL AND (q."notBefore" IS NULL OR q."notBefore" <= at);
    IF v IS NULL THEN
      SELECT max("queueClock") INTO v FROM "Organization";
    END IF;
    -- Past its last turn too, so tags stay in rank order (the clock is past it already, unless
    -- a tag was written by hand).
    clock := GREATEST(clock, v, turns[cardinality(turns)] + 1);
    WHILE cardinality(tags) < n LOOP
      tags := tags || clock;
      clock := clock + 1;
    END LOOP;
  END IF;

  -- Out of line: everything in line that is not among them.
  UPDATE "Task" SET "queueTag" = NULL
  WHERE id IN (
    SELECT q.id FROM "Task" q
    WHERE q."orgId" = org_id AND q."queueTag" IS NOT NULL AND q.id <> ALL (ids)
      AND q.id IS DISTINCT FROM skip_task
    FOR NO KEY UPDATE SKIP LOCKED);
  -- In line: each its turn.
  UPDATE "Task" t SET "queueTag" = d.tag
  FROM unnest(ids, tags) AS d(id, tag)
  WHERE t.id = d.id AND t.id IN (
    SELECT q.id FROM "Task" q JOIN unnest(ids, tags) AS e(id, tag) ON e.id = q.id
    WHERE q.status = 'QUEUED' AND q."queueTag" IS DISTINCT FROM e.tag
    FOR NO KEY UPDATE OF q SKIP LOCKED);
  -- Whatever is still not as it should be was held by another transaction.
  skipped := EXISTS (
    SELECT 1 FROM "Task" q
    WHERE q."orgId" = org_id AND q."queueTag" IS NOT NULL AND q.id <> ALL (ids)
      AND q.id IS DISTINCT FROM skip_task)
    OR EXISTS (
    SELECT 1 FROM "Task" q JOIN unnest(ids, tags) AS e(id, tag) ON e.id = q.id
    WHERE q."queueTag" IS DISTINCT FROM e.tag);

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

-- One statement's changes to organization `org_id`: `dq` more queued tasks and `da` more active
-- ones (the gate counts claims itself), then its line made again. `may_wait` false (only ranks
-- changed): only if its row is free this instant, since a rank change never waits for it
-- (renumbering every rank of an organization while a finishing task queues its dependents would
-- deadlock); otherwise the next refill of that organization puts the line back in rank order.
CREATE FUNCTION trellis_queue_changed(org_id text, dq integer, da integer, may_wait boolean)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF may_wait THEN
    IF dq <> 0 OR da <> 0 THEN
      UPDATE "Organization" SET "queuedTasks" = "queuedTasks" + dq, "activeTasks" = "activeTasks" + da
      WHERE id = org_id;
    END IF;
  ELSE
    PERFORM 1 FROM "Organization" WHERE id = org_id FOR NO KEY UPDATE SKIP LOCKED;
    IF NOT FOUND THEN
      RETURN;
    END IF;
  END IF;
  PERFORM trellis_queue_refill(org_id, clock_timestamp());
END
$$;

-- What a task going from status `was` to `now` (NULL: inserted, deleted) adds to its
-- organization's queued and active counters; a claim (QUEUED to RUNNING or VERIFYING) adds
-- nothing, the gate has counted it (and a claim it refused leaves the row as it was).
CREATE FUNCTION trellis_queued_delta(was "TaskStatus", now "TaskStatus") RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN was = 'QUEUED' AND now IN ('RUNNING', 'VERIFYING') THEN 0
    ELSE (now IS NOT DISTINCT FROM 'QUEUED')::integer - (was IS NOT DISTINCT FROM 'QUEUED')::integer END
$$;
CREATE FUNCTION trellis_active_delta(was "TaskStatus", now "TaskStatus") RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN was = 'QUEUED' AND now IN ('RUNNING', 'VERIFYING') THEN 0
    ELSE coalesce(now IN ('RUNNING', 'VERIFYING'), false)::integer
       - coalesce(was IN ('RUNNING', 'VERIFYING'), false)::integer END
$$;

-- Tasks inserted, updated or deleted by one statement, per organization: what changed its
-- counters or its line (a status, or a queued task's rank), then trellis_queue_changed for each.
-- Every UPDATE of Task runs this (transition tables rule out UPDATE OF columns), claims and
-- heartbeats included. Any query here costs those statements more than the rest of the trigger
-- (each query is tens of microseconds in a new transaction), so an update looks at its
-- transition tables only when Task_queue_mark has marked a row that matters.
CREATE FUNCTION trellis_task_queue_statement() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  -- Each query names only the transition tables its event has (the others do not exist).
  IF TG_OP = 'INSERT' THEN
    FOR r IN
      SELECT n."orgId" AS org, sum(trellis_queued_delta(NULL, n.status))::integer AS dq,
        sum(trellis_active_delta(NULL, n.status))::integer AS da
      FROM new_rows n
      WHERE n.status IN ('QUEUED', 'RUNNING', 'VERIFYING')
      GROUP BY n."orgId" ORDER BY n."orgId"
    LOOP
      PERFORM trellis_queue_changed(r.org, r.dq, r.da, true);
    END LOOP;
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' THEN
    FOR r IN
      SELECT d."orgId" AS org, sum(trellis_queued_delta(d.status, NULL))::integer AS dq,
        sum(trellis_active_delta(d.status, NULL))::integer AS da
      FROM old_rows d
      WHERE d.status IN ('QUEUED', 'RUNNING', 'VERIFYING')
      GROUP BY d."orgId" ORDER BY d."orgId"
    LOOP
      PERFORM trellis_queue_changed(r.org, r.dq, r.da, true);
    END LOOP;
    RETURN NULL;
  END IF;

  IF current_setting('trellis.queue_marked_' || pg_trigger_depth(), true) IS DISTINCT FROM 'on' THEN
    RETURN NULL;
  END IF;
  PERFORM set_config('trellis.queue_marked_' || pg_trigger_depth(), 'off', true);
  FOR r IN
    SELECT c.org, sum(c.dq)::integer AS dq, sum(c.da)::integer AS da,
      bool_or(c.dq <> 0 OR c.da <> 0) AS counted
    FROM (
      SELECT p.org, trellis_queued_delta(p.was, p.now) AS dq, trellis_active_delta(p.was, p.now) AS da,
        p.was = 'QUEUED' AND p.now = 'QUEUED' AND p.old_rank IS DISTINCT FROM p.new_rank AS reranked
      FROM (
        -- Old and new rows paired by grouping on id, not by a join: PL/pgSQL keeps the plan it
        -- made the first time (a few rows: a nested loop), and a nested loop over two transition
        -- tables of thousands of rows costs seconds; grouping is never quadratic.
        SELECT min(x."orgId") AS org,
          min(x.status) FILTER (WHERE NOT x.after) AS was,
          min(x.status) FILTER (WHERE x.after) AS now,
          min(x.rank) FILTER (WHERE NOT x.after) AS old_rank,
          min(x.rank) FILTER (WHERE x.after) AS new_rank
        FROM (
          SELECT o.id, o."orgId", o.status, o.rank, false AS after FROM old_rows o
          UNION ALL
          SELECT n.id, n."orgId", n.status, n.rank, true AS after FROM new_rows n
        ) x
        GROUP BY x.id
      ) p
    ) c
    WHERE c.dq <> 0 OR c.da <> 0 OR c.reranked
    GROUP BY c.org ORDER BY c.org
  LOOP
    PERFORM trellis_queue_changed(r.org, r.dq, r.da, r.counted);
  END LOOP;
  RETURN NULL;
END
$$;

-- Marks the statement when one of its rows changes a status other than by a claim, or a queued
-- task's rank (the WHEN is evaluated without calling anything, so claims and heartbeats cost
-- nothing here). A statement's row triggers fire before its statement triggers, at the same
-- trigger depth, and Task_queue_update reads and clears the mark; keyed by the depth, so a
-- statement run inside a trigger cannot take its caller's mark. set_config(..., true): the mark
-- goes with the transaction, or the subtransaction, when it is rolled back.
CREATE FUNCTION trellis_task_queue_mark() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('trellis.queue_marked_' || pg_trigger_depth(), true) IS DISTINCT FROM 'on' THEN
    PERFORM set_config('trellis.queue_marked_' || pg_trigger_depth(), 'on', true);
  END IF;
  RETURN NULL;
END
$$;

DROP TRIGGER "Task_queue_counts_insert" ON "Task";
DROP TRIGGER "Task_queue_counts_update" ON "Task";
DROP TRIGGER "Task_queue_counts_delete" ON "Task";
DROP TRIGGER "Task_rank_changed" ON "Task";
DROP FUNCTION trellis_task_counts();
DROP FUNCTION trellis_task_rank_changed();

-- One trigger per event: Postgres allows transition tables on a trigger of one event only.
CREATE TRIGGER "Task_queue_insert" AFTER INSERT ON "Task"
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION trellis_task_queue_statement();
CREATE TRIGGER "Task_queue_mark" AFTER UPDATE OF status, rank ON "Task"
  FOR EACH ROW WHEN (
    (OLD.status IS DISTINCT FROM NEW.status
     AND NOT (OLD.status = 'QUEUED' AND NEW.status IN ('RUNNING', 'VERIFYING')))
    OR (OLD.status = 'QUEUED' AND NEW.status = 'QUEUED' AND OLD.rank IS DISTINCT FROM NEW.rank)
  )
  EXECUTE FUNCTION trellis_task_queue_mark();
CREATE TRIGGER "Task_queue_update" AFTER UPDATE ON "Task"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION trellis_task_queue_statement();
CREATE TRIGGER "Task_queue_delete" AFTER DELETE ON "Task"
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION trellis_task_queue_statement();

-- Pinning projects to runners (or unpinning them) moves their queued tasks out of (into) the
-- line: each organization once per statement.
CREATE FUNCTION trellis_project_pins_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  org text;
BEGIN
  -- Paired by grouping on id, as trellis_task_queue_statement does (never quadratic).
  FOR org IN
    SELECT DISTINCT p.org
    FROM (
      SELECT min(x."orgId") AS org,
        bool_or(x.pinned) FILTER (WHERE NOT x.after) AS was,
        bool_or(x.pinned) FILTER (WHERE x.after) AS now
      FROM (
        SELECT o.id, o."orgId", cardinality(o."runnerLabels") > 0 AS pinned, false AS after
        FROM old_rows o
        UNION ALL
        SELECT n.id, n."orgId", cardinality(n."runnerLabels") > 0, true FROM new_rows n
      ) x
      GROUP BY x.id
    ) p
    WHERE p.was IS DISTINCT FROM p.now
    ORDER BY p.org
  LOOP
    PERFORM trellis_queue_refill(org, clock_timestamp());
  END LOOP;
  RETURN NULL;
END
$$;

DROP TRIGGER "Project_pin_changed" ON "Project";
CREATE TRIGGER "Project_pins_changed" AFTER UPDATE ON "Project"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION trellis_project_pins_changed();

-- This period's runs per organization, once per statement (a run written with an older date
-- counts where it belongs: only the latest period's runs count). Fewer runs may leave room: an
-- organization whose month of runs is what limits it (fewer runs left than its plan's agents)
-- gets its line made again at once.
CREATE OR REPLACE FUNCTION trellis_run_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  r record;
  o "Organization";
BEGIN
  IF TG_OP = 'INSERT' THEN
    FOR r IN
      SELECT DISTINCT ON (x."orgId") x."orgId" AS org, x.period, count(*)::integer AS runs
      FROM (SELECT n."orgId", trellis_billing_period(n."createdAt") AS period FROM new_rows n) x
      GROUP BY x."orgId", x.period
      ORDER BY x."orgId", x.period DESC
    LOOP
      UPDATE "Organization" SET
        "periodRuns" = CASE
          WHEN "periodStart" = r.period THEN "periodRuns" + r.runs
          WHEN "periodStart" > r.period THEN "periodRuns"
          ELSE r.runs
        END,
        "periodStart" = GREATEST("periodStart", r.period)
      WHERE id = r.org;
    END LOOP;
  ELSE
    FOR r IN
      SELECT d."orgId" AS org, trellis_billing_period(d."createdAt") AS period, count(*)::integer AS runs
      FROM old_rows d
      GROUP BY 1, 2
      ORDER BY 1, 2
    LOOP
      UPDATE "Organization" SET "periodRuns" = GREATEST("periodRuns" - r.runs, 0)
      WHERE id = r.org AND "periodStart" = r.period AND "periodRuns" > 0
      RETURNING * INTO o;
      -- periodRuns + runs: at least what it was.
      IF FOUND AND o."queuedTasks" > 0
         AND trellis_run_cap(o.plan) - (o."periodRuns" + r.runs) < trellis_agent_cap(o.plan) THEN
        PERFORM trellis_queue_refill(o.id, clock_timestamp());
      END IF;
    END LOOP;
  END IF;
  RETURN NULL;
END
$$;

DROP TRIGGER "Run_counts" ON "Run";
CREATE TRIGGER "Run_counts_insert" AFTER INSERT ON "Run"
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION trellis_run_counts();
CREATE TRIGGER "Run_counts_delete" AFTER DELETE ON "Run"
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION trellis_run_counts();

-- Lines as this migration deals them (the same turns, in rank order).
SELECT trellis_queue_refill(id, now()) FROM "Organization" WHERE "queuedTasks" > 0 ORDER BY id;
