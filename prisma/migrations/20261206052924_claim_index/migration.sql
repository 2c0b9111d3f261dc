-- The claim (lib/tasks/claim-tasks.ts) reads an organization's queued tasks in claim order (rank,
-- then age, then id) straight from this index and stops at the first it can take. The old
-- (status, notBefore) index served no query, yet the planner, right after a queue was filled,
-- believed it selective for "RUNNING" and scanned every running task of every organization to
-- count one organization's, on every claim.

-- DropIndex
DROP INDEX "Task_orgId_status_rank_idx";

-- DropIndex
DROP INDEX "Task_status_notBefore_idx";

-- CreateIndex
CREATE INDEX "Task_orgId_status_rank_createdAt_id_idx" ON "Task"("orgId", "status", "rank", "createdAt", "id");

-- Projects pinned to self-hosted runners, which the built-in claim skips: usually none, so the
-- check is one look into an empty index instead of a scan of every project on every claim.
-- Partial indexes are beyond schema.prisma; Prisma's diff leaves them alone.
CREATE INDEX "Project_pinned_to_runners_idx" ON "Project"("id") WHERE cardinality("runnerLabels") > 0;
