-- CreateIndex
CREATE INDEX "ActivityEvent_orgId_seq_idx" ON "ActivityEvent"("orgId", "seq");

-- Realtime (lib/realtime). Committed changes are announced on the NOTIFY channel
-- "trellis_realtime" with a small JSON payload (type, orgId, the ids it concerns, and for
-- activity its seq); NOTIFY is delivered only when the transaction commits, and never for one
-- that rolls back. Prisma's schema diff does not see triggers, so this part is written by hand.

-- ActivityEvent.seq in commit order, per organization. A BIGSERIAL value is taken at insert,
-- so a transaction that inserts first and commits last would hold a smaller seq than events
-- a reader has already seen, and a browser resuming "after seq N" would miss it. So seq is
-- reassigned at commit: a deferred trigger takes a transaction-scoped advisory lock per
-- organization the transaction wrote events for (all of them at once, in hash order, so two
-- transactions never wait on each other in a cycle), then takes the next value. The lock is
-- held from just before the commit until it is visible, so of two transactions writing events
-- of one organization, the one that commits later gets the larger seq.

-- Notes which organizations this transaction wrote events for (a transaction-local setting).
CREATE OR REPLACE FUNCTION trellis_activity_note_org() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  orgs text := coalesce(current_setting('trellis.activity_orgs', true), '');
BEGIN
  IF position(' ' || NEW."orgId" || ' ' IN ' ' || orgs) = 0 THEN
    PERFORM set_config('trellis.activity_orgs', orgs || NEW."orgId" || ' ', true);
  END IF;
  RETURN NULL;
END
$$;

-- At commit: lock, give the row its final seq, announce it.
CREATE OR REPLACE FUNCTION trellis_activity_commit() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  orgs text := coalesce(current_setting('trellis.activity_orgs', true), '');
  lock_key integer;
  next_seq bigint;
  event record;
BEGIN
  IF orgs <> '' THEN
    FOR lock_key IN
      SELECT DISTINCT hashtext(o) FROM unnest(string_to_array(trim(orgs), ' ')) AS o ORDER BY 1
    LOOP
      PERFORM pg_advisory_xact_lock(72707370, lock_key);
    END LOOP;
    PERFORM set_config('trellis.activity_orgs', '', true);
  END IF;
  -- Drawn under the lock (taken by this row's or an earlier row's invocation, held to the end).
  next_seq := nextval('"ActivityEvent_seq_seq"');
  UPDATE "ActivityEvent" SET seq = next_seq WHERE id = NEW.id
    RETURNING type, "orgId", "projectId", "ticketId", "specId", "taskId" INTO event;
  IF FOUND THEN
    PERFORM pg_notify('trellis_realtime', json_strip_nulls(json_build_object(
      'seq', next_seq::text, 'type', event.type, 'orgId', event."orgId",
      'projectId', event."projectId", 'ticketId', event."ticketId",
      'specId', event."specId", 'taskId', event."taskId"))::text);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "ActivityEvent_realtime_note" AFTER INSERT ON "ActivityEvent"
  FOR EACH ROW EXECUTE FUNCTION trellis_activity_note_org();

CREATE CONSTRAINT TRIGGER "ActivityEvent_realtime_commit" AFTER INSERT ON "ActivityEvent"
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION trellis_activity_commit();

-- Live log tails: one announcement per run per statement (log lines arrive in batches).
CREATE OR REPLACE FUNCTION trellis_run_log_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN
    SELECT DISTINCT n."orgId", n."runId", run."taskId", run."specId"
    FROM new_rows n LEFT JOIN "Run" run ON run.id = n."runId"
  LOOP
    PERFORM pg_notify('trellis_realtime', json_strip_nulls(json_build_object(
      'type', 'run.log', 'orgId', r."orgId", 'runId', r."runId",
      'taskId', r."taskId", 'specId', r."specId"))::text);
  END LOOP;
  RETURN NULL;
END
$$;

CREATE TRIGGER "RunLog_realtime" AFTER INSERT ON "RunLog"
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION trellis_run_log_notify();

-- Task changes that need no activity event of their own (queue order) still move the board;
-- status changes are announced too, for writers that record none. Heartbeats get their own
-- type: pages that show them (agents, a running task) listen for it, the rest ignore it.
CREATE OR REPLACE FUNCTION trellis_task_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('trellis_realtime', json_build_object(
    'type', CASE
      WHEN OLD.status IS DISTINCT FROM NEW.status OR OLD.rank IS DISTINCT FROM NEW.rank
        THEN 'task.updated'
      ELSE 'task.heartbeat'
    END,
    'orgId', NEW."orgId", 'projectId', NEW."projectId",
    'specId', NEW."specId", 'taskId', NEW.id)::text);
  RETURN NULL;
END
$$;

CREATE TRIGGER "Task_realtime" AFTER UPDATE OF status, rank, "lastHeartbeatAt" ON "Task"
  FOR EACH ROW WHEN (
    OLD.status IS DISTINCT FROM NEW.status
    OR OLD.rank IS DISTINCT FROM NEW.rank
    OR OLD."lastHeartbeatAt" IS DISTINCT FROM NEW."lastHeartbeatAt"
  )
  EXECUTE FUNCTION trellis_task_notify();

-- Runner heartbeats and revocations, for the agents page.
CREATE OR REPLACE FUNCTION trellis_runner_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('trellis_realtime', json_build_object(
    'type', CASE
      WHEN OLD."revokedAt" IS DISTINCT FROM NEW."revokedAt" THEN 'runner.updated'
      ELSE 'runner.heartbeat'
    END,
    'orgId', NEW."orgId", 'runnerId', NEW.id)::text);
  RETURN NULL;
END
$$;

CREATE TRIGGER "Runner_realtime" AFTER UPDATE OF "lastHeartbeatAt", "revokedAt" ON "Runner"
  FOR EACH ROW WHEN (
    OLD."lastHeartbeatAt" IS DISTINCT FROM NEW."lastHeartbeatAt"
    OR OLD."revokedAt" IS DISTINCT FROM NEW."revokedAt"
  )
  EXECUTE FUNCTION trellis_runner_notify();
