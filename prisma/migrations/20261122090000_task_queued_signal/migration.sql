-- Wakes long-polling self-hosted runners (lib/runners/queue-signal.ts) when a task becomes
-- claimable: NOTIFY is delivered at commit, and the payload names the organization.
CREATE OR REPLACE FUNCTION trellis_notify_task_queued() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('trellis_task_queued', NEW."orgId");
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "Task_notify_queued"
AFTER INSERT OR UPDATE OF status ON "Task"
FOR EACH ROW
WHEN (NEW.status = 'QUEUED')
EXECUTE FUNCTION trellis_notify_task_queued();
