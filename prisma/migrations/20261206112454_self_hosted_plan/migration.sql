-- AlterEnum
ALTER TYPE "Plan" ADD VALUE 'SELF_HOSTED';

-- Plan limits as lib/billing/plans.ts has them (lib/tasks/fair-queue.integration.test.ts
-- compares the two for every plan), now with SELF_HOSTED: the plan of organizations while billing
-- is off, 50 agents at once and no monthly run limit (NULL: the room is then the free agent slots
-- alone, and nothing waits for a new month). The new value may not be cast to "Plan" in the
-- transaction that adds it, and a SQL function's body is checked when it is created: hence
-- `plan::text`. Only these two functions change here.
CREATE OR REPLACE FUNCTION trellis_agent_cap(plan "Plan") RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE plan::text WHEN 'FREE' THEN 1 WHEN 'PRO' THEN 5 WHEN 'TEAM' THEN 20 WHEN 'SELF_HOSTED' THEN 50 END
$$;
CREATE OR REPLACE FUNCTION trellis_run_cap(plan "Plan") RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE plan::text WHEN 'FREE' THEN 20 WHEN 'PRO' THEN 500 WHEN 'TEAM' THEN 5000 END
$$;
