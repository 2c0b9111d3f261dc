-- The scheduler's bookkeeping per organization: "queuedTasks" and "activeTasks" count its
-- tasks QUEUED and RUNNING/VERIFYING, and "claimTurnAt" is its place in the claim rotation
-- (lib/tasks/claim-tasks.ts), null while it has nothing queued or is at its limit. A trigger on Task keeps them exact for every writer — Prisma, raw SQL,
-- cascading deletes — in the same transaction as the status change. Prisma's schema diff
-- does not see triggers, so the second part of this migration is written by hand.

-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "activeTasks" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "claimTurnAt" TIMESTAMPTZ(6),
ADD COLUMN     "queuedTasks" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "Organization_claimTurnAt_id_idx" ON "Organization"("claimTurnAt", "id");

CREATE OR REPLACE FUNCTION trellis_task_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  org text;
  dq integer := 0;
  da integer := 0;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    dq := dq - (OLD.status = 'QUEUED')::integer;
    da := da - (OLD.status IN ('RUNNING', 'VERIFYING'))::integer;
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
  -- Rotation: out when nothing is queued; in (at the back) when work arrives or, for an
  -- organization parked at its limit, when one of its tasks stops running; a task queued
  -- while the organization waits for a backoff to end brings its turn forward.
  UPDATE "Organization" SET
    "queuedTasks" = "queuedTasks" + dq,
    "activeTasks" = "activeTasks" + da,
    "claimTurnAt" = CASE
      WHEN "queuedTasks" + dq <= 0 THEN NULL
      WHEN "claimTurnAt" IS NULL AND (dq > 0 OR da < 0) THEN clock_timestamp()
      WHEN dq > 0 AND "claimTurnAt" > clock_timestamp() THEN clock_timestamp()
      ELSE "claimTurnAt"
    END
  WHERE id = org;
  RETURN NULL;
END
$$;

CREATE TRIGGER "Task_queue_counts_insert" AFTER INSERT ON "Task"
  FOR EACH ROW WHEN (NEW.status IN ('QUEUED', 'RUNNING', 'VERIFYING'))
  EXECUTE FUNCTION trellis_task_counts();

-- orgId never changes (tasks do not move between organizations), so only status matters.
CREATE TRIGGER "Task_queue_counts_update" AFTER UPDATE OF status ON "Task"
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION trellis_task_counts();

CREATE TRIGGER "Task_queue_counts_delete" AFTER DELETE ON "Task"
  FOR EACH ROW WHEN (OLD.status IN ('QUEUED', 'RUNNING', 'VERIFYING'))
  EXECUTE FUNCTION trellis_task_counts();

-- Existing rows.
UPDATE "Organization" o SET
  "queuedTasks" = c.queued,
  "activeTasks" = c.active,
  "claimTurnAt" = CASE WHEN c.queued > 0 THEN clock_timestamp() END
FROM (
  SELECT "orgId",
    count(*) FILTER (WHERE status = 'QUEUED')::integer AS queued,
    count(*) FILTER (WHERE status IN ('RUNNING', 'VERIFYING'))::integer AS active
  FROM "Task"
  GROUP BY "orgId"
) c
WHERE c."orgId" = o.id;
